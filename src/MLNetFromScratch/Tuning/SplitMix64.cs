namespace MLNetFromScratch.Tuning;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny generator whose output is fixed by its algorithm, unlike
/// <see cref="Random"/>'s, so fold assignments and per-fit seeds stay the same across .NET versions.
/// </summary>
internal sealed class SplitMix64(ulong state)
{
    private ulong _state = state;

    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>An integer in [0, bound), by Lemire's multiply-shift (bias below 2^-32 for the sizes used here).</summary>
    public int NextInt(int bound) => (int)(((Next() >> 32) * (ulong)bound) >> 32);

    /// <summary>Fisher-Yates shuffle in place.</summary>
    public void Shuffle<T>(IList<T> items)
    {
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>Mixes three integers into one well-spread 64-bit state.</summary>
    public static ulong Mix(long a, long b, long c)
    {
        var generator = new SplitMix64((ulong)a);
        ulong h = generator.Next() ^ (ulong)b;
        h = new SplitMix64(h).Next() ^ (ulong)c;
        return new SplitMix64(h).Next();
    }

    /// <summary>The seed of the <see cref="Microsoft.ML.MLContext"/> of one fit: a function of the search seed, the candidate and the fold only.</summary>
    public static int FitSeed(int seed, int candidate, int fold) => (int)(Mix(seed, candidate, fold) & int.MaxValue);
}
