using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MLNetFromScratch.Core.Kernels;

/// <summary>Elementwise vector operations of the training step, SIMD with a scalar tail.</summary>
public static unsafe class VectorKernels
{
    // Partial sums of this many chunks are kept on the stack at a time; they are added in chunk order.
    private const int ChunkGroup = 64;

    // Fully optimized at first call, like every method a training step runs (see TwoLayerNetwork.ComputeGradients).
    /// <summary>destination[i] += factor · source[i]; the same bits as the scalar loop (multiply, then add: no fused rounding).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

    /// <summary>
    /// Σ values[i]², accumulated in double precision: per chunk of <see cref="ElementwiseChunks.Length"/> elements
    /// (four lanes, then the tail), chunks added in order; the same bits as the sum <see cref="AddScaledSumOfSquares"/> returns.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double SumOfSquares(ReadOnlySpan<float> values)
    {
        double total = 0;
        for (int start = 0; start < values.Length; start += ElementwiseChunks.Length)
        {
            total += SumOfSquaresRange(values.Slice(start, Math.Min(ElementwiseChunks.Length, values.Length - start)));
        }

        return total;
    }

    /// <summary>
    /// In one pass, destination[i] += factor · source[i] (the bits of <see cref="AddScaled"/>) and the return value
    /// Σ source[i]² (the bits of <see cref="SumOfSquares"/>, whatever the number of threads), on the threads of
    /// <paramref name="context"/> (<see langword="null"/> for <see cref="ComputeContext.Default"/>). Allocates nothing.
    /// </summary>
    /// <remarks>L2 regularization in one sweep over the weights: the decay (λ/m)·W joins the gradient, Σ W² the penalty.</remarks>
    /// <exception cref="ArgumentException">When the spans have different lengths.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double AddScaledSumOfSquares(
        Span<float> destination, ReadOnlySpan<float> source, float factor, ComputeContext? context = null)
    {
        if (source.Length != destination.Length)
        {
            throw new ArgumentException("Spans have different lengths.", nameof(source));
        }

        context ??= ComputeContext.Default;
        int chunkCount = ElementwiseChunks.Count(source.Length);
        double* partials = stackalloc double[ChunkGroup];
        double total = 0;
        fixed (float* d = destination, s = source)
        {
            for (int first = 0; first < chunkCount; first += ChunkGroup)
            {
                int count = Math.Min(ChunkGroup, chunkCount - first);
                var job = new AddScaledJob(d, s, partials, source.Length, first, factor);
                context.Run(count, &RunAddScaledChunk, &job);
                for (int c = 0; c < count; c++)
                {
                    total += partials[c];
                }
            }
        }

        return total;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunAddScaledChunk(void* state, int index)
    {
        var job = (AddScaledJob*)state;
        int chunk = job->FirstChunk + index;
        int start = ElementwiseChunks.Start(chunk), length = ElementwiseChunks.LengthOf(chunk, job->Length);
        job->Partials[index] = AddScaledSumOfSquaresRange(
            new Span<float>(job->Destination + start, length), new ReadOnlySpan<float>(job->Source + start, length), job->Factor);
    }

    // The lanes and order of SumOfSquaresRange, with the update folded in; the lengths are equal.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double AddScaledSumOfSquaresRange(Span<float> destination, ReadOnlySpan<float> source, float factor)
    {
        int i = 0;
        double total = 0;
        if (Vector.IsHardwareAccelerated && source.Length >= Vector<float>.Count)
        {
            Span<Vector<float>> d = MemoryMarshal.Cast<float, Vector<float>>(destination);
            ReadOnlySpan<Vector<float>> s = MemoryMarshal.Cast<float, Vector<float>>(source);
            var f = new Vector<float>(factor);
            Vector<double> low = Vector<double>.Zero, high = Vector<double>.Zero;
            for (int k = 0; k < s.Length; k++)
            {
                Vector<float> w = s[k];
                d[k] += f * w;
                Vector.Widen(w, out Vector<double> a, out Vector<double> b);
                low += a * a;
                high += b * b;
            }

            total = Vector.Sum(low + high);
            i = s.Length * Vector<float>.Count;
        }

        for (; i < source.Length; i++)
        {
            float w = source[i];
            destination[i] += factor * w;
            total += (double)w * w;
        }

        return total;
    }

    // Two lanes of double accumulators, summed at the end, then the scalar tail.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double SumOfSquaresRange(ReadOnlySpan<float> values)
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

    private readonly struct AddScaledJob(float* destination, float* source, double* partials, int length, int firstChunk, float factor)
    {
        public readonly float* Destination = destination;
        public readonly float* Source = source;
        public readonly double* Partials = partials;
        public readonly int Length = length;
        public readonly int FirstChunk = firstChunk;
        public readonly float Factor = factor;
    }
}
