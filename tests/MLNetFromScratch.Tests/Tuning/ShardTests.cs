using Microsoft.ML;
using Microsoft.ML.Trainers;
using MLNetFromScratch.Tuning;

namespace MLNetFromScratch.Tests.Tuning;

public sealed class ShardTests
{
    private const int Seed = 5;
    private static readonly IDataView s_iris = TuningData.Iris(new MLContext());

    private static ParameterGrid Grid(float lastL2 = 1f) => new ParameterGrid()
        .Add(nameof(LbfgsMaximumEntropyMulticlassTrainer.Options.L2Regularization), new[] { 1e-3f, 0.1f, lastL2 })
        .Add(nameof(LbfgsMaximumEntropyMulticlassTrainer.Options.L1Regularization), new[] { 0f, 0.1f });

    private static IEstimator<ITransformer> Pipeline(MLContext ml, ParameterSet set) =>
        ml.Transforms.Conversion.MapValueToKey("Label", "Species")
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(
                set.ApplyTo(new LbfgsMaximumEntropyMulticlassTrainer.Options { NumberOfThreads = 1, MaximumNumberOfIterations = 20 })));

    private static GridSearchOptions Options => new() { StratificationColumnName = "Species", MaxDegreeOfParallelism = 2 };

    private static GridSearchShard Shard(int index, int count, ParameterGrid? grid = null, int seed = Seed)
    {
        GridSearchShard shard = new MLContext().Data.GridSearchShard(
            GridSearchTask.MulticlassClassification, s_iris, grid ?? Grid(), Pipeline, index, count, seed: seed, options: Options);

        // Through the file format, as between machines.
        using var writer = new StringWriter();
        shard.Write(writer);
        return GridSearchShard.Read(new StringReader(writer.ToString()));
    }

    [Fact]
    public void Merge_ThreeShards_EqualsUnshardedRun()
    {
        GridSearchResult whole = new MLContext().MulticlassClassification.GridSearch(s_iris, Grid(), Pipeline, seed: Seed, options: Options);
        GridSearchShard[] shards = [Shard(2, 3), Shard(0, 3), Shard(1, 3)];
        Assert.Equal([0, 3], shards[1].Folds.Select(f => f.CandidateIndex).Distinct());

        GridSearchResult merged = GridSearchResult.Merge(Grid(), shards);

        GridSearchTests.AssertSameRanking(whole, merged);
        Assert.Null(merged.Model);
        Assert.NotNull(whole.Model);
    }

    [Fact]
    public void Merge_MissingDuplicatedOrForeignShard_ThrowsSayingWhich()
    {
        GridSearchShard s0 = Shard(0, 3), s1 = Shard(1, 3), s2 = Shard(2, 3);

        var missing = Assert.Throws<ArgumentException>(() => GridSearchResult.Merge(Grid(), [s0, s2]));
        Assert.Contains("Shard(s) 1 of 3 missing", missing.Message, StringComparison.Ordinal);

        var duplicated = Assert.Throws<ArgumentException>(() => GridSearchResult.Merge(Grid(), [s0, s1, s1, s2]));
        Assert.Contains("Shard 1 of 3 appears 2 times", duplicated.Message, StringComparison.Ordinal);

        var otherGrid = Assert.Throws<ArgumentException>(() => GridSearchResult.Merge(Grid(), [s0, s1, Shard(2, 3, Grid(lastL2: 2f))]));
        Assert.Contains("Shard 2 of 3 belongs to another grid", otherGrid.Message, StringComparison.Ordinal);

        var otherSeed = Assert.Throws<ArgumentException>(() => GridSearchResult.Merge(Grid(), [s0, s1, Shard(2, 3, seed: Seed + 1)]));
        Assert.Contains("another run", otherSeed.Message, StringComparison.Ordinal);
        Assert.All([missing, duplicated, otherGrid, otherSeed], e => Assert.Equal("shards", e.ParamName));
    }

    [Fact]
    public void Read_NotAShardFile_ThrowsInvalidData() =>
        Assert.Throws<InvalidDataException>(() => GridSearchShard.Read(new StringReader("{\"FormatVersion\": 99}")));
}
