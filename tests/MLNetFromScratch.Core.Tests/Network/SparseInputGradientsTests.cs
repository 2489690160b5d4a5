using System.Runtime.CompilerServices;
using MLNetFromScratch.Core.Kernels;
using MLNetFromScratch.Core.Network;
using MLNetFromScratch.Core.Tests.Kernels;

namespace MLNetFromScratch.Core.Tests.Network;

public sealed class SparseInputGradientsTests
{
    public static TheoryData<NetworkHead, Activation, float, float> Cases() => GradientCheckTests.Cases();

    [Theory]
    [MemberData(nameof(Cases))]
    public void ComputeGradients_SameBatch_AgreesWithTheDensePathToRounding(NetworkHead head, Activation activation, float lambda, float dropout)
    {
        const int Pool = 60, Inputs = 37, Hidden = 19, Batch = 24;
        var random = new Random(3);
        float[] dense = SparseMatMulTests.RandomSparse(random, Pool, Inputs, 0.3);
        var shape = new NetworkShape(Inputs, Hidden, head == NetworkHead.Logistic ? 1 : 4, activation, head);
        TwoLayerNetwork network = TwoLayerNetwork.Create(shape, new Rng(5));
        for (int i = 0; i < shape.ParameterCount; i++)
        {
            network.Parameters[i] += (float)(0.1 * random.NextDouble()); // biases away from zero too
        }

        int[] rows = [.. Enumerable.Range(0, Batch).Select(_ => random.Next(Pool))];
        var workspace = new NetworkWorkspace(shape, Batch);
        for (int r = 0; r < Batch; r++)
        {
            dense.AsSpan(rows[r] * Inputs, Inputs).CopyTo(workspace.Inputs.AsSpan(r * Inputs));
            for (int k = 0; k < shape.Outputs; k++)
            {
                workspace.Targets[(r * shape.Outputs) + k] = head == NetworkHead.Identity ? (float)random.NextDouble() : (rows[r] + k) % 2;
            }
        }

        if (head == NetworkHead.Softmax)
        {
            for (int r = 0; r < Batch; r++)
            {
                workspace.Targets.AsSpan(r * shape.Outputs, shape.Outputs).Clear();
                workspace.Targets[(r * shape.Outputs) + (rows[r] % shape.Outputs)] = 1f;
            }
        }

        var expected = new float[shape.ParameterCount];
        double expectedCost = network.ComputeGradients(workspace, Batch, lambda, dropout, new Rng(9), expected, ComputeContext.SingleThreaded);

        var sparse = new SparseInputGradients(shape, SparseRows.FromDense(dense, Pool, Inputs), Batch);
        sparse.CopyFrom(network);
        var actual = new float[shape.ParameterCount];
        double cost = sparse.ComputeGradients(workspace, rows, lambda, dropout, new Rng(9), actual, ComputeContext.SingleThreaded);

        Assert.Equal(expectedCost, cost, 1e-5 * Math.Max(1, Math.Abs(expectedCost)));
        float largest = expected.Max(Math.Abs);
        for (int i = 0; i < shape.ParameterCount; i++)
        {
            // The W1 block comes transposed: element (o, i) of dW1 is at i·hidden + o.
            int at = i < shape.W1Length ? ((i % Inputs) * Hidden) + (i / Inputs) : i;
            Assert.True(Math.Abs(expected[i] - actual[at]) <= 1e-5f * largest, $"gradient {i}: dense {expected[i]}, sparse {actual[at]}");
        }
    }

    [Fact]
    public void CopyFromCopyTo_RoundTrip_BitExactWithW1Transposed()
    {
        var shape = new NetworkShape(7, 5, 3, Activation.Tanh, NetworkHead.Softmax);
        TwoLayerNetwork network = TwoLayerNetwork.Create(shape, new Rng(1));
        float[] original = (float[])network.Parameters.Clone();
        var sparse = new SparseInputGradients(shape, SparseRows.FromDense(new float[14], 2, 7), 2);
        sparse.CopyFrom(network);
        Assert.Equal(network.W1[(2 * 7) + 6], sparse.Parameters[(6 * 5) + 2]);
        Assert.Equal(original.AsSpan(shape.B1Offset).ToArray(), sparse.Parameters[shape.B1Offset..].ToArray());

        network.Parameters.AsSpan().Clear();
        sparse.CopyTo(network);
        Assert.Equal(original, network.Parameters);
    }

    // The kernels read W1ᵀ and dZ1 in place only when they start on a 64-byte line (else they copy them at every step);
    // the buffer is pinned, so they stay there.
    [Theory]
    [InlineData(784, 128, 10)]
    [InlineData(7, 5, 3)]
    [InlineData(33, 17, 1)]
    public unsafe void ParametersAndDZ1_AnyShape_OnACacheLineAndPinned(int inputs, int hidden, int outputs)
    {
        var shape = new NetworkShape(inputs, hidden, outputs, Activation.Relu, NetworkHead.Softmax);
        for (int attempt = 0; attempt < 8; attempt++)
        {
            var sparse = new SparseInputGradients(shape, SparseRows.FromDense(new float[2 * inputs], 2, inputs), 1 + attempt);
            Assert.Equal(shape.ParameterCount, sparse.Parameters.Length);
            nint before = (nint)Unsafe.AsPointer(ref sparse.Parameters[shape.W1Offset]);
            _ = new byte[1000 * (attempt + 1)]; // shift what the next object gets
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            nint after = (nint)Unsafe.AsPointer(ref sparse.Parameters[shape.W1Offset]);
            Assert.Equal(0, after & 63);
            Assert.Equal(before, after);
            Assert.Equal((1 + attempt) * hidden, sparse.DZ1.Length);
            Assert.Equal(0, (nint)Unsafe.AsPointer(ref sparse.DZ1[0]) & 63);
        }
    }

    [Fact]
    public void ComputeGradients_BadArguments_Throw()
    {
        var shape = new NetworkShape(4, 3, 2, Activation.Relu, NetworkHead.Softmax);
        SparseRows inputs = SparseRows.FromDense([1, 0, 0, 2, 0, 0, 3, 0], 2, 4);
        var sparse = new SparseInputGradients(shape, inputs, 2);
        var workspace = new NetworkWorkspace(shape, 2);
        var gradients = new float[shape.ParameterCount];
        Assert.Throws<ArgumentOutOfRangeException>(() => sparse.ComputeGradients(workspace, [], 0f, 0f, null, gradients));
        Assert.Throws<ArgumentOutOfRangeException>(() => sparse.ComputeGradients(workspace, [0, 1, 0], 0f, 0f, null, gradients));
        Assert.Throws<ArgumentException>(() => sparse.ComputeGradients(workspace, [0, 2], 0f, 0f, null, gradients));
        Assert.Throws<ArgumentException>(() => sparse.ComputeGradients(workspace, [0], 0f, 0f, null, new float[3]));
        Assert.Throws<ArgumentException>(() => sparse.ComputeGradients(new NetworkWorkspace(new NetworkShape(4, 5, 2, Activation.Relu, NetworkHead.Softmax), 2), [0], 0f, 0f, null, gradients));
        Assert.Throws<ArgumentException>(() => new SparseInputGradients(new NetworkShape(5, 3, 2, Activation.Relu, NetworkHead.Softmax), inputs, 2));
    }
}
