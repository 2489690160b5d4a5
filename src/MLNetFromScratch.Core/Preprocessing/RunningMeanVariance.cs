namespace MLNetFromScratch.Core.Preprocessing;

/// <summary>
/// Per-slot mean and population variance of a stream of rows, in one pass and constant memory (Welford, 1962):
/// for each value x of a slot, n += 1; d = x - mean; mean += d / n; m2 += d * (x - mean); variance = m2 / n.
/// </summary>
/// <remarks>
/// Accumulates in double precision, which keeps the update stable where the textbook sum of squares
/// (E[x²] - E[x]²) cancels catastrophically. Missing values (NaN) are skipped per slot, so each slot has its own
/// count. Infinite values are the caller's to refuse: they would make the slot's mean and variance NaN.
/// </remarks>
public sealed class RunningMeanVariance
{
    private readonly long[] _counts;
    private readonly double[] _means;
    private readonly double[] _m2;

    /// <summary>Starts empty statistics for rows of <paramref name="slots"/> values.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="slots"/> is below 1.</exception>
    public RunningMeanVariance(int slots)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        _counts = new long[slots];
        _means = new double[slots];
        _m2 = new double[slots];
    }

    /// <summary>The number of values per row.</summary>
    public int Slots => _counts.Length;

    /// <summary>Adds one row; NaN values are skipped.</summary>
    /// <exception cref="ArgumentException"><paramref name="row"/> does not have <see cref="Slots"/> values.</exception>
    public void Add(ReadOnlySpan<float> row)
    {
        if (row.Length != _counts.Length)
        {
            throw new ArgumentException($"Expected a row of {_counts.Length} values, got {row.Length}.", nameof(row));
        }

        for (int i = 0; i < row.Length; i++)
        {
            double x = row[i];
            if (double.IsNaN(x))
            {
                continue;
            }

            long n = ++_counts[i];
            double delta = x - _means[i];
            _means[i] += delta / n;
            _m2[i] += delta * (x - _means[i]);
        }
    }

    /// <summary>The number of non-missing values seen in slot <paramref name="slot"/>.</summary>
    public long Count(int slot) => _counts[slot];

    /// <summary>The mean of slot <paramref name="slot"/>; 0 when it has no values.</summary>
    public double Mean(int slot) => _means[slot];

    /// <summary>The population variance (m2 / n) of slot <paramref name="slot"/>; 0 when it has no values.</summary>
    public double Variance(int slot) => _counts[slot] == 0 ? 0 : _m2[slot] / _counts[slot];

    /// <summary>The population standard deviation, √(m2 / n), of slot <paramref name="slot"/>.</summary>
    public double StandardDeviation(int slot) => Math.Sqrt(Variance(slot));
}
