using Microsoft.ML;

namespace MLNetFromScratch.Tuning;

/// <summary>
/// The ranked table of a grid search: every candidate with each metric's mean and standard deviation over the folds, best first,
/// and the best candidate refitted on all the data in <see cref="Model"/>.
/// </summary>
public sealed partial class GridSearchResult
{
    internal GridSearchResult(
        GridSearchTask task, ParameterGrid grid, string rankBy, bool higherIsBetter, int numberOfFolds, int seed, string runFingerprint,
        IReadOnlyList<FoldResult> folds)
    {
        Task = task;
        RankBy = rankBy;
        HigherIsBetter = higherIsBetter;
        NumberOfFolds = numberOfFolds;
        Seed = seed;
        RunFingerprint = runFingerprint;
        MetricNames = GridMetrics.Names(task);

        int metric = MetricNames.ToList().IndexOf(rankBy);
        var unranked = folds
            .GroupBy(f => f.CandidateIndex)
            .Select(g => (parameters: grid[g.Key], folds: (IReadOnlyList<FoldResult>)[.. g.OrderBy(f => f.Fold)]))
            .OrderBy(c => c.parameters.Index)
            .Select(c => (c.parameters, c.folds, score: c.folds.Average(f => f.Metrics[metric])))
            .ToList();

        // Stable sort: ties keep grid order; NaN scores go last whatever the direction.
        var ranked = unranked
            .OrderBy(c => double.IsNaN(c.score) ? 1 : 0)
            .ThenBy(c => higherIsBetter ? -c.score : c.score)
            .ToList();
        Candidates = [.. ranked.Select((c, i) => new CandidateResult(i + 1, c.parameters, MetricNames, c.folds))];
    }

    /// <summary>The task, which fixes the metrics.</summary>
    public GridSearchTask Task { get; }

    /// <summary>The metric the candidates are ranked by.</summary>
    public string RankBy { get; }

    /// <summary>Whether a higher <see cref="RankBy"/> ranks first.</summary>
    public bool HigherIsBetter { get; }

    /// <summary>The number of folds k.</summary>
    public int NumberOfFolds { get; }

    /// <summary>The seed of the folds and of every fit's <see cref="MLContext"/>.</summary>
    public int Seed { get; }

    /// <summary>A hash of the task, grid, columns, folds, seed and row count: runs with the same fingerprint evaluated the same fits.</summary>
    public string RunFingerprint { get; }

    /// <summary>The metric names, in the evaluator's order.</summary>
    public IReadOnlyList<string> MetricNames { get; }

    /// <summary>Every candidate, best first.</summary>
    public IReadOnlyList<CandidateResult> Candidates { get; }

    /// <summary>The best candidate (rank 1).</summary>
    public CandidateResult Best => Candidates[0];

    /// <summary>
    /// The best candidate's pipeline fitted on all the data, ready for <c>mlContext.Model.Save</c>; <c>null</c> after
    /// <see cref="Merge"/> or when <see cref="GridSearchOptions.RefitBest"/> is off (then fit <c>pipelineFactory(new MLContext(seed), Best.Parameters)</c> yourself).
    /// </summary>
    public ITransformer? Model { get; internal set; }

    /// <summary>
    /// The seed of the <see cref="MLContext"/> that fits candidate <paramref name="candidateIndex"/> without fold <paramref name="fold"/>
    /// (fold -1: the refit on all the data), to rerun one fit by hand.
    /// </summary>
    /// <param name="seed">The search's seed.</param>
    /// <param name="candidateIndex">The candidate's grid index.</param>
    /// <param name="fold">The held-out fold, or -1.</param>
    /// <returns>A non-negative seed that depends on these three numbers only.</returns>
    public static int FitSeed(int seed, int candidateIndex, int fold) => SplitMix64.FitSeed(seed, candidateIndex, fold);

    /// <summary>
    /// Ranks the fold results of all the shards of one sharded search as if it had run in one process.
    /// </summary>
    /// <param name="grid">The grid the shards ran (the same axes, values and order).</param>
    /// <param name="shards">Every shard exactly once, in any order.</param>
    /// <param name="rankBy">The metric to rank by; <c>null</c> for the task's default.</param>
    /// <param name="higherIsBetter">The ranking direction; <c>null</c> for the metric's natural one.</param>
    /// <returns>The ranked table, without <see cref="Model"/>.</returns>
    /// <exception cref="ArgumentException">No shards; a shard of another grid or run; a shard missing, duplicated, or incomplete; an unknown metric.</exception>
    public static GridSearchResult Merge(ParameterGrid grid, IEnumerable<GridSearchShard> shards, string? rankBy = null, bool? higherIsBetter = null)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(shards);
        var list = shards.ToList();
        if (list.Count == 0)
            throw new ArgumentException("No shards to merge.", nameof(shards));

        foreach (var shard in list)
        {
            if (shard.GridFingerprint != grid.Fingerprint)
                throw new ArgumentException($"Shard {shard.ShardIndex} of {shard.ShardCount} belongs to another grid (fingerprint {shard.GridFingerprint}, this grid's is {grid.Fingerprint}).", nameof(shards));
        }

        GridSearchShard first = list[0];
        foreach (var shard in list)
        {
            if (shard.RunFingerprint != first.RunFingerprint || shard.ShardCount != first.ShardCount)
                throw new ArgumentException($"Shard {shard.ShardIndex} of {shard.ShardCount} (run {shard.RunFingerprint}) is from another run than shard {first.ShardIndex} of {first.ShardCount} (run {first.RunFingerprint}): different data, columns, folds, seed or shard count.", nameof(shards));
        }

        foreach (var duplicate in list.GroupBy(s => s.ShardIndex).Where(g => g.Count() > 1))
            throw new ArgumentException($"Shard {duplicate.Key} of {first.ShardCount} appears {duplicate.Count()} times.", nameof(shards));
        var missing = Enumerable.Range(0, first.ShardCount).Except(list.Select(s => s.ShardIndex)).ToList();
        if (missing.Count > 0)
            throw new ArgumentException($"Shard(s) {string.Join(", ", missing)} of {first.ShardCount} missing.", nameof(shards));
        foreach (var shard in list)
            shard.CheckComplete(grid.Count, nameof(shards));

        string metric = GridMetrics.ResolveRankBy(first.Task, rankBy);
        return new GridSearchResult(
            first.Task, grid, metric, higherIsBetter ?? GridMetrics.HigherIsBetter(metric), first.NumberOfFolds, first.Seed, first.RunFingerprint,
            [.. list.SelectMany(s => s.Folds)]);
    }
}
