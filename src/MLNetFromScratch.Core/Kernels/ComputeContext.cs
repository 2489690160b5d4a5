namespace MLNetFromScratch.Core.Kernels;

/// <summary>
/// How many threads the kernels may use. Results never depend on it: work is split by output
/// tiles, each computed by one thread in a fixed order, never by a shared reduction.
/// </summary>
public sealed class ComputeContext
{
    /// <summary>A context that runs every kernel on the calling thread.</summary>
    public static ComputeContext SingleThreaded { get; } = new(1);

    /// <summary>A context that uses every core of the machine.</summary>
    public static ComputeContext Default { get; } = new(Environment.ProcessorCount);

    /// <summary>Creates a context that uses at most <paramref name="maxDegreeOfParallelism"/> threads.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="maxDegreeOfParallelism"/> is below 1.</exception>
    public ComputeContext(int maxDegreeOfParallelism)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDegreeOfParallelism, 1);
        MaxDegreeOfParallelism = maxDegreeOfParallelism;
    }

    /// <summary>The largest number of threads a kernel call uses.</summary>
    public int MaxDegreeOfParallelism { get; }
}
