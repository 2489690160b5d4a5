namespace MLNetFromScratch.Core.Preprocessing;

/// <summary>
/// One-hot codes, the <c>np.eye(k)[y]</c> of the tutorial: category index i of k becomes the vector e_i of
/// length k (1 in slot i, 0 elsewhere); an unknown category (index -1) becomes the zero vector.
/// </summary>
/// <remarks>
/// Categories of a number column are its distinct whole values, sorted ascending: slot i stands for the
/// i-th smallest. Lookup is a binary search, O(log k) a row.
/// </remarks>
public static class OneHotCode
{
    /// <summary>The largest magnitude, 2^53, below which every whole number is exact in double precision.</summary>
    public const double MaxExactWholeNumber = 9007199254740992d;

    /// <summary>
    /// The slot of <paramref name="value"/> among <paramref name="sortedCategories"/> (ascending, distinct, no NaN),
    /// or -1 when it is not one of them (NaN included). −0 and +0 are the same category.
    /// </summary>
    public static int SlotOf(ReadOnlySpan<double> sortedCategories, double value)
    {
        if (double.IsNaN(value))
        {
            return -1;
        }

        int slot = sortedCategories.BinarySearch(value);
        return slot >= 0 ? slot : -1;
    }

    /// <summary>Writes e_<paramref name="slot"/> into <paramref name="destination"/> (length k); slot -1 writes zeros.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="slot"/> is not in -1..k-1.</exception>
    public static void Write(int slot, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slot, -1);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(slot, destination.Length);
        destination.Clear();
        if (slot >= 0)
        {
            destination[slot] = 1f;
        }
    }

    /// <summary>Whether <paramref name="value"/> is a whole number that double precision holds exactly (|x| ≤ 2^53).</summary>
    public static bool IsExactWholeNumber(double value) =>
        double.IsFinite(value) && Math.Floor(value) == value && Math.Abs(value) <= MaxExactWholeNumber;
}
