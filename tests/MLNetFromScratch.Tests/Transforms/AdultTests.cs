using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using MLNetFromScratch.Tests.Infrastructure;
using Xunit.Abstractions;

namespace MLNetFromScratch.Tests.Transforms;

// The Adult census sample: six numeric and eight categorical columns, `?` as a category of its own.
public sealed class AdultTests(ITestOutputHelper output)
{
    private static readonly string[] s_numeric = ["Age", "Fnlwgt", "EducationNum", "CapitalGain", "CapitalLoss", "HoursPerWeek"];
    private static readonly string[] s_categorical = ["Workclass", "Education", "MaritalStatus", "Occupation", "Relationship", "Ethnicity", "Sex", "NativeCountry"];

    private static IDataView Load(MLContext context) => context.Data.LoadFromTextFile(
        Path.Combine(AppContext.BaseDirectory, "Data", "adult-sample.csv"),
        [
            new TextLoader.Column("Age", DataKind.Single, 0), new TextLoader.Column("Workclass", DataKind.String, 1),
            new TextLoader.Column("Fnlwgt", DataKind.Single, 2), new TextLoader.Column("Education", DataKind.String, 3),
            new TextLoader.Column("EducationNum", DataKind.Single, 4), new TextLoader.Column("MaritalStatus", DataKind.String, 5),
            new TextLoader.Column("Occupation", DataKind.String, 6), new TextLoader.Column("Relationship", DataKind.String, 7),
            new TextLoader.Column("Ethnicity", DataKind.String, 8), new TextLoader.Column("Sex", DataKind.String, 9),
            new TextLoader.Column("CapitalGain", DataKind.Single, 10), new TextLoader.Column("CapitalLoss", DataKind.Single, 11),
            new TextLoader.Column("HoursPerWeek", DataKind.Single, 12), new TextLoader.Column("NativeCountry", DataKind.String, 13),
            new TextLoader.Column("Label", DataKind.Boolean, 14),
        ],
        separatorChar: ',', hasHeader: true);

    [Fact]
    public void OneHot_EveryCategoricalColumn_MatchesMLNetOneHotEncoding()
    {
        var context = new MLContext(seed: 1);
        IDataView data = Load(context);
        foreach (string column in s_categorical)
        {
            IDataView ours = context.Transforms.Conversion.MapValueToKey("Key", column)
                .Append(context.Transforms.OneHot("Hot", "Key")).Fit(data).Transform(data);
            IDataView oracle = context.Transforms.Categorical.OneHotEncoding("Hot", column, OneHotEncodingEstimator.OutputKind.Indicator)
                .Fit(data).Transform(data);

            Assert.Equal(oracle.Schema["Hot"].Type, ours.Schema["Hot"].Type);
            Assert.Equal(ColumnBits.Singles(oracle, "Hot"), ColumnBits.Singles(ours, "Hot"));
        }
    }

    [Fact]
    public void Standardize_NumericColumns_MatchesNormalizeMeanVarianceWithoutFixZero()
    {
        // ML.NET's z-score with fixZero: false uses the population variance, as we do; it multiplies by 1/σ where we
        // divide by σ, so the two agree to float rounding (relative 1e-5; values here reach |z| ≈ 30 for CapitalGain).
        var context = new MLContext(seed: 1);
        IDataView data = context.Transforms.Concatenate("Numeric", s_numeric).Fit(Load(context)).Transform(Load(context));
        float[] ours = ColumnBits.Singles(context.Transforms.Standardize("Z", "Numeric").Fit(data).Transform(data), "Z").Select(BitConverter.Int32BitsToSingle).ToArray();
        float[] oracle = ColumnBits.Singles(context.Transforms.NormalizeMeanVariance("Z", "Numeric", fixZero: false).Fit(data).Transform(data), "Z").Select(BitConverter.Int32BitsToSingle).ToArray();

        Assert.Equal(oracle.Length, ours.Length);
        for (int i = 0; i < ours.Length; i++)
        {
            Assert.True(Math.Abs(ours[i] - oracle[i]) <= 1e-5 * Math.Max(1, Math.Abs(oracle[i])), $"value {i}: {ours[i]} vs {oracle[i]}");
        }
    }

