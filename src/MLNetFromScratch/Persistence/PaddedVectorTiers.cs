namespace MLNetFromScratch.Persistence;

/// <summary>
/// The padded sizes a vector output of fit-time size k is written in before being trimmed to k.
/// </summary>
/// <remarks>
/// A custom mapping's vector output needs its size at compile time (<c>[VectorType(n)]</c>), and a schema
/// definition given at run time is not saved with the model (dotnet/machinelearning#3988). So a mapping
/// writes the smallest tier that holds k, and a saved slot selection trims it to k. Tiers grow by 4: the
/// padding costs at most 4x the writes of k values (plus one copy of the padded vector by ML.NET).
/// A component declares one factory per tier (a one-line subclass of
/// <see cref="PaddedVectorMappingFactory{TSrc, TDst}"/>, each with its own contract name).
/// </remarks>
internal static class PaddedVectorTiers
{
    /// <summary>The tier sizes, smallest first.</summary>
    public static IReadOnlyList<int> Sizes { get; } = [4, 16, 64, 256, 1024, 4096, 16384, 65536];

    /// <summary>The largest vector a padded mapping can output.</summary>
    public static int MaxLength => Sizes[^1];

    /// <summary>The tier among <paramref name="tiers"/> that holds <paramref name="length"/> values with least padding.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is below 1 or above every tier.</exception>
    public static IPaddedVectorStage Select(IReadOnlyList<IPaddedVectorStage> tiers, int length, string component)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        IPaddedVectorStage? best = null;
        foreach (IPaddedVectorStage tier in tiers)
        {
            if (tier.Size >= length && (best is null || tier.Size < best.Size))
            {
                best = tier;
            }
        }

        return best ?? throw new ArgumentOutOfRangeException(
            nameof(length), length,
            $"{component}: a vector output of {length} slots is larger than the largest supported size, {tiers.Max(t => t.Size)}.");
    }
}
