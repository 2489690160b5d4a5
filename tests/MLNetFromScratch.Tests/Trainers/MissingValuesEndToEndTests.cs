using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFromScratch.Tests.Infrastructure;
using Xunit.Abstractions;

namespace MLNetFromScratch.Tests.Trainers;

public sealed class MissingValuesEndToEndTests(ITestOutputHelper output)
{
    [Fact]
    public void StandardizeWithImputationThenNetwork_BreastCancerWithMissing_AtLeast94PercentAndRoundTrips()
    {
        // The original Wisconsin file: `//` comment lines, tab separated, label first, `?` where a value is missing.
        var context = new MLContext(seed: 1);
        IDataView data = context.Data.LoadFromTextFile(
            TrainerData.PathOf("breast-cancer-with-missing.tsv"),
            [new TextLoader.Column("Label", DataKind.Boolean, 0), new TextLoader.Column("Features", DataKind.Single, 1, 9)],
            separatorChar: '\t', hasHeader: false);
        float[][] features = [.. data.GetColumn<float[]>("Features")];
        Assert.Equal(699, features.Length);
        Assert.Equal(16, features.Count(row => row.Any(float.IsNaN))); // the loader reads `?` as NaN
        DataOperationsCatalog.TrainTestData split = context.Data.TrainTestSplit(data, testFraction: 0.2, seed: 1);
        IEstimator<ITransformer> pipeline = context.Transforms.Standardize("Features")
            .Append(context.BinaryClassification.Trainers.NeuralNetwork(new NeuralNetworkOptions
            {
                HiddenSize = 16, Epochs = 60, BatchSize = 32, LearningRate = 0.003f, Seed = 1,
            }));

        ITransformer model = EstimatorWorkout.Run(
            context, pipeline, Shapes.Of<Row>(context), split.TrainSet, split.TestSet, "Score", "Probability", "PredictedLabel");

        CalibratedBinaryClassificationMetrics metrics = context.BinaryClassification.Evaluate(model.Transform(split.TestSet));
        output.WriteLine($"breast cancer with missing values: accuracy {metrics.Accuracy:P2}, AUC {metrics.AreaUnderRocCurve:F4}");
        Assert.True(metrics.Accuracy >= 0.94, $"accuracy {metrics.Accuracy:P2}");
        Assert.DoesNotContain(model.Transform(split.TestSet).GetColumn<float>("Score"), float.IsNaN);
    }

    public sealed class Row
    {
        public bool Label { get; set; }

        [VectorType(9)]
        public float[] Features { get; set; } = [];
    }
}
