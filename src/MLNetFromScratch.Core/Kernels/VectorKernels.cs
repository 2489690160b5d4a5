using System.Numerics;
using System.Runtime.InteropServices;

namespace MLNetFromScratch.Core.Kernels;

/// <summary>Elementwise vector operations of the training step, SIMD with a scalar tail.</summary>
public static class VectorKernels
{
    /// <summary>destination[i] += factor · source[i]; the same bits as the scalar loop (multiply, then add: no fused rounding).</summary>
    public static void AddScaled(Span<float> destination, ReadOnlySpan<float> source, float factor)
    {
        if (source.Length != destination.Length)
        {
            throw new ArgumentException("Spans have different lengths.", nameof(source));
        }

        int i = 0;
        if (Vector.IsHardwareAccelerated && destination.Length >= Vector<float>.Count)
        {
            Span<Vector<float>> d = MemoryMarshal.Cast<float, Vector<float>>(destination);
            ReadOnlySpan<Vector<float>> s = MemoryMarshal.Cast<float, Vector<float>>(source);
            var f = new Vector<float>(factor);
            for (int v = 0; v < d.Length; v++)
            {
                d[v] += f * s[v];
            }

            i = d.Length * Vector<float>.Count;
        }

        for (; i < destination.Length; i++)
        {
            destination[i] += factor * source[i];
        }
    }

    /// <summary>Σ values[i]², accumulated in double precision (four lanes, then the tail).</summary>
    public static double SumOfSquares(ReadOnlySpan<float> values)
    {
        int i = 0;
        double total = 0;
        if (Vector.IsHardwareAccelerated && values.Length >= Vector<float>.Count)
        {
            ReadOnlySpan<Vector<float>> v = MemoryMarshal.Cast<float, Vector<float>>(values);
            Vector<double> low = Vector<double>.Zero, high = Vector<double>.Zero;
            for (int k = 0; k < v.Length; k++)
            {
                Vector.Widen(v[k], out Vector<double> a, out Vector<double> b);
                low += a * a;
                high += b * b;
            }

            total = Vector.Sum(low + high);
            i = v.Length * Vector<float>.Count;
        }

        for (; i < values.Length; i++)
        {
            total += (double)values[i] * values[i];
        }

        return total;
    }
}
