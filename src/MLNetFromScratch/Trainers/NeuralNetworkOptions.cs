using MLNetFromScratch.Core.Training;

namespace MLNetFromScratch;

/// <summary>
/// Everything a neural-network trainer can be told: the columns, the architecture, and (inherited from
/// <see cref="TrainingSettings"/>) how to train. Defaults: <see cref="NeuralNetworkDefaults"/>.
/// </summary>
public sealed class NeuralNetworkOptions : TrainingSettings
{
    /// <summary>The label column: Boolean (binary), key (multiclass), Single or vector of Single (regression).</summary>
    public string LabelColumnName { get; set; } = NeuralNetworkDefaults.LabelColumnName;

    /// <summary>The feature column: Single or a known-size vector of Single (sparse vectors are densified).</summary>
    public string FeatureColumnName { get; set; } = NeuralNetworkDefaults.FeatureColumnName;

    /// <summary>Number of hidden units; &gt;= 1.</summary>
    public int HiddenSize { get; set; } = NeuralNetworkDefaults.HiddenSize;

    /// <summary>The hidden layer's activation; He initialization for ReLU, Glorot for tanh and sigmoid.</summary>
    public Activation HiddenActivation { get; set; } = NeuralNetworkDefaults.HiddenActivation;

    /// <summary>Fixes initialization, shuffling, dropout and the validation split. When null, the <c>MLContext</c>'s seed is used.</summary>
    public int? Seed { get; set; }

    /// <summary>Fraction of the rows held out to report validation loss and metric and for early stopping; 0 = none; in [0, 1).</summary>
    public float ValidationFraction { get; set; }

    /// <summary>Regression only: train on targets scaled to mean 0 and variance 1; scores come back in the label's units.</summary>
    public bool StandardizeTargets { get; set; } = true;

    /// <summary>
    /// Stops a running <c>Fit</c>: checked while the data is read and before every mini-batch, so a cancelled fit
    /// throws <see cref="OperationCanceledException"/> within one epoch and returns no model. ML.NET's
    /// <c>IEstimator.Fit</c> takes no token, hence this option. The trainer keeps the token it was created with:
    /// to fit again after a cancellation, create the trainer from options holding a fresh token.
    /// </summary>
    public CancellationToken CancellationToken { get; set; }

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        Check(!string.IsNullOrEmpty(LabelColumnName), LabelColumnName ?? "null", nameof(LabelColumnName), "a column name");
        Check(!string.IsNullOrEmpty(FeatureColumnName), FeatureColumnName ?? "null", nameof(FeatureColumnName), "a column name");
        Check(HiddenSize >= 1, HiddenSize, nameof(HiddenSize), ">= 1");
        Check(Enum.IsDefined(HiddenActivation), HiddenActivation, nameof(HiddenActivation), "one of Relu, Tanh, Sigmoid");
        Check(ValidationFraction >= 0f && ValidationFraction < 1f, ValidationFraction, nameof(ValidationFraction), "[0, 1)");
        Check(EarlyStoppingPatience == 0 || ValidationFraction > 0f, EarlyStoppingPatience, nameof(EarlyStoppingPatience),
            "0 unless ValidationFraction > 0 (early stopping watches the validation loss)");
    }

    /// <summary>A copy, so a trainer keeps the options it was created with even if the caller changes them later.</summary>
    internal NeuralNetworkOptions Clone() => (NeuralNetworkOptions)MemberwiseClone();
}
