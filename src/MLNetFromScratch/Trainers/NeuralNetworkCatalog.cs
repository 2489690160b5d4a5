using Microsoft.ML;

namespace MLNetFromScratch;

/// <summary>
/// The neural-network trainers on ML.NET's catalogs: <c>mlContext.BinaryClassification.Trainers.NeuralNetwork(...)</c>,
/// <c>mlContext.MulticlassClassification.Trainers.NeuralNetwork(...)</c>, <c>mlContext.Regression.Trainers.NeuralNetwork(...)</c>.
/// </summary>
/// <remarks>
/// ML.NET keeps a catalog's <c>MLContext</c> internal, so these trainers cannot read its seed or write to its
/// log: set <see cref="NeuralNetworkOptions.Seed"/> (when null, seed <see cref="DefaultSeed"/> is used, so
/// training is repeatable) and use <see cref="Core.Training.TrainingSettings.Progress"/> to follow training.
/// </remarks>
public static class NeuralNetworkCatalog
{
    /// <summary>The seed used when <see cref="NeuralNetworkOptions.Seed"/> is null.</summary>
    public const int DefaultSeed = 0;

    /// <summary>A binary classifier: one logit, sigmoid, binary cross-entropy. Label: Boolean (or Single 0/1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of its range.</exception>
    public static NeuralNetworkTrainer NeuralNetwork(
        this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        string labelColumnName = NeuralNetworkDefaults.LabelColumnName,
        string featureColumnName = NeuralNetworkDefaults.FeatureColumnName,
        int hiddenSize = NeuralNetworkDefaults.HiddenSize,
        int epochs = NeuralNetworkDefaults.Epochs,
        float learningRate = NeuralNetworkDefaults.LearningRate) =>
        catalog.NeuralNetwork(Simple(labelColumnName, featureColumnName, hiddenSize, epochs, learningRate));

    /// <summary>A binary classifier with every option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of its range.</exception>
    public static NeuralNetworkTrainer NeuralNetwork(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, NeuralNetworkOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new NeuralNetworkTrainer(NeuralNetworkTask.BinaryClassification, options);
    }

    /// <summary>A multiclass classifier: K logits, softmax, cross-entropy. Label: a key type (use MapValueToKey).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of its range.</exception>
    public static NeuralNetworkTrainer NeuralNetwork(
        this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = NeuralNetworkDefaults.LabelColumnName,
        string featureColumnName = NeuralNetworkDefaults.FeatureColumnName,
        int hiddenSize = NeuralNetworkDefaults.HiddenSize,
        int epochs = NeuralNetworkDefaults.Epochs,
        float learningRate = NeuralNetworkDefaults.LearningRate) =>
        catalog.NeuralNetwork(Simple(labelColumnName, featureColumnName, hiddenSize, epochs, learningRate));

    /// <summary>A multiclass classifier with every option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of its range.</exception>
    public static NeuralNetworkTrainer NeuralNetwork(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, NeuralNetworkOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new NeuralNetworkTrainer(NeuralNetworkTask.MulticlassClassification, options);
    }

    /// <summary>A regression: identity outputs, squared error. Label: Single, or a known-size vector of Single for several targets.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of its range.</exception>
    public static NeuralNetworkTrainer NeuralNetwork(
        this RegressionCatalog.RegressionTrainers catalog,
        string labelColumnName = NeuralNetworkDefaults.LabelColumnName,
        string featureColumnName = NeuralNetworkDefaults.FeatureColumnName,
        int hiddenSize = NeuralNetworkDefaults.HiddenSize,
        int epochs = NeuralNetworkDefaults.Epochs,
        float learningRate = NeuralNetworkDefaults.LearningRate) =>
        catalog.NeuralNetwork(Simple(labelColumnName, featureColumnName, hiddenSize, epochs, learningRate));

    /// <summary>A regression with every option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of its range.</exception>
    public static NeuralNetworkTrainer NeuralNetwork(this RegressionCatalog.RegressionTrainers catalog, NeuralNetworkOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new NeuralNetworkTrainer(NeuralNetworkTask.Regression, options);
    }

    private static NeuralNetworkOptions Simple(string labelColumnName, string featureColumnName, int hiddenSize, int epochs, float learningRate) => new()
    {
        LabelColumnName = labelColumnName,
        FeatureColumnName = featureColumnName,
        HiddenSize = hiddenSize,
        Epochs = epochs,
        LearningRate = learningRate,
    };
}
