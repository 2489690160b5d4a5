using MLNetFromScratch.Core.Kernels;

namespace MLNetFromScratch.Core.Tests.Kernels;

public sealed class RowScoringLayerTests
{
    private static readonly int[] s_inputCounts = [1, 3, 7, 13, 33, 100, 785];
    private static readonly double[] s_densities = [0, 0.2, 1];

    public static TheoryData<int> OutputCounts()
    {
        var counts = new TheoryData<int>();
        for (int n = 1; n <= 70; n++)
        {
            counts.Add(n);
        }

        foreach (int n in new[] { 96, 127, 128, 130, 200, 257 })
        {
            counts.Add(n);
        }

        return counts;
    }

    [Theory]
    [MemberData(nameof(OutputCounts))]
    public void Forward_AnyShapeAndDensity_MatchesDoubleReference(int outputs)
    {
        foreach (int inputs in s_inputCounts)
        {
            foreach (double density in s_densities)
            {
                var random = new Random((outputs * 1009) + inputs);
                float[] w = MatMulReference.Random(random, outputs * inputs);
                float[] bias = MatMulReference.Random(random, outputs);
                float[] x = Row(random, inputs, density);
                var layer = new RowScoringLayer(w, bias, inputs, outputs);
                float[] y = Filled(outputs + 3);

                layer.Forward(y, x);

                var (expected, magnitude) = MatMulReference.Forward(x, w, bias, 1, inputs, outputs);
                MatMulReference.AssertClose(y.AsSpan(0, outputs), expected, magnitude, inputs, $"{inputs}-{outputs} at density {density}");
                Assert.All(y[outputs..], v => Assert.True(float.IsNaN(v), "wrote past its outputs"));
            }
        }
    }

    [Theory]
    [MemberData(nameof(OutputCounts))]
    public void Forward_AnyDensityWithSignedZerosAndSpecials_SameBitsAsFullFusedChain(int outputs)
    {
        foreach (int inputs in s_inputCounts)
        {
            foreach (double density in s_densities)
            {
                var random = new Random((outputs * 7919) + inputs);
                float[] w = MatMulReference.Random(random, outputs * inputs);
                float[] bias = MatMulReference.Random(random, outputs);
                float[] x = Row(random, inputs, density, specials: true);
                var layer = new RowScoringLayer(w, bias, inputs, outputs);
                float[] y = new float[outputs];

                layer.Forward(y, x);

                AssertSameBits(FullChain(x, w, bias, inputs, outputs), y, $"{inputs}-{outputs} at density {density}");
            }
        }
    }

    [Theory]
    [InlineData(785, 128)]
    [InlineData(3000, 70)] // more inputs than one gathering pass takes
    [InlineData(2048, 10)]
    [InlineData(1025, 1)]
    public void Forward_SkippingZerosOrVisitingEveryInput_BitIdentical(int inputs, int outputs)
    {
        var random = new Random(inputs + outputs);
        float[] w = MatMulReference.Random(random, outputs * inputs);
        float[] bias = MatMulReference.Random(random, outputs);
        var sparse = new RowScoringLayer(w, bias, inputs, outputs, skipZeros: true);
        var dense = new RowScoringLayer(w, bias, inputs, outputs, skipZeros: false);
        foreach (double density in s_densities)
        {
            float[] x = Row(random, inputs, density, specials: true);
            float[] a = new float[outputs], b = new float[outputs], scalar = new float[outputs];

            sparse.Forward(a, x);
            dense.Forward(b, x);
            sparse.ForwardScalar(scalar, x);

            AssertSameBits(b, a, $"sparse against dense at density {density}");
            AssertSameBits(b, scalar, $"scalar fallback against SIMD at density {density}");
            AssertSameBits(FullChain(x, w, bias, inputs, outputs), a, $"against the fused chain at density {density}");
        }
    }

    [Fact]
    public void Forward_AllZeroRow_ExactlyTheBias()
    {
        var random = new Random(5);
        const int inputs = 784, outputs = 130;
        float[] bias = MatMulReference.Random(random, outputs);
        var layer = new RowScoringLayer(MatMulReference.Random(random, outputs * inputs), bias, inputs, outputs);
        float[] x = new float[inputs];
        x.AsSpan(0, 100).Fill(-0f);
        float[] y = new float[outputs];

        layer.Forward(y, x);

        AssertSameBits(bias, y, "all-zero row");
    }

