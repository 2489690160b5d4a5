using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNetFromScratch.Core.Kernels;

/// <summary>
/// Gathers the non-zero values of a dense row and their columns, in order, without a branch a value: 8 values at a
/// time, the non-zero lanes are moved to the front of the vector by a permutation looked up by their bit mask, and
/// the whole vector is stored at the current end; the lanes past the non-zeros are overwritten by the next store.
/// </summary>
internal static class NonZeroPacking
{
    /// <summary>Values a step; the destinations need this much room past the row's length.</summary>
    public const int Lanes = 8;

    // For each 8-bit mask, the positions of its set bits in order, then zeros: 256 × 8 lane indices.
    private static readonly int[] Permutations = CreatePermutations();

    /// <summary>
    /// Writes the non-zeros of <paramref name="row"/> (±0 left out) and their positions to the front of
    /// <paramref name="values"/> and <paramref name="indices"/>, and returns how many there are.
    /// </summary>
    /// <remarks>Both destinations must hold at least <c>row.Length + </c><see cref="Lanes"/> elements.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe int Pack(ReadOnlySpan<float> row, Span<int> indices, Span<float> values)
    {
        if (indices.Length < row.Length + Lanes || values.Length < row.Length + Lanes)
        {
            throw new ArgumentException($"The destinations need room for {row.Length + Lanes} elements.", nameof(indices));
        }

        int n = 0, c = 0;
        if (Avx2.IsSupported)
        {
            fixed (float* source = row, packedValues = values)
            fixed (int* packedIndices = indices, permutations = Permutations)
            {
                Vector256<int> step = Vector256.Create(Lanes);
                Vector256<int> columns = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
                for (; c + Lanes <= row.Length; c += Lanes)
                {
                    Vector256<float> x = Avx.LoadVector256(source + c);
                    uint mask = ~Vector256.Equals(x, Vector256<float>.Zero).ExtractMostSignificantBits() & 0xFF;
                    Vector256<int> order = Avx.LoadVector256(permutations + (mask * Lanes));
                    Avx.Store(packedValues + n, Avx2.PermuteVar8x32(x, order));
                    Avx.Store(packedIndices + n, Avx2.PermuteVar8x32(columns, order));
                    columns += step;
                    n += BitOperations.PopCount(mask);
                }
            }
        }

        for (; c < row.Length; c++)
        {
            if (row[c] != 0f)
            {
                indices[n] = c;
                values[n++] = row[c];
            }
        }

        return n;
    }

    private static int[] CreatePermutations()
    {
        var permutations = new int[256 * Lanes];
        for (int mask = 0; mask < 256; mask++)
        {
            int at = 0;
            for (int lane = 0; lane < Lanes; lane++)
            {
                if ((mask & (1 << lane)) != 0)
                {
                    permutations[(mask * Lanes) + at++] = lane;
                }
            }
        }

        return permutations;
    }
}
