using MLNetFromScratch.Core.Kernels;
using MLNetFromScratch.Core.Network;

namespace MLNetFromScratch.Core.Tests.Kernels;

// Each SIMD loop against its naive twin, over every length 0..257 so every vector-width remainder is hit.
public sealed class VectorKernelTests
{
    private static float[] Random(int n, int seed)
    {
        var rng = new Rng(seed);
        var values = new float[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = (float)(rng.NextGaussian() * 3);
        }

        return values;
    }

    [Fact]
    public void AddScaled_Lengths0To257_SameBitsAsScalarLoop()
    {
        for (int n = 0; n <= 257; n++)
        {
            float[] destination = Random(n, n), source = Random(n, n + 1000);
            float[] expected = (float[])destination.Clone();
            for (int i = 0; i < n; i++)
            {
                expected[i] += 0.37f * source[i];
            }

            VectorKernels.AddScaled(destination, source, 0.37f);
            Assert.Equal(expected, destination);
        }
    }

    [Fact]
    public void SumOfSquares_Lengths0To257_MatchesDoubleLoop()
    {
        for (int n = 0; n <= 257; n++)
        {
            float[] values = Random(n, n);
            double expected = values.Sum(v => (double)v * v);
            Assert.Equal(expected, VectorKernels.SumOfSquares(values), 1e-9 * Math.Max(1, expected));
        }
    }

    // Every vector-width remainder, both sides of a chunk boundary, and more chunks than one group of partial sums.
    private static IEnumerable<int> LongLengths()
    {
        const int Chunk = ElementwiseChunks.Length;
        return [Chunk - 1, Chunk, Chunk + 1, (2 * Chunk) + 9, 784 * 128, (65 * Chunk) + 7];
    }

    [Fact]
    public void AddScaledSumOfSquares_AnyLength_UpdateSameBitsAsScalarLoopAndSumMatchesDouble()
    {
        foreach (int n in Enumerable.Range(0, 258).Concat(LongLengths()))
        {
            float[] destination = Random(n, n), source = Random(n, n + 1000);
            float[] expected = (float[])destination.Clone();
            double expectedSum = 0;
            for (int i = 0; i < n; i++)
            {
                expected[i] += 0.37f * source[i];
                expectedSum += (double)source[i] * source[i];
            }

            double sum = VectorKernels.AddScaledSumOfSquares(destination, source, 0.37f, ComputeContext.SingleThreaded);
            Assert.Equal(expected, destination);

            // Summed in float, the relative error would be near 1e-7.
            Assert.True(Math.Abs(sum - expectedSum) <= 1e-12 * Math.Max(1, expectedSum), $"n={n}: {sum:R} against {expectedSum:R}");
        }
    }

    [Fact]
    public void AddScaledSumOfSquares_1To4Threads_SameBitsAsSumOfSquaresAndEachOther()
    {
        foreach (int n in LongLengths())
        {
            float[] source = Random(n, n), start = Random(n, n + 1);
            double expectedSum = VectorKernels.SumOfSquares(source);
            float[]? first = null;
            foreach (int threads in new[] { 1, 2, 4 })
            {
                float[] destination = (float[])start.Clone();
                double sum = VectorKernels.AddScaledSumOfSquares(destination, source, -1.5f, new ComputeContext(threads));
                Assert.Equal(BitConverter.DoubleToInt64Bits(expectedSum), BitConverter.DoubleToInt64Bits(sum));
                first ??= destination;
                Assert.Equal(first, destination);
            }
        }
    }

    [Fact]
    public void SumOfSquares_LongLengths_MatchesDoubleLoop()
    {
        foreach (int n in LongLengths())
        {
            float[] values = Random(n, n);
            double expected = 0;
            foreach (float v in values)
            {
                expected += (double)v * v;
            }

            Assert.True(Math.Abs(VectorKernels.SumOfSquares(values) - expected) <= 1e-12 * expected, $"n={n}");
        }
    }

    [Fact]
    public void AddScaledSumOfSquares_DifferentLengths_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => VectorKernels.AddScaledSumOfSquares(new float[3], new float[4], 1f));
    }

    [Fact]
    public void Relu_Lengths0To257WithSpecialValues_SameBitsAsScalarForwardAndBackward()
    {
        for (int n = 0; n <= 257; n++)
        {
            float[] z = Random(n, n), da = Random(n, n + 7);
            float[] specials = [-0f, 0f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon, -float.Epsilon];
            for (int i = 0; i < n; i += 5)
            {
                z[i] = specials[i % specials.Length];
            }

            var a = new float[n];
            var dz = new float[n];
            ActivationKernels.Forward(a, z, Activation.Relu);
            ActivationKernels.Backward(dz, da, z, a, Activation.Relu);
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(BitConverter.SingleToInt32Bits(MathF.Max(z[i], 0f)), BitConverter.SingleToInt32Bits(a[i]));
                Assert.Equal(BitConverter.SingleToInt32Bits(z[i] > 0f ? da[i] : 0f), BitConverter.SingleToInt32Bits(dz[i]));
            }
        }
    }
}
