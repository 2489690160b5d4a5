namespace MLNetFromScratch.Tuning;

/// <summary>The metrics of one candidate trained without fold <see cref="Fold"/> and evaluated on it.</summary>
public sealed class FoldResult
{
    private readonly double[] _metrics;

    internal FoldResult(int candidateIndex, int fold, IReadOnlyList<string> metricNames, double[] metrics, TimeSpan fitTime)
    {
        CandidateIndex = candidateIndex;
        Fold = fold;
        MetricNames = metricNames;
        _metrics = metrics;
        FitTime = fitTime;
    }

    /// <summary>The candidate's index in its grid.</summary>
    public int CandidateIndex { get; }

    /// <summary>The held-out fold, 0..k-1.</summary>
    public int Fold { get; }

    /// <summary>The metric names, in the order of <see cref="Metrics"/>.</summary>
    public IReadOnlyList<string> MetricNames { get; }

    /// <summary>The metric values on the held-out fold (NaN where the evaluator has none, such as LogLoss of an uncalibrated binary model).</summary>
    public IReadOnlyList<double> Metrics => _metrics;

    /// <summary>The wall-clock time of <c>Fit</c> on the training folds (not of the evaluation).</summary>
    public TimeSpan FitTime { get; }

    /// <summary>The value of one metric.</summary>
    /// <param name="metric">A metric name such as <c>"MicroAccuracy"</c>.</param>
    /// <returns>The value on this fold.</returns>
    /// <exception cref="ArgumentException">The task has no such metric.</exception>
    public double this[string metric]
    {
        get
        {
            int i = MetricNames.ToList().IndexOf(metric);
            return i >= 0 ? _metrics[i] : throw new ArgumentException($"No metric '{metric}'; there are {string.Join(", ", MetricNames)}.", nameof(metric));
        }
    }
}
