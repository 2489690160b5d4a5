using MLNetFromScratch.Core.Kernels;
using MLNetFromScratch.Core.Optimizers;

namespace MLNetFromScratch.Core.Tests.Optimizers;

[Collection(nameof(AllocationSensitive))]
public sealed class OptimizerAllocationTests
{
    [Theory]
    [InlineData(OptimizerKind.Sgd, 1)]
    [InlineData(OptimizerKind.Sgd, 2)]
    [InlineData(OptimizerKind.Momentum, 1)]
    [InlineData(OptimizerKind.Momentum, 2)]
    [InlineData(OptimizerKind.Adam, 1)]
    [InlineData(OptimizerKind.Adam, 2)]
    public void Step_MnistSizeAfterWarmUp_AllocatesNothingOnCallerOrHelpers(OptimizerKind kind, int threads)
    {
        const int N = 101_770; // 784-128-10
        var random = new Random(1);
        float[] parameters = Enumerable.Range(0, N).Select(_ => random.NextSingle() - 0.5f).ToArray();
        float[] gradients = Enumerable.Range(0, N).Select(_ => (random.NextSingle() - 0.5f) * 1e-3f).ToArray();
        Optimizer optimizer = Optimizer.Create(kind, N, new OptimizerSettings());
        var context = new ComputeContext(threads);

        (long thread, long process) = AllocationProbe.Measure(() => optimizer.Step(parameters, gradients, 1e-6f, context));

        Assert.Equal(0, thread);
        Assert.Equal(0, process);
    }
}
