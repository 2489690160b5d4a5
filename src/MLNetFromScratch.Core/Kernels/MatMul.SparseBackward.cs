using System.Runtime.CompilerServices;

namespace MLNetFromScratch.Core.Kernels;

// The weight gradient of a sparse first layer (see MatMul.Sparse.cs for the layout and what measured faster).
public static unsafe partial class MatMul
{
    /// <summary>
    /// dw = scale·dyᵀ·x with x sparse, written transposed, and db = scale·Σ_rows dy:
    /// dwT[i, o] = scale·Σⱼ x[j, i]·dy[j, o] over the batch rows j where x[j, i] ≠ 0, db[o] = scale·Σᵣ dy[r, o]
    /// (both overwritten, not accumulated).
    /// </summary>
    /// <param name="dwT">Gradient of the transposed weights, (inputs, outputs); overwritten.</param>
    /// <param name="db">Gradient of the bias, (outputs); overwritten.</param>
    /// <param name="x">The batch's inputs, by column (built from the same rows as dy's).</param>
    /// <param name="dy">Gradient of the output, (x.Batch, outputs).</param>
    /// <param name="scale">Factor applied to both sums, typically 1/batch.</param>
    /// <param name="outputs">Columns of dy and dwT.</param>
    /// <param name="context">Threads to use; <see langword="null"/> for <see cref="ComputeContext.Default"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="outputs"/> is negative.</exception>
    /// <exception cref="ArgumentException">When a span is shorter than its shape.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SparseBackwardWeights(
        Span<float> dwT, Span<float> db, SparseColumns x, ReadOnlySpan<float> dy, float scale,
        int outputs, ComputeContext? context = null) =>
        SparseBackwardWeights(dwT, db, x, dy, scale, outputs, context, null, null, null, 0);

    /// <summary>At most this many chunks call the <c>finished</c> callback of a sparse weight gradient.</summary>
    internal const int SparseBackwardChunkLimit = SparseColumnChunks;

    // The same, and as soon as a chunk's rows of dwT are final (db is final before any), on the thread that ran it,
    // finished(state, chunk, start, length) with elements [start, start + length) of dwT, so the caller can use them
    // while they are in this core's cache; and alongside(state), when given, as one more chunk, claimed first, for work
    // of the caller's that needs neither dwT nor db (so that it takes no barrier of its own; it may use MatMul). Chunks are numbered from 0 to below SparseBackwardChunkLimit and split dwT
    // by its rows' share of the work, which depends on x and finishedColumnCost alone, never on the number of threads:
    // finished's work on a row of dwT counts as finishedColumnCost entries (of outputs multiply-adds each), so that
    // chunks of rows with few entries, which finished costs as much as any, are not made too long. finished must not throw.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void SparseBackwardWeights(
        Span<float> dwT, Span<float> db, SparseColumns x, ReadOnlySpan<float> dy, float scale,
        int outputs, ComputeContext? context, delegate*<void*, void> alongside, delegate*<void*, int, int, int, void> finished, void* state,
        int finishedColumnCost)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentOutOfRangeException.ThrowIfNegative(outputs);
        CheckLength(dwT.Length, x.Columns, outputs, nameof(dwT));
        CheckLength(db.Length, 1, outputs, nameof(db));
        CheckLength(dy.Length, x.Batch, outputs, nameof(dy));
        if (!UseSimd)
        {
            if (alongside is not null)
            {
                alongside(state);
            }

            ScalarSparseBackwardWeights(dwT, db, x, dy, scale, outputs);
            if (finished is not null && dwT.Length > 0)
            {
                finished(state, 0, 0, dwT.Length);
            }

            return;
        }

        int dyLength = x.Batch * outputs;
        bool copyDy = dyLength > 0 && (long)x.ColumnStarts[x.Columns] * outputs >= (long)AlignedCopyUses * dyLength && !IsLineAligned(dy);
        fixed (float* pdw = dwT, pdb = db, pdy = dy, pv = x.Values)
        fixed (int* ps = x.ColumnStarts, pr = x.BatchRows)
        fixed (float* scratch = copyDy ? DyCopyBuffer(dyLength + LineFloats) : null)
        {
            ColumnSums(pdb, pdy, scale, x.Batch, outputs);
            float* g = copyDy ? LineAlignedCopy(pdy, dyLength, scratch) : pdy;
            var job = new SparseBackwardJob(pdw, ps, pr, pv, x.Columns, g, outputs, scale, alongside, finished, state, SparseColumnCost + finishedColumnCost);
            long work = ((long)x.ColumnStarts[x.Columns] + x.Columns) * outputs;
            Dispatch(context, work, job.ChunkCount + (alongside is null ? 0 : 1), &RunSparseBackwardChunk, &job);
        }
    }

    private readonly struct SparseBackwardJob(
        float* dwT, int* starts, int* rows, float* values, int columns, float* dy, int outputs, float scale,
        delegate*<void*, void> alongside, delegate*<void*, int, int, int, void> finished, void* state, int columnCost)
    {
        public readonly float* DWT = dwT;
        public readonly int* Starts = starts;
        public readonly int* Rows = rows;
        public readonly float* Values = values;
        public readonly int Columns = columns;
        public readonly float* DY = dy;
        public readonly int Outputs = outputs;
        public readonly float Scale = scale;
        public readonly delegate*<void*, void> Alongside = alongside;
        public readonly delegate*<void*, int, int, int, void> Finished = finished;
        public readonly void* State = state;
        public readonly int ChunkCount = Math.Min(columns, SparseColumnChunks);

        // What a chunk's share is measured in: entries, plus a few for each column (its stores and loop overhead, and
        // what finished does with it).
        public readonly int ColumnCost = columnCost;
        public readonly long Work = starts[columns] + ((long)columns * columnCost);
    }

    // One chunk: the input columns whose entries make its share of the work, × all the outputs, 32 at a time (so the
    // slice of dy in use stays in L1). Fewer, larger chunks than one per 16 columns: each chunk claimed costs two atomic
    // operations on a cache line the threads share. Columns without entries only get their zero rows written.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunSparseBackwardChunk(void* state, int chunk)
    {
        ref readonly SparseBackwardJob job = ref *(SparseBackwardJob*)state;
        if (job.Alongside is not null)
        {
            if (chunk == 0)
            {
                job.Alongside(job.State);
                return;
            }

            chunk--;
        }

        int* starts = job.Starts;
        int c0 = ColumnAtWork(starts, job.Columns, job.ColumnCost, job.Work * chunk / job.ChunkCount);
        int c1 = ColumnAtWork(starts, job.Columns, job.ColumnCost, job.Work * (chunk + 1) / job.ChunkCount);
        nint ld = job.Outputs;
        int o0 = 0;
        for (; o0 + SparseOutputGroup <= job.Outputs; o0 += SparseOutputGroup)
        {
            float* dwT = job.DWT + o0;
            float* dy = job.DY + o0;
            int i = c0;
            for (; i + 2 <= c1; i += 2)
            {
                SparseSum2x32<Int32Indices, SingleValues>(
                    dwT + (i * ld), dwT + ((i + 1) * ld), job.Rows, job.Values, null,
                    starts[i], starts[i + 1] - starts[i], -1, starts[i + 1], starts[i + 2] - starts[i + 1], -1,
                    dy, ld, null, job.Scale);
            }

            if (i < c1)
            {
                SparseSum2x32<Int32Indices, SingleValues>(dwT + (i * ld), null, job.Rows, job.Values, null, starts[i], starts[i + 1] - starts[i], -1, 0, 0, -1, dy, ld, null, job.Scale);
            }
        }

        if (o0 < job.Outputs)
        {
            for (int c = c0; c < c1; c++)
            {
                SparseAxpyRows<Int32Indices, SingleValues>(job.DWT + (c * ld) + o0, null, job.Rows, job.Values, null, starts[c], starts[c + 1] - starts[c], -1, job.DY + o0, ld, job.Outputs - o0, job.Scale);
            }
        }

        if (job.Finished is not null && c1 > c0)
        {
            job.Finished(job.State, chunk, c0 * job.Outputs, (c1 - c0) * job.Outputs);
        }
    }

    // The first column c with starts[c] + c·columnCost ≥ work (columns when there is none): a chunk's first column,
    // found from its number alone, so chunks split the columns the same way whichever thread runs them.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int ColumnAtWork(int* starts, int columns, int columnCost, long work)
    {
        int lo = 0, hi = columns;
        while (lo < hi)
        {
            int mid = (int)((uint)(lo + hi) >> 1);
            if (starts[mid] + ((long)mid * columnCost) < work)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    // The line-aligned copy of dy: per calling thread, grown on demand and kept, as Scratch is, but apart from it, because
    // an alongside chunk on the calling thread may run a product that packs into Scratch while the chunks read the copy.
    [ThreadStatic]
    private static float[]? t_dyCopy;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float[] DyCopyBuffer(int length) => AtLeast(ref t_dyCopy, length);
}
