using Microsoft.ML;
using MLNetFromScratch.Transforms;

namespace MLNetFromScratch;

/// <summary>Catalog extensions for <see cref="StandardizeEstimator"/>.</summary>
public static class StandardizeCatalog
{
    /// <summary>
    /// Standardizes a Single or known-size vector-of-Single column per slot: x ↦ (x − μ) / σ, with μ and the
    /// population σ fitted in one pass; constant slots and missing values map to 0.
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The column to write.</param>
    /// <param name="inputColumnName">The column to read; <see langword="null"/> means <paramref name="outputColumnName"/>.</param>
    /// <param name="treatMissingAsError">Whether a missing value (NaN) is an error instead of mapping to 0.</param>
    public static StandardizeEstimator Standardize(
        this TransformsCatalog catalog,
        string outputColumnName,
        string? inputColumnName = null,
        bool treatMissingAsError = StandardizeOptions.Defaults.TreatMissingAsError) =>
        catalog.Standardize(new StandardizeOptions
        {
            OutputColumnName = outputColumnName,
            InputColumnName = inputColumnName,
            TreatMissingAsError = treatMissingAsError,
        });

    /// <summary>Standardizes a column with every option given (see <see cref="StandardizeOptions"/>).</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="options">The options.</param>
    public static StandardizeEstimator Standardize(this TransformsCatalog catalog, StandardizeOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new StandardizeEstimator(catalog, options);
    }
}
