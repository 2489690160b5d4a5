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
