namespace MLNetFromScratch.Tuning;

/// <summary>How a grid search runs: parallelism, progress, the stratification column, the refit.</summary>
public sealed class GridSearchOptions
{
    private int _maxDegreeOfParallelism = Environment.ProcessorCount;

    /// <summary>
    /// How many fold fits run at once (default: the core count). Work is split by (candidate, fold), and results are stored by
    /// position, so they are identical and in the same order for any value. Each trainer may start its own threads on top: give the
    /// trainers <see cref="ThreadsPerFit"/> threads (for example <c>NumberOfThreads</c> in ML.NET's options) so the total stays near the core count.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public int MaxDegreeOfParallelism
    {
        get => _maxDegreeOfParallelism;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(MaxDegreeOfParallelism));
            _maxDegreeOfParallelism = value;
        }
    }

    /// <summary>The thread budget of one fit: max(1, core count / <see cref="MaxDegreeOfParallelism"/>). The search does not impose it; the pipeline factory may read it.</summary>
    public int ThreadsPerFit => Math.Max(1, Environment.ProcessorCount / MaxDegreeOfParallelism);

    /// <summary>
    /// The column of the input data whose classes the folds are stratified by, for classification; <c>null</c> (default) means the label column,
    /// which must then exist in the input data. Set it when the pipeline creates the label (say <c>MapValueToKey("Label", "Species")</c>: use <c>"Species"</c>).
    /// Ignored for regression and when a sampling key is given.
    /// </summary>
    public string? StratificationColumnName { get; set; }

    /// <summary>Whether the best candidate is refitted on all the data into <see cref="GridSearchResult.Model"/> (default <c>true</c>).</summary>
    public bool RefitBest { get; set; } = true;

    /// <summary>Overrides the ranking direction: <c>null</c> (default) takes the metric's natural one (LogLoss and errors lower, the rest higher).</summary>
    public bool? HigherIsBetter { get; set; }

    /// <summary>Receives a report after every finished fold fit, from the thread that ran it.</summary>
    public IProgress<GridSearchProgress>? Progress { get; set; }
}
