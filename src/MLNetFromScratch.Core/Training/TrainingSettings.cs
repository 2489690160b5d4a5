using MLNetFromScratch.Core.Kernels;
using MLNetFromScratch.Core.Optimizers;

namespace MLNetFromScratch.Core.Training;

/// <summary>
/// How to train: epochs of shuffled mini-batches, the optimizer and its schedule, regularization,
/// early stopping and reporting. Defaults: <see cref="TrainingDefaults"/>.
/// </summary>
public class TrainingSettings
{
    /// <summary>Passes over the training data; &gt;= 1.</summary>
    public int Epochs { get; set; } = TrainingDefaults.Epochs;

    /// <summary>Examples per mini-batch, m; &gt;= 1. The last batch of an epoch holds what is left.</summary>
    public int BatchSize { get; set; } = TrainingDefaults.BatchSize;

    /// <summary>The base learning rate η; finite and &gt; 0.</summary>
    public float LearningRate { get; set; } = TrainingDefaults.LearningRate;

    /// <summary>The update rule.</summary>
    public OptimizerKind Optimizer { get; set; } = OptimizerKind.Adam;

    /// <summary>μ of <see cref="OptimizerKind.Momentum"/>, in [0, 1).</summary>
    public float Momentum { get; set; } = 0.9f;

    /// <summary>Whether <see cref="OptimizerKind.Momentum"/> uses Nesterov's look-ahead.</summary>
    public bool Nesterov { get; set; }

    /// <summary>Adam's β1, in [0, 1).</summary>
    public float Beta1 { get; set; } = 0.9f;

    /// <summary>Adam's β2, in [0, 1).</summary>
    public float Beta2 { get; set; } = 0.999f;

    /// <summary>Adam's ε; finite and &gt; 0.</summary>
    public float Epsilon { get; set; } = 1e-8f;

    /// <summary>How the learning rate changes from epoch to epoch.</summary>
    public LearningRateSchedule LearningRateSchedule { get; set; } = LearningRateSchedule.Constant;

    /// <summary>γ of the decaying schedules, in (0, 1].</summary>
    public float DecayRate { get; set; } = 0.5f;

    /// <summary>s of <see cref="LearningRateSchedule.StepDecay"/>: epochs between decays; &gt;= 1.</summary>
    public int DecayStepEpochs { get; set; } = 10;

    /// <summary>λ of L2 regularization: cost + λ/(2m) Σ W², gradient + (λ/m) W, biases not penalized; &gt;= 0.</summary>
    public float L2Regularization { get; set; } = TrainingDefaults.L2Regularization;

    /// <summary>p of inverted dropout on the hidden layer, during training only; in [0, 1).</summary>
    public float DropoutRate { get; set; }

    /// <summary>Whether to visit the training rows in a new random order every epoch.</summary>
    public bool Shuffle { get; set; } = true;

    /// <summary>Epochs without a better validation loss before training stops and the best weights are restored; 0 = off; &gt;= 0.</summary>
    public int EarlyStoppingPatience { get; set; }

    /// <summary>Receives a report after every epoch, or null.</summary>
    public IProgress<EpochReport>? Progress { get; set; }

    /// <summary>Threads the kernels may use; null = every core. Results do not depend on it.</summary>
    public ComputeContext? Compute { get; set; }

    /// <summary>
    /// The largest fraction of non-zero features at which training takes the sparse first-layer path
    /// (<see cref="Network.SparseInputGradients"/>); 0 turns it off, 1 always takes it. Results agree with the dense
    /// path to rounding.
    /// </summary>
    internal double SparseInputDensity { get; set; } = TrainingDefaults.SparseInputDensity;

    /// <summary>Checks every setting and throws for the first out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Names the setting and its allowed range.</exception>
    public virtual void Validate()
    {
        Check(Epochs >= 1, Epochs, nameof(Epochs), ">= 1");
        Check(BatchSize >= 1, BatchSize, nameof(BatchSize), ">= 1");
        Check(float.IsFinite(LearningRate) && LearningRate > 0f, LearningRate, nameof(LearningRate), "finite and > 0");
        Check(Enum.IsDefined(Optimizer), Optimizer, nameof(Optimizer), "one of Sgd, Momentum, Adam");
        Check(Momentum >= 0f && Momentum < 1f, Momentum, nameof(Momentum), "[0, 1)");
        Check(Beta1 >= 0f && Beta1 < 1f, Beta1, nameof(Beta1), "[0, 1)");
        Check(Beta2 >= 0f && Beta2 < 1f, Beta2, nameof(Beta2), "[0, 1)");
        Check(float.IsFinite(Epsilon) && Epsilon > 0f, Epsilon, nameof(Epsilon), "finite and > 0");
        Check(Enum.IsDefined(LearningRateSchedule), LearningRateSchedule, nameof(LearningRateSchedule), "one of Constant, StepDecay, ExponentialDecay");
        Check(DecayRate > 0f && DecayRate <= 1f, DecayRate, nameof(DecayRate), "(0, 1]");
        Check(DecayStepEpochs >= 1, DecayStepEpochs, nameof(DecayStepEpochs), ">= 1");
        Check(float.IsFinite(L2Regularization) && L2Regularization >= 0f, L2Regularization, nameof(L2Regularization), "finite and >= 0");
        Check(DropoutRate >= 0f && DropoutRate < 1f, DropoutRate, nameof(DropoutRate), "[0, 1)");
        Check(EarlyStoppingPatience >= 0, EarlyStoppingPatience, nameof(EarlyStoppingPatience), ">= 0");
    }

    /// <summary>The optimizer hyperparameters of these settings.</summary>
    public OptimizerSettings ToOptimizerSettings() => new()
    {
        Momentum = Momentum,
        Nesterov = Nesterov,
        Beta1 = Beta1,
        Beta2 = Beta2,
        Epsilon = Epsilon,
    };

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for <paramref name="name"/> unless <paramref name="valid"/>.</summary>
    protected static void Check(bool valid, object value, string name, string range)
    {
        if (!valid)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be {range}; it is {value}.");
        }
    }
}
