namespace MLNetFromScratch.Tuning;

/// <summary>One candidate's cross-validated scores: its folds, each metric's mean and standard deviation, its fit time and rank.</summary>
public sealed class CandidateResult
{
    internal CandidateResult(int rank, ParameterSet parameters, IReadOnlyList<string> metricNames, IReadOnlyList<FoldResult> folds)
    {
        Rank = rank;
        Parameters = parameters;
        MetricNames = metricNames;
        Folds = folds;
        Metrics = metricNames
            .Select((name, m) => (name, summary: MetricSummary.Of(folds.Select(f => f.Metrics[m]))))
            .ToDictionary(p => p.name, p => p.summary);
        FitTime = TimeSpan.FromTicks(folds.Sum(f => f.FitTime.Ticks));
    }

    /// <summary>1 for the best candidate; ties keep grid order.</summary>
    public int Rank { get; }

    /// <summary>The candidate's parameters.</summary>
    public ParameterSet Parameters { get; }

    /// <summary>The metric names, in the evaluator's order.</summary>
    public IReadOnlyList<string> MetricNames { get; }

    /// <summary>Each fold's result, in fold order.</summary>
    public IReadOnlyList<FoldResult> Folds { get; }

    /// <summary>Each metric's mean and standard deviation over the folds.</summary>
    public IReadOnlyDictionary<string, MetricSummary> Metrics { get; }

    /// <summary>The total time of the fold fits.</summary>
    public TimeSpan FitTime { get; }

    /// <inheritdoc/>
    public override string ToString() => $"#{Rank} {Parameters}";
}
