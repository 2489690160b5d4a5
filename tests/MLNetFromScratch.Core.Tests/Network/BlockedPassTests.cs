using MLNetFromScratch.Core.Kernels;
using MLNetFromScratch.Core.Network;

namespace MLNetFromScratch.Core.Tests.Network;

/// <summary>
/// A training pass runs the part that each row does on its own (from Z1 to dZ1) in blocks of rows, on any thread, and
/// sums the loss and the output layer's gradient afterwards. It must give the bits of the pass done on the whole batch
/// at once, kernel by kernel, as twinned here from the public kernels: for the dense and the sparse first layer, every
/// head and activation, with and without dropout, batches below, at and across a block's size, on one and two threads.
/// </summary>
public sealed class BlockedPassTests
{
    public static TheoryData<NetworkHead, Activation, float, int> Cases()
    {
        var data = new TheoryData<NetworkHead, Activation, float, int>();
        foreach (NetworkHead head in Enum.GetValues<NetworkHead>())
        {
            foreach (Activation activation in Enum.GetValues<Activation>())
            {
                data.Add(head, activation, 0f, 37);
                data.Add(head, activation, 0.3f, 16);
            }
        }

        data.Add(NetworkHead.Softmax, Activation.Relu, 0f, 1);
        data.Add(NetworkHead.Softmax, Activation.Relu, 0f, 128);
        data.Add(NetworkHead.Softmax, Activation.Relu, 0f, TwoLayerNetwork.BlockRows);
        data.Add(NetworkHead.Softmax, Activation.Relu, 0.2f, TwoLayerNetwork.BlockRows + 1);
        data.Add(NetworkHead.Logistic, Activation.Tanh, 0.2f, (2 * TwoLayerNetwork.BlockRows) + 3);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ComputeGradients_DenseAndSparse_SameBitsAsTheWholeBatchPass(NetworkHead head, Activation activation, float dropout, int batch)
    {
        const int Inputs = 45, Hidden = 40, Pool = 150;
        const float L2 = 0.01f;
        var random = new Random((batch * 17) + (int)head + (10 * (int)activation));
        var shape = new NetworkShape(Inputs, Hidden, head == NetworkHead.Logistic ? 1 : (batch == 128 ? 10 : 3), activation, head);
        TwoLayerNetwork network = TwoLayerNetwork.Create(shape, new Rng(3));
        for (int i = 0; i < shape.ParameterCount; i++)
        {
            network.Parameters[i] += (float)(0.1 * (random.NextDouble() - 0.5)); // biases away from zero too
        }

        float[] pool = Kernels.SparseMatMulTests.RandomSparse(random, Pool, Inputs, 0.3);
        int[] rows = [.. Enumerable.Range(0, batch).Select(_ => random.Next(Pool))];
        var workspace = new NetworkWorkspace(shape, batch);
        for (int r = 0; r < batch; r++)
        {
            pool.AsSpan(rows[r] * Inputs, Inputs).CopyTo(workspace.Inputs.AsSpan(r * Inputs));
            int outputs = shape.Outputs;
            for (int k = 0; k < outputs; k++)
            {
                workspace.Targets[(r * outputs) + k] = head switch
                {
                    NetworkHead.Softmax => k == rows[r] % outputs ? 1f : 0f,
                    NetworkHead.Logistic => rows[r] % 2,
                    _ => (float)random.NextDouble(),
                };
            }
        }

        float[] inputs = (float[])workspace.Inputs.Clone();
        (float[] denseTwin, double denseCost, float[] denseDz1) = WholeBatchTwin(shape, network.Parameters, workspace, inputs, null, rows, batch, L2, dropout);
        var sparse = new SparseInputGradients(shape, SparseRows.FromDense(pool, Pool, Inputs), batch);
        sparse.CopyFrom(network);
        (float[] sparseTwin, double sparseCost, float[] sparseDz1) = WholeBatchTwin(shape, sparse.Parameters, workspace, inputs, SparseRows.FromDense(pool, Pool, Inputs), rows, batch, L2, dropout);

        foreach (int threads in new[] { 1, 2 })
        {
            var context = new ComputeContext(threads);
            var gradients = new float[shape.ParameterCount];
            double cost = network.ComputeGradients(workspace, batch, L2, dropout, new Rng(9), gradients, context);
            AssertBits(denseTwin, denseCost, gradients, cost, $"dense, {threads} threads");
            AssertBits(denseDz1, workspace.DZ1.AsSpan(0, batch * Hidden).ToArray(), $"dense dZ1, {threads} threads");

            cost = sparse.ComputeGradients(workspace, rows, L2, dropout, new Rng(9), gradients, context);
            AssertBits(sparseTwin, sparseCost, gradients, cost, $"sparse, {threads} threads");
            AssertBits(sparseDz1, sparse.DZ1[..(batch * Hidden)].ToArray(), $"sparse dZ1 (its own buffer), {threads} threads");
        }
    }

    // The pass kernel by kernel on the whole batch; the first layer dense (x given) or sparse (parameters with W1ᵀ).
    private static (float[] Gradients, double Cost, float[] DZ1) WholeBatchTwin(
        NetworkShape s, ReadOnlySpan<float> parameters, NetworkWorkspace workspace, float[] x, SparseRows? sparse, int[] rows, int batch, float l2, float dropout)
    {
        int h = s.Hidden, o = s.Outputs, n = batch * h, m = batch * o;
        ComputeContext one = ComputeContext.SingleThreaded;
        ReadOnlySpan<float> p = parameters, w1 = p.Slice(s.W1Offset, s.W1Length), w2 = p.Slice(s.W2Offset, s.W2Length);
        float[] z1 = new float[n], a1 = new float[n], mask = new float[n], hidden = new float[n], dh = new float[n], dz1 = new float[n];
        float[] z2 = new float[m], a2 = new float[m], dz2 = new float[m];
        var gradients = new float[s.ParameterCount];
        ReadOnlySpan<float> y = workspace.Targets.AsSpan(0, m);
        if (sparse is null)
        {
            MatMul.Forward(z1, x, w1, p.Slice(s.B1Offset, h), batch, s.Inputs, h, one);
        }
        else
        {
            MatMul.SparseForward(z1, sparse, rows, w1, p.Slice(s.B1Offset, h), h, one);
        }

        ActivationKernels.Forward(a1, z1, s.HiddenActivation);
        var rng = new Rng(9);
        for (int i = 0; i < n; i++)
        {
            mask[i] = dropout > 0f ? (rng.NextSingle() >= dropout ? 1f / (1f - dropout) : 0f) : 1f;
            hidden[i] = dropout > 0f ? a1[i] * mask[i] : a1[i];
        }

        MatMul.Forward(z2, hidden, w2, p.Slice(s.B2Offset, o), batch, h, o, one);
        double loss = s.Head switch
        {
            NetworkHead.Logistic => LossKernels.Logistic(a2, dz2, z2, y),
            NetworkHead.Softmax => LossKernels.Softmax(a2, dz2, z2, y, batch, o),
            _ => LossKernels.SquaredError(a2, dz2, z2, y),
        };
        Span<float> g = gradients;
        MatMul.BackwardWeights(g.Slice(s.W2Offset, s.W2Length), g.Slice(s.B2Offset, o), dz2, hidden, 1f / batch, batch, h, o, one);
        MatMul.BackwardInput(dh, dz2, w2, batch, h, o, one);
        for (int i = 0; i < n && dropout > 0f; i++)
        {
            dh[i] *= mask[i];
        }

        ActivationKernels.Backward(dz1, dh, z1, a1, s.HiddenActivation);
        if (sparse is null)
        {
            MatMul.BackwardWeights(g.Slice(s.W1Offset, s.W1Length), g.Slice(s.B1Offset, h), dz1, x, 1f / batch, batch, s.Inputs, h, one);
        }
        else
        {
            var columns = new SparseColumns(s.Inputs, batch * sparse.MaxRowLength);
            columns.Build(sparse, rows);
            MatMul.SparseBackwardWeights(g.Slice(s.W1Offset, s.W1Length), g.Slice(s.B1Offset, h), columns, dz1, 1f / batch, h, one);
        }

        double squares = VectorKernels.AddScaledSumOfSquares(g.Slice(s.W1Offset, s.W1Length), w1, l2 / batch, one)
            + VectorKernels.AddScaledSumOfSquares(g.Slice(s.W2Offset, s.W2Length), w2, l2 / batch, one);
        return (gradients, (loss / batch) + (l2 / (2.0 * batch) * squares), dz1);
    }

    private static void AssertBits(float[] expected, double expectedCost, float[] actual, double cost, string what)
    {
        Assert.True(BitConverter.DoubleToInt64Bits(expectedCost) == BitConverter.DoubleToInt64Bits(cost), $"{what}: cost {cost}, expected {expectedCost}");
        AssertBits(expected, actual, what);
    }

    private static void AssertBits(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(
                BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                $"{what}: element {i} is {actual[i]}, expected {expected[i]}");
        }
    }
}
