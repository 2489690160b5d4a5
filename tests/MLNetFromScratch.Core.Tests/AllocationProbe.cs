namespace MLNetFromScratch.Core.Tests;

/// <summary>Counts the bytes a call allocates, on the calling thread and in the whole process (the kernel helpers).</summary>
internal static class AllocationProbe
{
    /// <summary>
    /// Runs <paramref name="step"/> past tiered compilation, then counts over short windows and keeps the smallest
    /// counts: the test host allocates on its own threads now and then, but a step that allocated would spoil every window.
    /// </summary>
    public static (long Thread, long Process) Measure(Action step)
    {
        for (int i = 0; i < 40; i++)
        {
            step();
        }

        long thisThread = long.MaxValue, process = long.MaxValue;
        for (int attempt = 0; attempt < 50 && (thisThread > 0 || process > 0); attempt++)
        {
            long threadBefore = GC.GetAllocatedBytesForCurrentThread();
            long processBefore = GC.GetTotalAllocatedBytes(precise: true);
            step();
            long processAfter = GC.GetTotalAllocatedBytes(precise: true);
            thisThread = Math.Min(thisThread, GC.GetAllocatedBytesForCurrentThread() - threadBefore);
            process = Math.Min(process, processAfter - processBefore);
        }

        return (thisThread, process);
    }
}
