namespace MLNetFromScratch.Core.Training;

/// <summary>
/// The defaults of <see cref="TrainingSettings"/>, in one place, as constants so that simple overloads can use them
/// as default parameter values. They follow scikit-learn's MLP: Adam with learning rate 1e-3, batches of 200
/// (or all rows when fewer), L2 1e-4 scaled by the batch size (as scikit-learn's alpha is), here 100 epochs.
/// </summary>
public static class TrainingDefaults
{
    /// <summary>Default number of epochs.</summary>
    public const int Epochs = 100;

    /// <summary>Default mini-batch size.</summary>
    public const int BatchSize = 200;

    /// <summary>Default learning rate (Adam's step size).</summary>
    public const float LearningRate = 1e-3f;

    /// <summary>Default L2 regularization λ.</summary>
    public const float L2Regularization = 1e-4f;

    /// <summary>
    /// Up to this fraction of non-zero features, the first layer's products skip the zeros: below it the sparse
    /// kernels beat the dense ones (784-128 at batch 128, measured by the training-step benchmark). Data read for
    /// training is held sparse (<see cref="TrainingData.SparseFeatures"/>) up to the same density.
    /// </summary>
    public const double SparseInputDensity = 0.3;
}
