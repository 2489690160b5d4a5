using Microsoft.ML;
using MLNetFromScratch.Tuning;

namespace MLNetFromScratch.Tests.Tuning;

public sealed class GridSearchTests(DigitsGridFixture fixture) : IClassFixture<DigitsGridFixture>
{
    [Fact]
    public void GridSearch_Digits3x3_EqualsEachFoldRunByHand()
    {
        GridSearchResult result = fixture.Sequential;
        Assert.Equal(9, result.Candidates.Count);
        var folds = FoldAssignment.Create(fixture.Data, DigitsGridFixture.Folds, "Digit", null, DigitsGridFixture.Seed);

        var byHandMeans = new Dictionary<int, double>();
        foreach (ParameterSet set in fixture.Grid.GetCandidates())
        {
            CandidateResult candidate = result.Candidates.Single(c => c.Parameters.Index == set.Index);
            for (int f = 0; f < DigitsGridFixture.Folds; f++)
            {
                var ml = new MLContext(GridSearchResult.FitSeed(DigitsGridFixture.Seed, set.Index, f));
                ITransformer model = DigitsGridFixture.Pipeline(ml, set).Fit(folds.GetTrainSet(fixture.Data, f));
                var metrics = ml.MulticlassClassification.Evaluate(model.Transform(folds.GetTestSet(fixture.Data, f)), "Label");

                FoldResult fold = candidate.Folds[f];
                Assert.Equal(f, fold.Fold);
                Assert.Equal(metrics.MicroAccuracy, fold["MicroAccuracy"]);
                Assert.Equal(metrics.MacroAccuracy, fold["MacroAccuracy"]);
                Assert.Equal(metrics.LogLoss, fold["LogLoss"]);
                Assert.Equal(metrics.LogLossReduction, fold["LogLossReduction"]);
            }

            byHandMeans[set.Index] = candidate.Folds.Average(f => f["MicroAccuracy"]);
            Assert.Equal(byHandMeans[set.Index], candidate.Metrics["MicroAccuracy"].Mean);
        }

        // Rank: MicroAccuracy descending, ties in grid order.
        int[] expectedOrder = [.. byHandMeans.OrderByDescending(p => p.Value).ThenBy(p => p.Key).Select(p => p.Key)];
        Assert.Equal(expectedOrder, result.Candidates.Select(c => c.Parameters.Index));
        Assert.Equal(Enumerable.Range(1, 9), result.Candidates.Select(c => c.Rank));
        Assert.True(result.Best.Metrics["MicroAccuracy"].Mean > 0.9, result.ToString());
    }

    [Fact]
    public void GridSearch_ParallelFour_EqualsSequentialBitForBit()
    {
        int reports = 0;
        var progress = new SynchronousProgress(_ => Interlocked.Increment(ref reports));
        GridSearchResult parallel = fixture.Search(maxDegreeOfParallelism: 4, progress);

        Assert.Equal(45, reports);
        AssertSameRanking(fixture.Sequential, parallel);
    }

    [Fact]
    public void GridSearch_BestModel_IsRefittedAndSaves()
    {
        GridSearchResult result = fixture.Sequential;
        Assert.NotNull(result.Model);
        var ml = new MLContext();
        var metrics = ml.MulticlassClassification.Evaluate(result.Model.Transform(fixture.Data));
        Assert.True(metrics.MicroAccuracy > 0.9);

        using var stream = new MemoryStream();
        ml.Model.Save(result.Model, fixture.Data.Schema, stream);
        Assert.True(stream.Length > 0);
    }

    [Fact]
    public void GridSearch_CancelledToken_ThrowsOperationCanceled()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => new MLContext().MulticlassClassification.GridSearch(
            fixture.Data, fixture.Grid, DigitsGridFixture.Pipeline, numberOfFolds: 5,
            options: new GridSearchOptions { StratificationColumnName = "Digit" }, cancellationToken: cancellation.Token));
    }

    [Fact]
    public void GridSearch_LabelNotInData_ThrowsNamingColumn()
    {
        var e = Assert.Throws<ArgumentException>(() => new MLContext().MulticlassClassification.GridSearch(
            fixture.Data, fixture.Grid, DigitsGridFixture.Pipeline, labelColumnName: "Label"));
        Assert.Contains("'Label'", e.Message, StringComparison.Ordinal);
        Assert.Equal("labelColumnName", e.ParamName);
    }

    [Fact]
    public void GridSearch_UnknownRankMetric_ThrowsNamingIt()
    {
        var e = Assert.Throws<ArgumentException>(() => new MLContext().MulticlassClassification.GridSearch(
            fixture.Data, fixture.Grid, DigitsGridFixture.Pipeline, rankBy: "Accuracy",
            options: new GridSearchOptions { StratificationColumnName = "Digit" }));
        Assert.Contains("'Accuracy'", e.Message, StringComparison.Ordinal);
        Assert.Equal("rankBy", e.ParamName);
    }

    internal static void AssertSameRanking(GridSearchResult expected, GridSearchResult actual)
    {
        Assert.Equal(expected.RunFingerprint, actual.RunFingerprint);
        Assert.Equal(expected.Candidates.Select(c => c.Parameters.Index), actual.Candidates.Select(c => c.Parameters.Index));
        for (int c = 0; c < expected.Candidates.Count; c++)
        {
            for (int f = 0; f < expected.NumberOfFolds; f++)
            {
                // Bit for bit, NaN included.
                Assert.Equal(
                    expected.Candidates[c].Folds[f].Metrics.Select(BitConverter.DoubleToInt64Bits),
                    actual.Candidates[c].Folds[f].Metrics.Select(BitConverter.DoubleToInt64Bits));
            }
        }
    }

    /// <summary>Calls back on the reporting thread (<see cref="Progress{T}"/> would post to the thread pool).</summary>
    private sealed class SynchronousProgress(Action<GridSearchProgress> report) : IProgress<GridSearchProgress>
    {
        public void Report(GridSearchProgress value) => report(value);
    }
}
