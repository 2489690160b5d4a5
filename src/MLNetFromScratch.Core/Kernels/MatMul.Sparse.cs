using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNetFromScratch.Core.Kernels;

// The first layer's products when its input is mostly zeros, with the weights stored transposed,
// wT: (inputs, outputs), so that the row of one input is contiguous:
//   SparseForward:         y[r, :] = bias + Σⱼ values[j]·wT[indices[j], :] over row r's entries, in order;
//   SparseBackwardWeights: dwT[i, :] = scale·Σⱼ values[j]·dy[batchRows[j], :] over column i's entries, in order.
// Only non-zero inputs cost anything. Outputs go 32 at a time (4 vector accumulators): for the weight gradient
// the 32-wide slice of dy (16 KB at batch 128) then stays in L1 while every input column is summed. Each output
// element is one FMA chain in entry order, computed by one thread: the same bits for any thread count, and the same
// as the scalar loops. This machine is bound by loads, not FMAs: each entry costs a load of wT (or dy) per FMA plus
// its index and value. What measured faster on MNIST (784-128, batch 128, ~150 entries a row):
// - Forward chunks of 9 rows × all outputs, not 32 rows × 32 outputs: the batch is a random pick of rows, so their
//   entries come from memory; a chunk prefetches them all at once and then reads them from L1 for the 4 slices.
// - Three rows side by side (12 FMA chains), the chunk's rows taken from shortest to longest so that the three have
//   about the same length and little is left for one row alone.
// - Weight-gradient chunks that split the columns by entry count (16 of them), not 196 chunks of 16 columns: each
//   chunk claimed costs two atomic operations on a cache line both threads write.
// - Reading wT and dy from a copy on a 64-byte line when theirs is not on one (see IsLineAligned).
// What did not: one row × 64 outputs (fewer index loads, but slower), 4 rows × 16 outputs, prefetching the wT rows of
// later entries, decoding a row's entries to offsets first, reading two entries' indices with one load, three columns
// side by side in the weight gradient, and blocking Forward by 64 inputs so that a block of wT stays in L1.
// Forward reads x in its compact form (ushort or int columns, byte-coded or float values, or a byte gap and a byte code
// in a ushort), one specialized loop per form.
public static unsafe partial class MatMul
{
    private const int SparseRowGroup = 9;
    private const int SparseColumnChunks = 16;
    private const int SparseColumnCost = 4;
    private const int SparseOutputGroup = 32;
    private const int AlignedCopyUses = 4;

    /// <summary>
    /// y = x·w with x sparse: y[r, o] = bias[o] + Σⱼ x[rows[r], j]·wT[j, o] over the stored entries of the row.
    /// </summary>
    /// <param name="y">Output, (rows.Length, outputs); overwritten.</param>
    /// <param name="x">The input matrix, (any rows, inputs).</param>
    /// <param name="rows">The rows of <paramref name="x"/> that make the batch, in order.</param>
    /// <param name="wT">Weights, transposed: (inputs, outputs).</param>
    /// <param name="bias">Bias, (outputs).</param>
    /// <param name="outputs">Columns of y and wT.</param>
    /// <param name="context">Threads to use; <see langword="null"/> for <see cref="ComputeContext.Default"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="outputs"/> is negative.</exception>
    /// <exception cref="ArgumentException">When a span is shorter than its shape or a row is out of range.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SparseForward(
        Span<float> y, SparseRows x, ReadOnlySpan<int> rows, ReadOnlySpan<float> wT, ReadOnlySpan<float> bias,
        int outputs, ComputeContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentOutOfRangeException.ThrowIfNegative(outputs);
        CheckLength(y.Length, rows.Length, outputs, nameof(y));
        CheckLength(wT.Length, x.Columns, outputs, nameof(wT));
        CheckLength(bias.Length, 1, outputs, nameof(bias));
        long entries = 0;
        foreach (int row in rows)
        {
            if ((uint)row >= (uint)x.Rows)
            {
                throw new ArgumentException($"Row {row} is outside the matrix's {x.Rows} rows.", nameof(rows));
            }

            entries += x.RowStarts[row + 1] - x.RowStarts[row];
        }

