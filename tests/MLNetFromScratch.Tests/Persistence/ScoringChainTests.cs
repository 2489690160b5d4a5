using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using MLNetFromScratch.Tests.Infrastructure;
using MLNetFromScratch.Tests.Trainers;
using MLNetFromScratch.Trainers.Scoring;
using static MLNetFromScratch.Tests.Infrastructure.ScoringChecks;

namespace MLNetFromScratch.Tests.Persistence;

/// <summary>
/// The chain of ML.NET transforms a fitted network scores with: the current multiclass chain (one mapping writes the
/// probabilities and the class index), and models saved by the previous chain (arg-max as a stage of its own), which
/// must keep loading and scoring as their network does.
/// </summary>
public sealed class ScoringChainTests
{
    private static string ModelPath(string name) => Path.Combine(AppContext.BaseDirectory, "Persistence", "Models", name);

    [Fact]
    public void Multiclass_FittedChain_PredictedLabelIsTheFirstLargestScoreWithoutAnArgMaxStage()
    {
        var context = new MLContext(seed: 1);
        IDataView data = TrainerData.Digits(context);
        var trainer = context.MulticlassClassification.Trainers.NeuralNetwork(new NeuralNetworkOptions { HiddenSize = 16, Epochs = 3, Seed = 1 });
        TransformerChain<NeuralNetworkPredictionTransformer> model = context.Transforms.Conversion.MapValueToKey("Label", "Digit").Append(trainer).Fit(data);

        NeuralNetworkPredictionTransformer network = model.LastTransformer;
        Assert.DoesNotContain(network.InnerChain, t => t is CustomMappingTransformer<ArgMaxMappingFactory.ScoreRow, ArgMaxMappingFactory.IndexRow>);
        // In memory the class-name mapping reads the features only (its saved twin reads the state as well).
        Assert.Contains(network.InnerChain, t => t is CustomMappingTransformer<TrainedNetwork.FeaturesRow, ClassNameScoreRow16>);

        IDataView scored = model.Transform(data);
        float[][] scores = [.. scored.GetColumn<float[]>("Score")];
        uint[] keys = ColumnBits.Keys(scored, "PredictedLabel");
        Assert.All(scores, s => Assert.Equal(10, s.Length));
        Assert.Equal(scores.Select(s => (uint)ArgMax(s) + 1), keys);
    }

    [Fact]
    public void Multiclass_ClassCountFillsATier_RoundTripsWithoutTrimming()
    {
        // Four classes fill the smallest padded tier exactly: Score is a copy of the mapping's output, not a trim.
        var context = new MLContext(seed: 1);
        IDataView digits = context.Data.FilterRowsByColumn(TrainerData.Digits(context), "Digit", upperBound: 4);
        DataOperationsCatalog.TrainTestData split = TrainerData.Split(context, digits);
        IEstimator<ITransformer> pipeline = context.Transforms.Conversion.MapValueToKey("Label", "Digit")
            .Append(context.Transforms.Standardize("Features"))
            .Append(context.MulticlassClassification.Trainers.NeuralNetwork(new NeuralNetworkOptions { HiddenSize = 32, Epochs = 60, Seed = 1 }));

        ITransformer model = EstimatorWorkout.Run(
            context, pipeline, Shapes.Of<DigitsShape>(context), split.TrainSet, split.TestSet, "Score", "PredictedLabel");

        IDataView scored = model.Transform(split.TestSet);
        Assert.Equal(4, ((VectorDataViewType)scored.Schema["Score"].Type).Size);
        NeuralNetworkPredictionTransformer network = ((TransformerChain<NeuralNetworkPredictionTransformer>)model).LastTransformer;
        Assert.DoesNotContain(network.InnerChain, t => t.GetType().Name == "SlotsDroppingTransformer"); // internal to ML.NET
        float[][] scores = [.. scored.GetColumn<float[]>("Score")];
        Assert.Equal(scores.Select(s => (uint)ArgMax(s) + 1), ColumnBits.Keys(scored, "PredictedLabel"));
        double accuracy = context.MulticlassClassification.Evaluate(scored).MicroAccuracy;
        Assert.True(accuracy >= 0.9, $"accuracy {accuracy:P2}");
    }

    [Fact]
    public void Load_MulticlassModelOfChainVersion1_ScoresAsItsNetworkHereAndInAFreshProcess()
    {
        // Saved by the version-1 chain (the padded scores, a trim, a copy to Score, an arg-max mapping, the key lookup).
        var context = new MLContext(seed: 1);
        ITransformer loaded = context.Model.Load(ModelPath("multiclass-iris-v1.zip"), out _);
        Assert.Contains(Stages(loaded), t => t is CustomMappingTransformer<ArgMaxMappingFactory.ScoreRow, ArgMaxMappingFactory.IndexRow>);
        IDataView data = TrainerData.Iris(context);
        NeuralNetworkModelParameters network = NeuralNetworkModelParameters.FromModel(loaded);
        float[][] features = [.. data.GetColumn<float[]>("Features")];

        IDataView scored = loaded.Transform(data);

        int[] direct = [.. features.SelectMany(f => Bits(Score(network, f)))];
        Assert.Equal(direct, ColumnBits.Singles(scored, "Score"));
        Assert.Equal(features.Select(f => (uint)ArgMax(Score(network, f)) + 1), ColumnBits.Keys(scored, "PredictedLabel"));
        Assert.Equal(["setosa", "versicolor", "virginica"], ColumnBits.KeyValues(scored.Schema["PredictedLabel"]));
        using var directory = new TempDirectory();
        IDataView fresh = FreshProcess.Score(context, ModelPath("multiclass-iris-v1.zip"), data, directory.Path);
        Assert.Equal(direct, ColumnBits.Singles(fresh, "Score"));
        Assert.Equal(ColumnBits.Keys(scored, "PredictedLabel"), ColumnBits.Keys(fresh, "PredictedLabel"));
    }

    [Fact]
    public void Load_TwoTargetRegressionOfChainVersion1_ScoresAsItsNetworkHereAndInAFreshProcess()
    {
        // Saved by the version-1 chain (the padded values, a trim in place, a copy to Score).
        var context = new MLContext(seed: 1);
        ITransformer loaded = context.Model.Load(ModelPath("regression-two-targets-iris-v1.zip"), out _);
        Assert.Contains(Stages(loaded), t => t is ColumnCopyingTransformer);
        IDataView data = context.Data.LoadFromTextFile(
            TrainerData.PathOf("iris.csv"),
            [new TextLoader.Column("Features", DataKind.Single, 0, 1), new TextLoader.Column("Label", DataKind.Single, 2, 3)],
            separatorChar: ',', hasHeader: true);
        NeuralNetworkModelParameters network = NeuralNetworkModelParameters.FromModel(loaded);
        float[][] features = [.. data.GetColumn<float[]>("Features")];

        int[] direct = [.. features.SelectMany(f => Bits(Score(network, f)))];
        Assert.Equal(2 * features.Length, direct.Length);
        Assert.Equal(direct, ColumnBits.Singles(loaded.Transform(data), "Score"));
        using var directory = new TempDirectory();
        Assert.Equal(direct, ColumnBits.Singles(FreshProcess.Score(context, ModelPath("regression-two-targets-iris-v1.zip"), data, directory.Path), "Score"));
    }

    private sealed class DigitsShape
    {
        [VectorType(64)]
        public float[] Features { get; set; } = [];

        public float Digit { get; set; }
    }
}
