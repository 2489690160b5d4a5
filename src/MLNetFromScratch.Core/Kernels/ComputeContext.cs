namespace MLNetFromScratch.Core.Kernels;

/// <summary>
/// How many threads the kernels may use. Results never depend on it: work is split by output
/// tiles, each computed by one thread in a fixed order, never by a shared reduction.
/// </summary>
/// <remarks>
/// A context needs no disposing. Its helper threads are background threads, started on the
/// first call large enough to be worth splitting; they spin briefly between calls, then sleep,
/// and leave after a few seconds without work (the next call starts them again). A kernel call
/// allocates nothing once the threads are running. Calls made at the same time from several
/// threads on one context are safe: a call that finds the helpers busy runs on its own thread,
/// with the same results.
/// </remarks>
public sealed partial class ComputeContext
{
    /// <summary>A context that runs every kernel on the calling thread.</summary>
    public static ComputeContext SingleThreaded { get; } = new(1);

    /// <summary>A context that uses every core of the machine.</summary>
    public static ComputeContext Default { get; } = new(Environment.ProcessorCount);

    /// <summary>Creates a context that uses at most <paramref name="maxDegreeOfParallelism"/> threads.</summary>
    /// <param name="maxDegreeOfParallelism">The calling thread plus at most this many minus one helper threads.</param>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="maxDegreeOfParallelism"/> is below 1.</exception>
    public ComputeContext(int maxDegreeOfParallelism)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDegreeOfParallelism, 1);
        MaxDegreeOfParallelism = maxDegreeOfParallelism;
    }

    /// <summary>The largest number of threads a kernel call uses.</summary>
    public int MaxDegreeOfParallelism { get; }
}
