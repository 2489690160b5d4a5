using MLNetFromScratch.Core.Kernels;
using MLNetFromScratch.Core.Network;

namespace MLNetFromScratch.Core.Tests.Network;

// The L2 term of ComputeGradients over weights long enough to be split into several chunks: the gradient gains
// exactly (λ/m)·W (one float multiply and add an element), the cost λ/(2m)·ΣW² against a double-precision sum,
// and neither depends on the thread count.
public sealed class L2RegularizationTests
{
    [Fact]
    public void ComputeGradients_L2_AddsDecayToWeightGradientsAndPenaltyToCostOnAnyThreadCount()
    {
        const int Rows = 16;
        const float Lambda = 0.3f;
        var shape = new NetworkShape(300, 100, 10, Activation.Relu, NetworkHead.Softmax); // W1: 30,000 weights
        var rng = new Rng(9);
        TwoLayerNetwork network = TwoLayerNetwork.Create(shape, rng);
        var workspace = new NetworkWorkspace(shape, Rows);
        for (int i = 0; i < Rows * shape.Inputs; i++)
        {
            workspace.Inputs[i] = (float)rng.NextGaussian();
        }

        for (int r = 0; r < Rows; r++)
        {
            workspace.Targets[(r * shape.Outputs) + (r % shape.Outputs)] = 1f;
        }

        var plain = new float[shape.ParameterCount];
        double plainCost = network.ComputeGradients(workspace, Rows, 0f, 0f, null, plain, ComputeContext.SingleThreaded);
        double squares = 0;
        foreach (float w in network.W1.ToArray().Concat(network.W2.ToArray()))
        {
            squares += (double)w * w;
        }

        double expectedCost = plainCost + (Lambda / (2.0 * Rows) * squares);
        float decay = Lambda / Rows;
        float[] expected = (float[])plain.Clone();
        for (int i = 0; i < shape.W1Length; i++)
        {
            expected[shape.W1Offset + i] += decay * network.Parameters[shape.W1Offset + i];
        }

        for (int i = 0; i < shape.W2Length; i++)
        {
            expected[shape.W2Offset + i] += decay * network.Parameters[shape.W2Offset + i];
        }

        double? firstCost = null;
        foreach (int threads in new[] { 1, 2, 4 })
        {
            var gradients = new float[shape.ParameterCount];
            double cost = network.ComputeGradients(workspace, Rows, Lambda, 0f, null, gradients, new ComputeContext(threads));

            Assert.Equal(expected, gradients);
            Assert.True(Math.Abs(cost - expectedCost) <= 1e-12 * expectedCost, $"{threads} threads: {cost:R} against {expectedCost:R}");
            firstCost ??= cost;
            Assert.Equal(BitConverter.DoubleToInt64Bits(firstCost.Value), BitConverter.DoubleToInt64Bits(cost));
        }
    }
}
