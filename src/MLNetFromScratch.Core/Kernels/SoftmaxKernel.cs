using System.Runtime.CompilerServices;

namespace MLNetFromScratch.Core.Kernels;

/// <summary>Row-wise softmax that subtracts each row's maximum first, so no exponent overflows.</summary>
public static class SoftmaxKernel
{
    // Fully optimized at first call, like every method a training step runs (see TwoLayerNetwork.ComputeGradients).
    /// <summary>p[r, k] = e^(z[r, k] - m_r) / Σ_j e^(z[r, j] - m_r), with m_r = max_j z[r, j]; returns nothing.</summary>
    /// <remarks>z, p: (rows, classes) row-major. p may alias z.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(Span<float> p, ReadOnlySpan<float> z, int rows, int classes)
    {
        for (int r = 0; r < rows; r++)
        {
            _ = LogSumExpRow(p.Slice(r * classes, classes), z.Slice(r * classes, classes));
        }
    }

    /// <summary>
    /// Writes the softmax of one row into <paramref name="p"/> and returns log Σ_j e^(z_j), computed as
    /// m + log Σ_j e^(z_j - m) so it is finite for every finite input.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float LogSumExpRow(Span<float> p, ReadOnlySpan<float> z)
    {
        float max = float.NegativeInfinity;
        for (int k = 0; k < z.Length; k++)
        {
            max = MathF.Max(max, z[k]);
        }

        float sum = 0f;
        for (int k = 0; k < z.Length; k++)
        {
            float e = MathF.Exp(z[k] - max);
            p[k] = e;
            sum += e;
        }

        float inverse = 1f / sum;
        for (int k = 0; k < z.Length; k++)
        {
            p[k] *= inverse;
        }

        return max + MathF.Log(sum);
    }
}
