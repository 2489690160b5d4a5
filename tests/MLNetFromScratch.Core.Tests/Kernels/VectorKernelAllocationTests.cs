using MLNetFromScratch.Core.Kernels;

namespace MLNetFromScratch.Core.Tests.Kernels;

[Collection(nameof(AllocationSensitive))]
public sealed class VectorKernelAllocationTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void AddScaledSumOfSquares_W1OfMnistAfterWarmUp_AllocatesNothingOnCallerOrHelpers(int threads)
    {
        const int N = 784 * 128;
        var random = new Random(1);
        float[] weights = Enumerable.Range(0, N).Select(_ => random.NextSingle() - 0.5f).ToArray();
        float[] gradients = new float[N];
        var context = new ComputeContext(threads);
        double sink = 0;

        (long thread, long process) = AllocationProbe.Measure(
            () => sink += VectorKernels.AddScaledSumOfSquares(gradients, weights, 1e-9f, context));

        Assert.Equal(0, thread);
        Assert.Equal(0, process);
        Assert.True(sink > 0);
    }
}
