using Microsoft.ML;
using MLNetFromScratch.Transforms;

namespace MLNetFromScratch;

/// <summary>
/// Catalog extensions for <see cref="OneHotEstimator"/>. Named <c>OneHot</c> so as not to collide with
/// ML.NET's <c>mlContext.Transforms.Categorical.OneHotEncoding</c>.
/// </summary>
public static class OneHotCatalog
{
    /// <summary>
    /// One-hot encodes a key or whole-number column: the value of category i of k becomes e_i, a vector of k
    /// Singles with 1 in slot i (<c>np.eye(k)[y]</c>). For a key, k is the key count and key j is slot j − 1;
    /// for numbers, the categories are the distinct values seen at fit, sorted ascending.
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The column to write.</param>
    /// <param name="inputColumnName">The column to read; <see langword="null"/> means <paramref name="outputColumnName"/>.</param>
    /// <param name="treatUnknownAsError">Whether an unseen or missing value is an error instead of mapping to zeros.</param>
    public static OneHotEstimator OneHot(
        this TransformsCatalog catalog,
        string outputColumnName,
        string? inputColumnName = null,
        bool treatUnknownAsError = OneHotOptions.Defaults.TreatUnknownAsError) =>
        catalog.OneHot(new OneHotOptions
        {
            OutputColumnName = outputColumnName,
            InputColumnName = inputColumnName,
            TreatUnknownAsError = treatUnknownAsError,
        });

    /// <summary>One-hot encodes a column with every option given (see <see cref="OneHotOptions"/>).</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="options">The options.</param>
    public static OneHotEstimator OneHot(this TransformsCatalog catalog, OneHotOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new OneHotEstimator(catalog, options);
    }
}