        if (!UseSimd)
        {
            ScalarSparseForward(y, x, rows, wT, bias, outputs);
            return;
        }

        int wLength = x.Columns * outputs;
        bool copyW = wLength > 0 && entries * outputs >= (long)AlignedCopyUses * wLength && !IsLineAligned(wT);
        fixed (float* py = y, pw = wT, pb = bias, pv = x.FloatValues, pt = x.Table)
        fixed (int* ps = x.RowStarts, pi = x.WideIndices, pr = rows)
        fixed (ushort* pi16 = x.ShortIndices, po = x.RowOrigins, pg = x.GapCodes)
        fixed (byte* pc = x.Codes)
        fixed (float* scratch = copyW ? Scratch(wLength + LineFloats) : null)
        {
            void* indices = pg != null ? pg : pi16 != null ? pi16 : pi;
            void* values = pg != null ? pg : pc != null ? pc : pv;
            float* w = copyW ? LineAlignedCopy(pw, wLength, scratch) : pw;
            var job = new SparseForwardJob(py, ps, po, indices, values, pt, pr, rows.Length, w, pb, outputs);
            delegate*<void*, int, void> body = (x.IndexBytes, pc != null) switch
            {
                (1, _) => &RunSparseForwardChunk<GapCodedEntries, GapCodedEntries>,
                (2, true) => &RunSparseForwardChunk<UInt16Indices, ByteCodedValues>,
                (2, false) => &RunSparseForwardChunk<UInt16Indices, SingleValues>,
                (_, true) => &RunSparseForwardChunk<Int32Indices, ByteCodedValues>,
                _ => &RunSparseForwardChunk<Int32Indices, SingleValues>,
            };
            Dispatch(context, entries * outputs, job.ChunkCount, body, &job);
        }
    }

    private readonly struct SparseForwardJob(
        float* y, int* starts, ushort* origins, void* indices, void* values, float* table, int* rows, int batch, float* wT, float* bias, int outputs)
    {
        public readonly float* Y = y;
        public readonly int* Starts = starts;
        public readonly ushort* Origins = origins;
        public readonly void* Indices = indices;
        public readonly void* Values = values;
        public readonly float* Table = table;
        public readonly int* Rows = rows;
        public readonly int Batch = batch;
        public readonly float* WT = wT;
        public readonly float* Bias = bias;
        public readonly int Outputs = outputs;
        public readonly int ChunkCount = (batch + SparseRowGroup - 1) / SparseRowGroup;
    }

    // One chunk: up to 9 batch rows × all the outputs. Its rows are taken from shortest to longest, three at a time,
    // so that the three rows summed side by side have about the same number of entries; their entries (cold: the batch
    // is a random pick of rows) are prefetched first, so that their cache misses overlap.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunSparseForwardChunk<TIndices, TValues>(void* state, int chunk)
        where TIndices : struct, ISparseIndices
        where TValues : struct, ISparseValues
    {
        ref readonly SparseForwardJob job = ref *(SparseForwardJob*)state;
        int r0 = chunk * SparseRowGroup;
        int count = Math.Min(SparseRowGroup, job.Batch - r0);
        nint ld = job.Outputs;
        int* starts = job.Starts;
        int* order = stackalloc int[SparseRowGroup];
        for (int i = 0; i < count; i++)
        {
            int row = job.Rows[r0 + i];
            PrefetchEntries<TIndices, TValues>(job.Indices, job.Values, starts[row], starts[row + 1]);
            int key = ((starts[row + 1] - starts[row]) << 8) | i;
            int k = i;
            for (; k > 0 && order[k - 1] > key; k--)
            {
                order[k] = order[k - 1];
            }

            order[k] = key;
        }

        for (int i = 0; i < count; i++)
        {
            order[i] = r0 + (order[i] & 0xFF);
        }

        int o0 = 0;
        for (; o0 + SparseOutputGroup <= job.Outputs; o0 += SparseOutputGroup)
        {
            float* y = job.Y + o0;
            float* wT = job.WT + o0;
            float* bias = job.Bias + o0;
            int q = 0;
            for (; q + 3 <= count; q += 3)
            {
                int a = order[q], b = order[q + 1], c = order[q + 2];
                int ra = job.Rows[a], rb = job.Rows[b], rc = job.Rows[c];
                SparseSum3x32<TIndices, TValues>(
                    y + (a * ld), y + (b * ld), y + (c * ld), job.Indices, job.Values, job.Table,
                    starts[ra], starts[ra + 1] - starts[ra], TIndices.Before(job.Origins, ra),
                    starts[rb], starts[rb + 1] - starts[rb], TIndices.Before(job.Origins, rb),
                    starts[rc], starts[rc + 1] - starts[rc], TIndices.Before(job.Origins, rc),
                    wT, ld, bias);
            }

            if (q < count)
            {
                int a = order[q], ra = job.Rows[a];
                int b = q + 1 < count ? order[q + 1] : -1, rb = b < 0 ? 0 : job.Rows[b];
                SparseSum2x32<TIndices, TValues>(
                    y + (a * ld), b < 0 ? null : y + (b * ld), job.Indices, job.Values, job.Table,
                    starts[ra], starts[ra + 1] - starts[ra], TIndices.Before(job.Origins, ra),
                    starts[rb], b < 0 ? 0 : starts[rb + 1] - starts[rb], b < 0 ? -1 : TIndices.Before(job.Origins, rb), wT, ld, bias, 1f);
            }
        }

        if (o0 < job.Outputs)
        {
            for (int i = 0; i < count; i++)
            {
                int r = r0 + i, row = job.Rows[r];
                SparseAxpyRows<TIndices, TValues>(job.Y + (r * ld) + o0, job.Bias + o0, job.Indices, job.Values, job.Table, starts[row], starts[row + 1] - starts[row], TIndices.Before(job.Origins, row), job.WT + o0, ld, job.Outputs - o0, 1f);
            }
        }
    }

    private const int LineFloats = 16;

    // Whether the span starts on a 64-byte cache line. When the rows of wT (or dy) do not, half of the 32-byte loads
    // span two lines and each 32-float slice spans three lines instead of two: on MNIST both kernels measured about 20%
    // slower. They then read a copy, made on a line boundary in the calling thread's scratch buffer, when each element
    // is read at least AlignedCopyUses times (a batch of 128 MNIST rows reads each weight ~25 times, each dy ~150).
    // A training step pays no copy: SparseInputGradients keeps its W1ᵀ and dZ1 on lines, in pinned memory.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool IsLineAligned(ReadOnlySpan<float> span)
    {
        fixed (float* p = span)
        {
            return ((nint)p & 63) == 0;
        }
    }

    // Copies length floats to the first 64-byte boundary in scratch (which holds length + 16 floats) and returns it.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float* LineAlignedCopy(float* source, int length, float* scratch)
    {
        float* destination = (float*)(((nint)scratch + 63) & ~(nint)63);
        Buffer.MemoryCopy(source, destination, (long)length * sizeof(float), (long)length * sizeof(float));
        return destination;
    }

    // Asks for the cache lines holding entries [first, end) of both arrays.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchEntries<TIndices, TValues>(void* indices, void* values, nint first, nint end)
        where TIndices : struct, ISparseIndices
        where TValues : struct, ISparseValues
    {
        if (end <= first || !Sse.IsSupported)
        {
            return;
        }

        byte* p = (byte*)indices + (first * TIndices.Size), last = (byte*)indices + (end * TIndices.Size) - 1;
        for (; p <= last; p += 64)
        {
            Sse.Prefetch0(p);
        }

        Sse.Prefetch0(last);
        if (TValues.InIndices)
        {
            return;
        }

        p = (byte*)values + (first * TValues.Size);
        last = (byte*)values + (end * TValues.Size) - 1;
        for (; p <= last; p += 64)
        {
            Sse.Prefetch0(p);
        }

        Sse.Prefetch0(last);
    }

}
