namespace MLNetFromScratch.Transforms;

/// <summary>Options of <see cref="OneHotEstimator"/>. Defaults live in <see cref="Defaults"/>.</summary>
public sealed class OneHotOptions
{
    /// <summary>The defaults both catalog overloads use.</summary>
    public static class Defaults
    {
        /// <summary>An unseen value, or a missing one (key 0, NaN), maps to the zero vector rather than failing.</summary>
        public const bool TreatUnknownAsError = false;
    }

    /// <summary>The column to write: a known-size vector of Single, one slot per category.</summary>
    public string OutputColumnName { get; set; } = string.Empty;

    /// <summary>
    /// The column to read: a key (of raw type UInt32, as <c>MapValueToKey</c> makes), or a whole-number scalar
    /// (Single, Double, any integer type, Boolean). <see langword="null"/> means <see cref="OutputColumnName"/>.
    /// </summary>
    public string? InputColumnName { get; set; }

    /// <summary>
    /// When true, a value with no slot (unseen at fit, out of the key range) or a missing one (the missing key 0,
    /// NaN) is an error: <see cref="InvalidDataException"/> naming the column and the value, when mapping, and
    /// for NaN already at fit. When false, such a value maps to the zero vector.
    /// </summary>
    /// <remarks>
    /// When ML.NET reads the rows with its parallel cursors, it wraps the mapping's exception in an
    /// <see cref="InvalidOperationException"/>; the <see cref="InvalidDataException"/> is its inner exception.
    /// </remarks>
    public bool TreatUnknownAsError { get; set; } = Defaults.TreatUnknownAsError;
}
