using MLNetFromScratch.Core.Training;

namespace MLNetFromScratch;

/// <summary>
/// The defaults of <see cref="NeuralNetworkOptions"/> and of the catalog methods' simple overloads, in one place.
/// They make the default trainer a good first try on standardized tabular data, following scikit-learn's
/// MLPClassifier: 100 ReLU units, Adam with learning rate 1e-3, batches of 200 (or all rows when fewer),
/// L2 1e-4 (scaled by the batch size, as scikit-learn's alpha is), 100 epochs.
/// </summary>
public static class NeuralNetworkDefaults
{
    /// <summary>Default label column name.</summary>
    public const string LabelColumnName = "Label";

    /// <summary>Default feature column name.</summary>
    public const string FeatureColumnName = "Features";

    /// <summary>Default number of hidden units.</summary>
    public const int HiddenSize = 100;

    /// <summary>Default hidden activation.</summary>
    public const Activation HiddenActivation = Activation.Relu;

    /// <summary>Default number of epochs.</summary>
    public const int Epochs = TrainingDefaults.Epochs;

    /// <summary>Default mini-batch size.</summary>
    public const int BatchSize = TrainingDefaults.BatchSize;

    /// <summary>Default learning rate (Adam's step size).</summary>
    public const float LearningRate = TrainingDefaults.LearningRate;

    /// <summary>Default L2 regularization λ.</summary>
    public const float L2Regularization = TrainingDefaults.L2Regularization;
}
