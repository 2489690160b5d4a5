namespace MLNetFromScratch.Transforms;

/// <summary>Options of <see cref="StandardizeEstimator"/>. Defaults live in <see cref="Defaults"/>.</summary>
public sealed class StandardizeOptions
{
    /// <summary>The defaults both catalog overloads use.</summary>
    public static class Defaults
    {
        /// <summary>Missing values (NaN) are replaced by the mean (0 after scaling), not refused.</summary>
        public const bool TreatMissingAsError = false;
    }

    /// <summary>The column to write: same type as the input (Single, or known-size vector of Single).</summary>
    public string OutputColumnName { get; set; } = string.Empty;

    /// <summary>The column to read; <see langword="null"/> means <see cref="OutputColumnName"/>.</summary>
    public string? InputColumnName { get; set; }

    /// <summary>
    /// When true, a missing value (NaN) is an error, at fit (naming column, row and slot) and when mapping
    /// (naming column and slot). When false, missing values are left out of the fit and map to 0.
    /// </summary>
    public bool TreatMissingAsError { get; set; } = Defaults.TreatMissingAsError;
}