    [Fact]
    public void Forward_ProductUnderflowsToNegativeZero_SameBitsUnlessTheBiasIsNegativeZero()
    {
        // ε·(−0.25) rounds to −0; the full chain then adds 0·0.5 and turns it into +0, the skipping one keeps −0.
        float[] x = [float.Epsilon, 0f, 0f];
        float[] w = [-0.25f, 0.5f, 0.75f, -0.25f, 0.5f, 0.75f, -0.25f, 0.5f, 0.75f];
        float[] bias = [0f, 2f, -0f];
        float[] y = new float[3];

        var layer = new RowScoringLayer(w, bias, 3, 3);
        layer.Forward(y, x);
        float[] scalar = new float[3];
        layer.ForwardScalar(scalar, x);

        float[] full = FullChain(x, w, bias, 3, 3);
        AssertSameBits(full.AsSpan(0, 2), y.AsSpan(0, 2), "bias +0 and 2");
        Assert.Equal(BitConverter.SingleToInt32Bits(0f), BitConverter.SingleToInt32Bits(full[2]));
        Assert.Equal(BitConverter.SingleToInt32Bits(-0f), BitConverter.SingleToInt32Bits(y[2])); // the documented exception
        AssertSameBits(y, scalar, "scalar fallback");
    }

    [Fact]
    public void Forward_NonFiniteWeightOfAZeroInput_NaNAsTheFullChainGives()
    {
        const int inputs = 40, outputs = 20;
        var random = new Random(9);
        float[] w = MatMulReference.Random(random, outputs * inputs);
        float[] bias = MatMulReference.Random(random, outputs);
        w[(3 * inputs) + 17] = float.PositiveInfinity;
        w[(11 * inputs) + 5] = float.NaN;
        float[] x = Row(random, inputs, 0.5);
        x[17] = 0f;
        x[5] = -0f;
        float[] y = new float[outputs];

        new RowScoringLayer(w, bias, inputs, outputs).Forward(y, x);

        Assert.True(float.IsNaN(y[3]) && float.IsNaN(y[11]));
        AssertSameBits(FullChain(x, w, bias, inputs, outputs), y, "non-finite weights");
    }

    [Fact]
    public void ForwardAndConstructor_WrongLengths_Throw()
    {
        float[] w = new float[12], b = new float[4];
        var layer = new RowScoringLayer(w, b, 3, 4);

        Assert.Throws<ArgumentException>(() => layer.Forward(new float[4], new float[2]));
        Assert.Throws<ArgumentException>(() => layer.Forward(new float[3], new float[3]));
        Assert.Throws<ArgumentException>(() => new RowScoringLayer(w.AsSpan(0, 11), b, 3, 4));
        Assert.Throws<ArgumentException>(() => new RowScoringLayer(w, b.AsSpan(0, 3), 3, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RowScoringLayer(w, b, 0, 4));
    }

    /// <summary>The row's values: each non-zero with probability <paramref name="density"/>; zeros of both signs.</summary>
    internal static float[] Row(Random random, int inputs, double density, bool specials = false)
    {
        float[] special = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon, -1e-40f, 3e38f];
        var x = new float[inputs];
        for (int i = 0; i < inputs; i++)
        {
            x[i] = random.NextDouble() >= density ? (random.Next(2) == 0 ? 0f : -0f)
                : specials && random.Next(50) == 0 ? special[random.Next(special.Length)]
                : (float)((random.NextDouble() * 2) - 1);
        }

        return x;
    }

    /// <summary>The naive twin: y[o] = (fma chain over every input, zeros included, from +0) + b[o].</summary>
    private static float[] FullChain(float[] x, float[] w, float[] bias, int inputs, int outputs)
    {
        var y = new float[outputs];
        for (int o = 0; o < outputs; o++)
        {
            float sum = 0f;
            for (int i = 0; i < inputs; i++)
            {
                sum = MathF.FusedMultiplyAdd(x[i], w[(o * inputs) + i], sum);
            }

            y[o] = sum + bias[o];
        }

        return y;
    }

    private static void AssertSameBits(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            {
                Assert.Fail($"{what}: output {i} is {actual[i]:R}, the fused chain gives {expected[i]:R}.");
            }
        }
    }

    private static float[] Filled(int length)
    {
        float[] values = new float[length];
        values.AsSpan().Fill(float.NaN);
        return values;
    }
}
