using MLNetFromScratch.Core.Kernels;

namespace MLNetFromScratch.Core.Tests.Kernels;

/// <summary>Runs alone: it counts the bytes allocated by every thread of the process.</summary>
[CollectionDefinition(nameof(MatMulAllocationTests), DisableParallelization = true)]
public class MatMulAllocationRunsAlone;

[Collection(nameof(MatMulAllocationTests))]
public class MatMulAllocationTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void AllKernels_AfterWarmUp_AllocateNothing(int threads)
    {
        const int batch = 128, inputs = 784, outputs = 128;
        var random = new Random(1);
        float[] x = MatMulReference.Random(random, batch * inputs);
        float[] w = MatMulReference.Random(random, outputs * inputs);
        float[] bias = MatMulReference.Random(random, outputs);
        float[] dy = MatMulReference.Random(random, batch * outputs);
        float[] y = new float[batch * outputs], dx = new float[batch * inputs], dw = new float[outputs * inputs], db = new float[outputs];
        var context = new ComputeContext(threads);

        void Step()
        {
            MatMul.Forward(y, x, w, bias, batch, inputs, outputs, context);
            MatMul.BackwardInput(dx, dy, w, batch, inputs, outputs, context);
            MatMul.BackwardWeights(dw, db, dy, x, 0.5f, batch, inputs, outputs, context);
            MatMul.Forward(y.AsSpan(0, outputs), x.AsSpan(0, inputs), w, bias, 1, inputs, outputs, context);
            MatMul.ForwardTransposed(y.AsSpan(0, outputs), x.AsSpan(0, inputs), w, bias, 1, inputs, outputs, context);
            MatMul.ForwardTransposed(y, x, w, bias, batch, inputs, outputs, context);
        }

        for (int i = 0; i < 20; i++)
        {
            Step();
        }

        // The test host allocates on its own threads now and then (about 1 KB a second here), so
        // count over short windows and keep the best: a kernel that allocated would spoil every one.
        long thisThread = long.MaxValue, process = long.MaxValue;
        for (int attempt = 0; attempt < 50 && (thisThread > 0 || process > 0); attempt++)
        {
            long threadBefore = GC.GetAllocatedBytesForCurrentThread();
            long processBefore = GC.GetTotalAllocatedBytes(precise: true);
            Step();
            long processAfter = GC.GetTotalAllocatedBytes(precise: true);
            thisThread = Math.Min(thisThread, GC.GetAllocatedBytesForCurrentThread() - threadBefore);
            process = Math.Min(process, processAfter - processBefore);
        }

        Assert.Equal(0, thisThread);
        Assert.Equal(0, process);
    }
}
