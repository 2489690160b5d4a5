using MLNetFromScratch.Core.Kernels;

namespace MLNetFromScratch.Core.Tests.Kernels;

public unsafe class ComputeContextTests
{
    [Fact]
    public void Run_ManyQuickJobs_EveryChunkRunsExactlyOnce()
    {
        var context = new ComputeContext(3);
        int* counts = stackalloc int[64];
        for (int job = 0; job < 20_000; job++)
        {
            int chunkCount = 2 + (job % 62);
            new Span<int>(counts, 64).Clear();
            context.Run(chunkCount, &Count, counts);
            for (int i = 0; i < 64; i++)
            {
                if (counts[i] != (i < chunkCount ? 1 : 0))
                {
                    Assert.Fail($"Job {job}: chunk {i} of {chunkCount} ran {counts[i]} times.");
                }
            }
        }
    }

    [Fact]
    public void Constructor_BelowOne_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ComputeContext(0));
    }

    private static void Count(void* state, int chunk) => Interlocked.Increment(ref ((int*)state)[chunk]);
}
