namespace MLNetFromScratch.Persistence;

/// <summary>
/// The output row of a padded-vector mapping: a vector whose size is fixed at compile time (one class per
/// tier, see <see cref="PaddedVectorTiers"/>), of which the mapping fills a prefix known at fit time.
/// </summary>
internal interface IPaddedVector
{
    /// <summary>The padded values; the mapping writes the first k, the rest stay 0 and are trimmed.</summary>
    float[] Values { get; }
}