    [Fact]
    public void OneHotAndStandardizeThenNetwork_Adult_BeatsTheMajorityClassAndRoundTrips()
    {
        var context = new MLContext(seed: 1);
        DataOperationsCatalog.TrainTestData split = context.Data.TrainTestSplit(Load(context), testFraction: 0.2, seed: 1);
        IEstimator<ITransformer> pipeline = context.Transforms.Concatenate("Numeric", s_numeric)
            .Append(context.Transforms.Standardize("Numeric"));
        foreach (string column in s_categorical)
        {
            pipeline = pipeline.Append(context.Transforms.Conversion.MapValueToKey(column + "Key", column))
                .Append(context.Transforms.OneHot(column + "Hot", column + "Key"));
        }

        pipeline = pipeline
            .Append(context.Transforms.Concatenate("Features", ["Numeric", .. s_categorical.Select(c => c + "Hot")]))
            .Append(context.BinaryClassification.Trainers.NeuralNetwork(new NeuralNetworkOptions
            {
                HiddenSize = 32, Epochs = 30, BatchSize = 64, LearningRate = 0.003f, L2Regularization = 1e-2f, Seed = 1,
            }));

        ITransformer model = pipeline.Fit(split.TrainSet);
        IDataView scored = model.Transform(split.TestSet);
        CalibratedBinaryClassificationMetrics metrics = context.BinaryClassification.Evaluate(scored);
        double majority = 1 - scored.GetColumn<bool>("Label").Average(l => l ? 1.0 : 0.0);
        output.WriteLine($"adult sample: accuracy {metrics.Accuracy:P2} (majority class {majority:P2}), AUC {metrics.AreaUnderRocCurve:F4}");
        Assert.True(metrics.Accuracy >= 0.80 && metrics.Accuracy > majority + 0.03, $"accuracy {metrics.Accuracy:P2}");
        Assert.True(metrics.AreaUnderRocCurve >= 0.85, $"AUC {metrics.AreaUnderRocCurve:F4}");

        using var directory = new TempDirectory();
        context.Model.Save(model, split.TrainSet.Schema, directory.File("adult.zip"));
        IDataView reloaded = context.Model.Load(directory.File("adult.zip"), out _).Transform(split.TestSet);
        Assert.Equal(ColumnBits.Singles(scored, "Score"), ColumnBits.Singles(reloaded, "Score"));
    }

    [Fact]
    public void Network_SparseFeaturesFromMLNetOneHotEncoding_TrainsExactlyAsOnDenseOnes()
    {
        // ML.NET's OneHotEncoding writes sparse vectors, ours dense; the trainer densifies, so the same values
        // must give the same network, bit for bit.
        var context = new MLContext(seed: 1);
        IDataView data = Load(context);
        NeuralNetworkOptions options = new() { HiddenSize = 8, Epochs = 2, BatchSize = 64, Seed = 1 };

        float[] Train(Func<string, IEstimator<ITransformer>> encode)
        {
            IEstimator<ITransformer> pipeline = context.Transforms.Concatenate("Numeric", s_numeric).Append(context.Transforms.Standardize("Numeric"));
            foreach (string column in s_categorical)
            {
                pipeline = pipeline.Append(encode(column));
            }

            ITransformer features = pipeline.Append(context.Transforms.Concatenate("Features", ["Numeric", .. s_categorical.Select(c => c + "Hot")])).Fit(data);
            IDataView featurized = features.Transform(data);
            return context.BinaryClassification.Trainers.NeuralNetwork(options).Fit(featurized).Model.HiddenWeights.ToArray();
        }

        float[] sparse = Train(c => context.Transforms.Categorical.OneHotEncoding(c + "Hot", c, OneHotEncodingEstimator.OutputKind.Indicator));
        float[] dense = Train(c => context.Transforms.Conversion.MapValueToKey(c + "Key", c).Append(context.Transforms.OneHot(c + "Hot", c + "Key")));

        Assert.Equal(dense, sparse);
    }
}
