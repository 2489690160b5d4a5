using MLNetFromScratch.Core.Kernels;

namespace MLNetFromScratch.Core.Tests.Network;

public sealed class LossKernelTests
{
    [Theory]
    [InlineData(0f, 1f)]
    [InlineData(3.5f, 0f)]
    [InlineData(-2.25f, 1f)]
    public void Logistic_ModerateLogit_EqualsCrossEntropyOfProbability(float z, float y)
    {
        var a = new float[1];
        var dz = new float[1];
        double loss = LossKernels.Logistic(a, dz, [z], [y]);
        double p = 1 / (1 + Math.Exp(-z));
        Assert.Equal(-((y * Math.Log(p)) + ((1 - y) * Math.Log(1 - p))), loss, 1e-6);
        Assert.Equal(p - y, dz[0], 1e-6);
    }

    [Theory]
    [InlineData(1e30f)]
    [InlineData(-1e30f)]
    [InlineData(float.MaxValue)]
    [InlineData(-200f)]
    public void Logistic_ExtremeLogit_FiniteLossAndProbabilityInRange(float z)
    {
        var a = new float[2];
        var dz = new float[2];
        double loss = LossKernels.Logistic(a, dz, [z, z], [0f, 1f]);
        Assert.True(double.IsFinite(loss));
        Assert.InRange(a[0], 0f, 1f);
        Assert.True(float.IsFinite(dz[0]) && float.IsFinite(dz[1]));
    }

    [Fact]
    public void Softmax_HugeLogits_ProbabilitiesSumToOneAndLossFinite()
    {
        float[] z = [1e30f, 1e30f - 1e24f, -1e30f, 1000f, 1001f, 999f];
        float[] y = [0f, 1f, 0f, 0f, 0f, 1f];
        var a = new float[6];
        var dz = new float[6];
        double loss = LossKernels.Softmax(a, dz, z, y, 2, 3);
        Assert.True(double.IsFinite(loss));
        Assert.Equal(1.0, a[0] + a[1] + a[2], 1e-6);
        Assert.Equal(1.0, a[3] + a[4] + a[5], 1e-6);
        double expected = -Math.Log(Math.Exp(-1) / (Math.Exp(0) + Math.Exp(1) + Math.Exp(-1)));
        Assert.True(loss >= expected - 1e-4, "the second row alone contributes its cross-entropy");
    }

    [Fact]
    public void Sigmoid_LargeNegativeInput_NoOverflowAndSymmetric()
    {
        Assert.Equal(0f, ActivationKernels.Sigmoid(-1e30f));
        Assert.Equal(1f, ActivationKernels.Sigmoid(1e30f));
        Assert.Equal(1f - ActivationKernels.Sigmoid(3f), ActivationKernels.Sigmoid(-3f), 1e-6f);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 1)]
    [InlineData(5, 3)]
    [InlineData(37, 10)]
    public void GradientAndLossHalves_RandomLogitsAndTargets_SameBitsAsTheFusedKernels(int rows, int outputs)
    {
        var random = new Random((rows * 31) + outputs);
        int n = rows * outputs;
        float[] z = [.. Enumerable.Range(0, n).Select(_ => (float)((random.NextDouble() - 0.5) * 12))];
        float[] binary = [.. Enumerable.Range(0, n).Select(_ => (float)random.Next(2))];
        float[] values = [.. Enumerable.Range(0, n).Select(_ => (float)random.NextDouble())];
        var soft = new float[n]; // rows summing to 1, some targets exactly 0
        for (int r = 0; r < rows; r++)
        {
            soft[(r * outputs) + random.Next(outputs)] = 0.75f;
            soft[(r * outputs) + random.Next(outputs)] += 0.25f;
        }

        float[] a = new float[n], dz = new float[n], aHalf = new float[n], dzHalf = new float[n], lse = new float[rows];
        double fused = LossKernels.Logistic(a, dz, z, binary);
        LossKernels.LogisticGradient(aHalf, dzHalf, z, binary);
        AssertSame(fused, LossKernels.LogisticLoss(z, binary));

        fused = LossKernels.SquaredError(a, dz, z, values);
        LossKernels.SquaredErrorGradient(aHalf, dzHalf, z, values);
        AssertSame(fused, LossKernels.SquaredErrorLoss(z, values));

        fused = LossKernels.Softmax(a, dz, z, soft, rows, outputs);
        LossKernels.SoftmaxGradient(aHalf, dzHalf, lse, z, soft, rows, outputs);
        AssertSame(fused, LossKernels.SoftmaxLoss(lse, z, soft, rows, outputs));

        void AssertSame(double expectedLoss, double loss)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(expectedLoss), BitConverter.DoubleToInt64Bits(loss));
            Assert.Equal(a.Select(BitConverter.SingleToInt32Bits), aHalf.Select(BitConverter.SingleToInt32Bits));
            Assert.Equal(dz.Select(BitConverter.SingleToInt32Bits), dzHalf.Select(BitConverter.SingleToInt32Bits));
            aHalf.AsSpan().Fill(float.NaN);
            dzHalf.AsSpan().Fill(float.NaN);
        }
    }
}
