namespace MLNetFromScratch.Core.Kernels;

/// <summary>
/// How elementwise work over a vector is split for <see cref="ComputeContext"/>: into chunks of
/// <see cref="Length"/> elements, numbered from the start. The split depends on the vector's length only,
/// never on the number of threads, so a result that combines per-chunk values in chunk order (a sum)
/// has the same bits for any degree of parallelism.
/// </summary>
internal static class ElementwiseChunks
{
    /// <summary>
    /// Elements a chunk: a multiple of every vector width, so only the last chunk has a scalar tail, and large
    /// enough that handing a chunk to a helper thread pays: on one core of the 2-core AVX2 reference machine a
    /// chunk is about 7 µs of Adam (bound by its square root and division), 4 µs of momentum, 3 µs of the fused
    /// L2 sweep, 2.5 µs of plain SGD, well above what handing a chunk to an awake helper costs (8K and 32K chunks
    /// measured no different). A vector shorter than two chunks stays on the calling thread.
    /// </summary>
    public const int Length = 16 * 1024;

    /// <summary>The number of chunks of a vector of <paramref name="length"/> elements (0 for an empty one).</summary>
    public static int Count(int length) => (int)(((long)length + Length - 1) / Length);

    /// <summary>The first element of chunk <paramref name="chunk"/>.</summary>
    public static int Start(int chunk) => chunk * Length;

    /// <summary>The number of elements of chunk <paramref name="chunk"/> of a vector of <paramref name="length"/> elements.</summary>
    public static int LengthOf(int chunk, int length) => Math.Min(Length, length - Start(chunk));
}
