using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNetFromScratch.Core.Kernels;

// The first layer's products when its input is mostly zeros, with the weights stored transposed,
// wT: (inputs, outputs), so that the row of one input is contiguous:
//   SparseForward:         y[r, :] = bias + Σⱼ values[j]·wT[indices[j], :] over row r's entries, in order;
//   SparseBackwardWeights: dwT[i, :] = scale·Σⱼ values[j]·dy[batchRows[j], :] over column i's entries, in order.
// Only non-zero inputs cost anything. A row of wT (or dy) is read 64 outputs at a time into 8 vector
// accumulators; each output element is one FMA chain in entry order, computed by one thread: the same bits
// for any thread count. Forward is split by rows of the batch, the weight gradient by columns of the input.
public static unsafe partial class MatMul
{
    private const int SparseRowGroup = 8;
    private const int SparseColumnGroup = 16;
    private const int Lookahead = 4;

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

        fixed (float* py = y, pw = wT, pb = bias, pv = x.Values)
        fixed (int* ps = x.RowStarts, pi = x.Indices, pr = rows)
        {
            var job = new SparseForwardJob(py, ps, pi, pv, pr, rows.Length, pw, pb, outputs);
            Dispatch(context, entries * outputs, job.ChunkCount, &RunSparseForwardChunk, &job);
        }
    }

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
    public static void SparseBackwardWeights(
        Span<float> dwT, Span<float> db, SparseColumns x, ReadOnlySpan<float> dy, float scale,
        int outputs, ComputeContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentOutOfRangeException.ThrowIfNegative(outputs);
        CheckLength(dwT.Length, x.Columns, outputs, nameof(dwT));
        CheckLength(db.Length, 1, outputs, nameof(db));
        CheckLength(dy.Length, x.Batch, outputs, nameof(dy));
        if (!UseSimd)
        {
            ScalarSparseBackwardWeights(dwT, db, x, dy, scale, outputs);
            return;
        }

        fixed (float* pdw = dwT, pdb = db, pdy = dy, pv = x.Values)
        fixed (int* ps = x.ColumnStarts, pr = x.BatchRows)
        {
            ColumnSums(pdb, pdy, scale, x.Batch, outputs);
            var job = new SparseBackwardJob(pdw, ps, pr, pv, x.Columns, pdy, outputs, scale);
            long work = ((long)x.ColumnStarts[x.Columns] + x.Columns) * outputs;
            Dispatch(context, work, job.ChunkCount, &RunSparseBackwardChunk, &job);
        }
    }

    private readonly struct SparseForwardJob(float* y, int* starts, int* indices, float* values, int* rows, int batch, float* wT, float* bias, int outputs)
    {
        public readonly float* Y = y;
        public readonly int* Starts = starts;
        public readonly int* Indices = indices;
        public readonly float* Values = values;
        public readonly int* Rows = rows;
        public readonly int Batch = batch;
        public readonly float* WT = wT;
        public readonly float* Bias = bias;
        public readonly int Outputs = outputs;
        public readonly int ChunkCount = (batch + SparseRowGroup - 1) / SparseRowGroup;
    }

    private readonly struct SparseBackwardJob(float* dwT, int* starts, int* rows, float* values, int columns, float* dy, int outputs, float scale)
    {
        public readonly float* DWT = dwT;
        public readonly int* Starts = starts;
        public readonly int* Rows = rows;
        public readonly float* Values = values;
        public readonly int Columns = columns;
        public readonly float* DY = dy;
        public readonly int Outputs = outputs;
        public readonly float Scale = scale;
        public readonly int ChunkCount = (columns + SparseColumnGroup - 1) / SparseColumnGroup;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunSparseForwardChunk(void* state, int chunk)
    {
        ref readonly SparseForwardJob job = ref *(SparseForwardJob*)state;
        int r1 = Math.Min((chunk + 1) * SparseRowGroup, job.Batch);
        for (int r = chunk * SparseRowGroup; r < r1; r++)
        {
            int row = job.Rows[r];
            int start = job.Starts[row];
            SparseAxpyRows(job.Y + ((nint)r * job.Outputs), job.Bias, job.Indices + start, job.Values + start, job.Starts[row + 1] - start, job.WT, job.Outputs, 1f);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunSparseBackwardChunk(void* state, int chunk)
    {
        ref readonly SparseBackwardJob job = ref *(SparseBackwardJob*)state;
        int c1 = Math.Min((chunk + 1) * SparseColumnGroup, job.Columns);
        for (int c = chunk * SparseColumnGroup; c < c1; c++)
        {
            int start = job.Starts[c];
            SparseAxpyRows(job.DWT + ((nint)c * job.Outputs), null, job.Rows + start, job.Values + start, job.Starts[c + 1] - start, job.DY, job.Outputs, job.Scale);
        }
    }

    // destination[0..n) = scale·(initial + Σⱼ values[j]·source[rows[j]·n ..]), with initial = 0 when null:
    // the sum of count scaled rows of source (n floats each), one FMA chain per element in entry order.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SparseAxpyRows(float* destination, float* initial, int* rows, float* values, int count, float* source, int n, float scale)
    {
        int o = 0;
        for (; o + 64 <= n; o += 64)
        {
            SparseAxpy64(destination + o, initial is null ? null : initial + o, rows, values, count, source + o, n, scale);
        }

        for (; o < n; o += 8)
        {
            Vector256<float> mask = LeadingMask(Math.Min(8, n - o));
            Vector256<float> acc = initial is null ? default : Avx.MaskLoad(initial + o, mask);
            for (int j = 0; j < count; j++)
            {
                acc = Fma.MultiplyAdd(Vector256.Create(values[j]), Avx.MaskLoad(source + ((nint)rows[j] * n) + o, mask), acc);
            }

            Avx.MaskStore(destination + o, mask, acc * scale);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SparseAxpy64(float* destination, float* initial, int* rows, float* values, int count, float* source, nint n, float scale)
    {
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        if (initial is not null)
        {
            a0 = Vector256.Load(initial);
            a1 = Vector256.Load(initial + 8);
            a2 = Vector256.Load(initial + 16);
            a3 = Vector256.Load(initial + 24);
            a4 = Vector256.Load(initial + 32);
            a5 = Vector256.Load(initial + 40);
            a6 = Vector256.Load(initial + 48);
            a7 = Vector256.Load(initial + 56);
        }

        for (int j = 0; j < count; j++)
        {
            float* s = source + (rows[j] * n);
            if (j + Lookahead < count)
            {
                // The rows are scattered; ask for a later one's first lines while this one is summed.
                float* later = source + (rows[j + Lookahead] * n);
                Sse.Prefetch0(later);
                Sse.Prefetch0(later + 16);
                Sse.Prefetch0(later + 32);
                Sse.Prefetch0(later + 48);
            }

            Vector256<float> v = Vector256.Create(values[j]);
            a0 = Fma.MultiplyAdd(v, Vector256.Load(s), a0);
            a1 = Fma.MultiplyAdd(v, Vector256.Load(s + 8), a1);
            a2 = Fma.MultiplyAdd(v, Vector256.Load(s + 16), a2);
            a3 = Fma.MultiplyAdd(v, Vector256.Load(s + 24), a3);
            a4 = Fma.MultiplyAdd(v, Vector256.Load(s + 32), a4);
            a5 = Fma.MultiplyAdd(v, Vector256.Load(s + 40), a5);
            a6 = Fma.MultiplyAdd(v, Vector256.Load(s + 48), a6);
            a7 = Fma.MultiplyAdd(v, Vector256.Load(s + 56), a7);
        }

        Vector256<float> f = Vector256.Create(scale);
        (a0 * f).Store(destination);
        (a1 * f).Store(destination + 8);
        (a2 * f).Store(destination + 16);
        (a3 * f).Store(destination + 24);
        (a4 * f).Store(destination + 32);
        (a5 * f).Store(destination + 40);
        (a6 * f).Store(destination + 48);
        (a7 * f).Store(destination + 56);
    }

    // The same sums without SIMD: one fused multiply-add per entry and element, in the same order, so the same bits.
    internal static void ScalarSparseForward(
        Span<float> y, SparseRows x, ReadOnlySpan<int> rows, ReadOnlySpan<float> wT, ReadOnlySpan<float> bias, int outputs)
    {
        for (int r = 0; r < rows.Length; r++)
        {
            Span<float> yr = y.Slice(r * outputs, outputs);
            bias[..outputs].CopyTo(yr);
            for (int j = x.RowStarts[rows[r]]; j < x.RowStarts[rows[r] + 1]; j++)
            {
                ScalarAxpy(yr, x.Values[j], wT.Slice(x.Indices[j] * outputs, outputs));
            }
        }
    }

    internal static void ScalarSparseBackwardWeights(
        Span<float> dwT, Span<float> db, SparseColumns x, ReadOnlySpan<float> dy, float scale, int outputs)
    {
        for (int o = 0; o < outputs; o++)
        {
            float sum = 0;
            for (int r = 0; r < x.Batch; r++)
            {
                sum += dy[(r * outputs) + o];
            }

            db[o] = sum * scale;
        }

        for (int c = 0; c < x.Columns; c++)
        {
            Span<float> row = dwT.Slice(c * outputs, outputs);
            row.Clear();
            for (int j = x.ColumnStarts[c]; j < x.ColumnStarts[c + 1]; j++)
            {
                ScalarAxpy(row, x.Values[j], dy.Slice(x.BatchRows[j] * outputs, outputs));
            }

            for (int o = 0; o < outputs; o++)
            {
                row[o] *= scale;
            }
        }
    }

    private static void ScalarAxpy(Span<float> destination, float factor, ReadOnlySpan<float> source)
    {
        for (int o = 0; o < destination.Length; o++)
        {
            destination[o] = MathF.FusedMultiplyAdd(factor, source[o], destination[o]);
        }
    }
}
