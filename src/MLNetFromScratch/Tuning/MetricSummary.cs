namespace MLNetFromScratch.Tuning;

/// <summary>A metric over the folds: the mean and the population standard deviation sqrt(sum((x_i - mean)^2) / k), as scikit-learn's <c>cv_results_</c> report.</summary>
/// <param name="Mean">The mean over the folds.</param>
/// <param name="StandardDeviation">The standard deviation over the folds (divides by k).</param>
public readonly record struct MetricSummary(double Mean, double StandardDeviation)
{
    internal static MetricSummary Of(IEnumerable<double> values)
    {
        double[] x = [.. values];
        double mean = x.Sum() / x.Length;
        double variance = x.Sum(v => (v - mean) * (v - mean)) / x.Length;
        return new MetricSummary(mean, Math.Sqrt(variance));
    }
}
