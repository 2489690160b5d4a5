using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using MLNetFromScratch.Tests.Infrastructure;
using MLNetFromScratch.Tests.Trainers;
using static MLNetFromScratch.Tests.Infrastructure.ScoringChecks;

namespace MLNetFromScratch.Tests.Persistence;

/// <summary>
/// Models saved by the second scoring chain (the state in a value lookup, the class index turned into the key by a value
/// lookup), which must keep loading and scoring as their networks do: a multiclass network behind <c>Standardize</c>
/// (float class values), a binary classifier and a single-target regression.
/// </summary>
public sealed class ScoringChainVersion2Tests
{
    private static string ModelPath(string name) => Path.Combine(AppContext.BaseDirectory, "Persistence", "Models", name);

    [Fact]
    public void Load_MulticlassBehindStandardizeOfChainVersion2_ScoresAsItsNetworkHereAndInAFreshProcess()
    {
        var context = new MLContext(seed: 1);
        const string File = "multiclass-digits-standardized-chain2.zip";
        ITransformer loaded = context.Model.Load(ModelPath(File), out _);
        Assert.Contains(Stages(loaded), t => t is ValueMappingTransformer); // the state and the key in value lookups
        IDataView data = TrainerData.Digits(context);
        NeuralNetworkModelParameters network = NeuralNetworkModelParameters.FromModel(loaded);

        IDataView scored = loaded.Transform(data);

        // Standardize rewrote Features in place: the network scored the standardized features.
        float[][] features = [.. scored.GetColumn<float[]>("Features")];
        float[][] direct = [.. features.Select(f => Score(network, f))];
        Assert.Equal(direct.SelectMany(Bits), ColumnBits.Singles(scored, "Score"));
        Assert.Equal(direct.Select(s => (uint)ArgMax(s) + 1), ColumnBits.Keys(scored, "PredictedLabel"));
        // The label's key values are floats, which the trainer does not read: the classes are named by their index.
        Assert.Equal(Enumerable.Range(0, 10).Select(d => d.ToString(CultureInfo.InvariantCulture)), ColumnBits.KeyValues(scored.Schema["PredictedLabel"]));
        using var directory = new TempDirectory();
        IDataView fresh = FreshProcess.Score(context, ModelPath(File), data, directory.Path);
        Assert.Equal(direct.SelectMany(Bits), ColumnBits.Singles(fresh, "Score"));
        Assert.Equal(ColumnBits.Keys(scored, "PredictedLabel"), ColumnBits.Keys(fresh, "PredictedLabel"));
    }

    [Fact]
    public void Load_BinaryOfChainVersion2_ScoresAsItsNetwork()
    {
        var context = new MLContext(seed: 1);
        ITransformer loaded = context.Model.Load(ModelPath("binary-breast-cancer-chain2.zip"), out _);
        Assert.Contains(Stages(loaded), t => t is ValueMappingTransformer);
        IDataView data = TrainerData.BreastCancer(context);
        NeuralNetworkModelParameters network = NeuralNetworkModelParameters.FromModel(loaded);
        float[] logits = [.. data.GetColumn<float[]>("Features").Select(f => Score(network, f)[0])];

        IDataView scored = loaded.Transform(data);

        Assert.Equal(logits.Select(BitConverter.SingleToInt32Bits), ColumnBits.Singles(scored, "Score"));
        Assert.Equal(logits.Select(z => z > 0), scored.GetColumn<bool>("PredictedLabel"));
    }

    [Fact]
    public void Load_RegressionOfChainVersion2_ScoresAsItsNetwork()
    {
        var context = new MLContext(seed: 1);
        ITransformer loaded = context.Model.Load(ModelPath("regression-diabetes-chain2.zip"), out _);
        Assert.Contains(Stages(loaded), t => t is ValueMappingTransformer);
        IDataView data = TrainerData.Diabetes(context);
        NeuralNetworkModelParameters network = NeuralNetworkModelParameters.FromModel(loaded);
        int[] direct = [.. data.GetColumn<float[]>("Features").Select(f => BitConverter.SingleToInt32Bits(Score(network, f)[0]))];

        Assert.Equal(direct, ColumnBits.Singles(loaded.Transform(data), "Score"));
    }
}
