using MLNetFromScratch.Core.Kernels;
using MLNetFromScratch.Core.Network;
using MLNetFromScratch.Core.Optimizers;
using MLNetFromScratch.Core.Tests.Kernels;

namespace MLNetFromScratch.Core.Tests.Network;

/// <summary>
/// <c>SparseInputGradients.ComputeGradientsAndStep</c>, the optimizer's step fused into the backward pass, against the
/// two calls it replaces (<see cref="SparseInputGradients.ComputeGradients"/>, then <see cref="Optimizer.Step(Span{float}, ReadOnlySpan{float}, float, ComputeContext?)"/>):
/// the same bits in the weights, the optimizer's state (seen through later steps) and the gradients, for every optimizer,
/// with and without L2, on 1 to 3 threads.
/// </summary>
public sealed class FusedStepTests
{
    // Hidden = 72: two 32-wide output groups and a remainder of 8; enough entries that the weight gradient runs in its
    // 16 chunks on the threads.
    private const int Pool = 300, Inputs = 211, Hidden = 72, Outputs = 10, Batch = 96, Steps = 4;

    public static TheoryData<OptimizerKind, bool, float> Cases()
    {
        var cases = new TheoryData<OptimizerKind, bool, float>();
        foreach (float l2 in new[] { 0f, 0.05f })
        {
            cases.Add(OptimizerKind.Sgd, false, l2);
            cases.Add(OptimizerKind.Momentum, false, l2);
            cases.Add(OptimizerKind.Momentum, true, l2);
            cases.Add(OptimizerKind.Adam, false, l2);
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ComputeGradientsAndStep_1To3Threads_SameBitsAsGradientsThenStep(OptimizerKind kind, bool nesterov, float l2)
    {
        var random = new Random(11);
        var shape = new NetworkShape(Inputs, Hidden, Outputs, Activation.Relu, NetworkHead.Softmax);
        SparseRows inputs = SparseRows.FromDense(SparseMatMulTests.RandomSparse(random, Pool, Inputs, 0.3), Pool, Inputs);
        TwoLayerNetwork network = TwoLayerNetwork.Create(shape, new Rng(5));
        int[][] batches = [.. Enumerable.Range(0, Steps).Select(_ => Enumerable.Range(0, Batch).Select(_ => random.Next(Pool)).ToArray())];
        var settings = new OptimizerSettings { Nesterov = nesterov };
        float[]? oneThread = null;
        double[]? oneThreadCosts = null;
        float[] initial = Prepare(shape, inputs, network).Gradients.Parameters.ToArray();

        foreach (int threads in new[] { 1, 2, 3 })
        {
            var context = new ComputeContext(threads);
            (SparseInputGradients separate, NetworkWorkspace separateWorkspace) = Prepare(shape, inputs, network);
            (SparseInputGradients fused, NetworkWorkspace fusedWorkspace) = Prepare(shape, inputs, network);
            Optimizer separateOptimizer = Optimizer.Create(kind, shape.ParameterCount, settings);
            Optimizer fusedOptimizer = Optimizer.Create(kind, shape.ParameterCount, settings);
            float[] separateGradients = new float[shape.ParameterCount], fusedGradients = new float[shape.ParameterCount];
            var costs = new double[Steps];
            for (int step = 0; step < Steps; step++)
            {
                int[] rows = batches[step];
                SetTargets(separateWorkspace, rows);
                SetTargets(fusedWorkspace, rows);
                string what = $"{kind} nesterov={nesterov} l2={l2} threads={threads} step={step}";

                double expectedCost = separate.ComputeGradients(separateWorkspace, rows, l2, 0.2f, new Rng(step), separateGradients, context);
                separateOptimizer.Step(separate.Parameters, separateGradients, 0.05f, context);
                costs[step] = fused.ComputeGradientsAndStep(fusedWorkspace, rows, l2, 0.2f, new Rng(step), fusedGradients, fusedOptimizer, 0.05f, context);

                AssertSameBits(separateGradients, fusedGradients, $"{what}, gradients");
                AssertSameBits(separate.Parameters, fused.Parameters, $"{what}, parameters");
                if (l2 == 0f)
                {
                    Assert.Equal(BitConverter.DoubleToInt64Bits(expectedCost), BitConverter.DoubleToInt64Bits(costs[step]));
                }
                else
                {
                    // The first layer's squares are summed by the weight gradient's chunks rather than by ElementwiseChunks.
                    Assert.Equal(expectedCost, costs[step], 1e-12 * expectedCost);
                }
            }

            // The steps were taken: most parameters moved.
            Assert.True(fused.Parameters.ToArray().Zip(initial).Count(p => p.First != p.Second) > shape.ParameterCount / 2);
            oneThread ??= fused.Parameters.ToArray();
            oneThreadCosts ??= costs;
            AssertSameBits(oneThread, fused.Parameters, $"{kind} nesterov={nesterov} l2={l2}: {threads} threads against 1");
            Assert.Equal(oneThreadCosts.Select(BitConverter.DoubleToInt64Bits), costs.Select(BitConverter.DoubleToInt64Bits));
        }
    }

    [Fact]
    public void ComputeGradientsAndStep_OptimizerThrowsOnAHelper_RethrowsOnTheCaller()
    {
        var shape = new NetworkShape(Inputs, Hidden, Outputs, Activation.Relu, NetworkHead.Softmax);
        SparseRows inputs = SparseRows.FromDense(SparseMatMulTests.RandomSparse(new Random(2), Pool, Inputs, 0.3), Pool, Inputs);
        (SparseInputGradients sparse, NetworkWorkspace workspace) = Prepare(shape, inputs, TwoLayerNetwork.Create(shape, new Rng(1)));
        int[] rows = [.. Enumerable.Range(0, Batch)];
        SetTargets(workspace, rows);
        var gradients = new float[shape.ParameterCount];

        // Every range of the W1 block but the first is updated inside the weight gradient's chunks.
        var error = Assert.Throws<InvalidOperationException>(() => sparse.ComputeGradientsAndStep(
            workspace, rows, 0f, 0f, null, gradients, new ThrowingOptimizer(shape.ParameterCount), 0.1f, new ComputeContext(2)));
        Assert.Equal("range past 0", error.Message);
    }

    [Fact]
    public void ComputeGradientsAndStep_OptimizerOfAnotherSize_Throws()
    {
        var shape = new NetworkShape(Inputs, Hidden, Outputs, Activation.Relu, NetworkHead.Softmax);
        SparseRows inputs = SparseRows.FromDense(SparseMatMulTests.RandomSparse(new Random(2), Pool, Inputs, 0.3), Pool, Inputs);
        (SparseInputGradients sparse, NetworkWorkspace workspace) = Prepare(shape, inputs, TwoLayerNetwork.Create(shape, new Rng(1)));
        float[] before = sparse.Parameters.ToArray();

        Assert.Throws<ArgumentException>(() => sparse.ComputeGradientsAndStep(
            workspace, [0, 1], 0f, 0f, null, new float[shape.ParameterCount], new GradientDescent(shape.ParameterCount - 1), 0.1f, null));
        Assert.Equal(before, sparse.Parameters.ToArray());
    }

    private static (SparseInputGradients Gradients, NetworkWorkspace Workspace) Prepare(NetworkShape shape, SparseRows inputs, TwoLayerNetwork network)
    {
        var sparse = new SparseInputGradients(shape, inputs, Batch);
        sparse.CopyFrom(network);
        return (sparse, new NetworkWorkspace(shape, Batch));
    }

    private static void SetTargets(NetworkWorkspace workspace, int[] rows)
    {
        workspace.Targets.AsSpan().Clear();
        for (int r = 0; r < rows.Length; r++)
        {
            workspace.Targets[(r * Outputs) + (rows[r] % Outputs)] = 1f;
        }
    }

    private static void AssertSameBits(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            {
                Assert.Fail($"{what}: element {i} is {actual[i]:R}, expected {expected[i]:R}.");
            }
        }
    }

    private sealed class ThrowingOptimizer(int parameterCount) : Optimizer(parameterCount)
    {
        protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, float learningRate, int offset)
        {
            if (offset > 0 && offset < Inputs * Hidden)
            {
                throw new InvalidOperationException("range past 0");
            }
        }
    }
}
