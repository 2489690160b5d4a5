namespace MLNetFromScratch.Core.Kernels;

// Counting the non-zeros of a dense matrix on the threads of a context, split by groups of rows.
public sealed partial class SparseRows
{
    private const int CountRowGroup = 256;

    private static unsafe long CountNonZeros(ReadOnlySpan<float> dense, int rows, int columns, ComputeContext context)
    {
        var counts = new long[(rows + CountRowGroup - 1) / CountRowGroup];
        fixed (float* source = dense)
        fixed (long* pc = counts)
        {
            var job = new CountJob(source, rows, columns, pc);
            context.Run(counts.Length, &CountChunk, &job);
        }

        long total = 0;
        foreach (long count in counts)
        {
            total += count;
        }

        return total;
    }

    private readonly unsafe struct CountJob(float* dense, int rows, int columns, long* counts)
    {
        public readonly float* Dense = dense;
        public readonly int Rows = rows;
        public readonly int Columns = columns;
        public readonly long* Counts = counts;
    }

    private static unsafe void CountChunk(void* state, int chunk)
    {
        ref readonly CountJob job = ref *(CountJob*)state;
        int r1 = Math.Min((chunk + 1) * CountRowGroup, job.Rows);
        long count = 0;
        for (int r = chunk * CountRowGroup; r < r1; r++)
        {
            count += CountNonZeros(new ReadOnlySpan<float>(job.Dense + ((nint)r * job.Columns), job.Columns));
        }

        job.Counts[chunk] = count;
    }
}
