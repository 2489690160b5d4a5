using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNetFromScratch.Core.Kernels;

/// <summary>
/// The three matrix products a dense layer needs, forward and backward. All matrices are row-major.
/// </summary>
/// <remarks>
/// On x64 with AVX2 and FMA the products run as register-blocked SIMD kernels on packed panels on the
/// threads of <see cref="ComputeContext"/>; elsewhere as plain loops. Every output element is one
/// fused multiply-add chain over its sum in index order (Forward's starting from the bias), computed
/// by one thread, so the results are bit-identical for any degree of parallelism, and a row of a batch
/// gets the same bits as that row scored alone. A call allocates nothing (the packed panels live on
/// the stacks of the threads that use them).
/// A <see langword="null"/> context means <see cref="ComputeContext.Default"/>.
/// </remarks>
public static unsafe partial class MatMul
{
    // Below this many multiply-adds a call runs on the calling thread: waking a helper costs more.
    private const long ParallelThreshold = 1L << 17;

    private static bool UseSimd => Avx2.IsSupported && Fma.IsSupported && Vector256.IsHardwareAccelerated;

    /// <summary>y = x·wᵀ + b, that is y[r, o] = Σᵢ x[r, i]·w[o, i] + bias[o].</summary>
    /// <param name="y">Output, (batch, outputs); overwritten.</param>
    /// <param name="x">Input, (batch, inputs).</param>
    /// <param name="w">Weights, (outputs, inputs).</param>
    /// <param name="bias">Bias, (outputs).</param>
    /// <param name="batch">Rows of x and y.</param>
    /// <param name="inputs">Columns of x and w.</param>
    /// <param name="outputs">Rows of w, columns of y.</param>
    /// <param name="context">Threads to use; <see langword="null"/> for <see cref="ComputeContext.Default"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">When a size is negative.</exception>
    /// <exception cref="ArgumentException">When a span is shorter than its shape.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(
        Span<float> y, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias,
        int batch, int inputs, int outputs, ComputeContext? context = null)
    {
        CheckSizes(batch, inputs, outputs);
        CheckLength(y.Length, batch, outputs, nameof(y));
        CheckLength(x.Length, batch, inputs, nameof(x));
        CheckLength(w.Length, outputs, inputs, nameof(w));
        CheckLength(bias.Length, 1, outputs, nameof(bias));
        if (!UseSimd || inputs == 0)
        {
            ScalarForward(y, x, w, bias, batch, inputs, outputs);
            return;
        }

        fixed (float* py = y, px = x, pw = w, pb = bias)
        {
            if (batch == 1)
            {
                var row = new RowJob(py, px, pw, pb, inputs, outputs);
                Dispatch(context, (long)inputs * outputs, row.ChunkCount, &RunRowChunk, &row);
                return;
            }

            // C = y (batch × outputs), A = x, B(k, o) = w[o·inputs + k], starting from the bias.
            Gemm(context, py, outputs, px, inputs, aTransposed: false, pw, inputs, bTransposed: true, pb, batch, outputs, inputs, 1f);
        }
    }

    /// <summary>dx = dy·w, that is dx[r, i] = Σₒ dy[r, o]·w[o, i] (overwritten, not accumulated).</summary>
    /// <param name="dx">Gradient of the input, (batch, inputs); overwritten.</param>
    /// <param name="dy">Gradient of the output, (batch, outputs).</param>
    /// <param name="w">Weights, (outputs, inputs).</param>
    /// <param name="batch">Rows of dy and dx.</param>
    /// <param name="inputs">Columns of w and dx.</param>
    /// <param name="outputs">Rows of w, columns of dy.</param>
    /// <param name="context">Threads to use; <see langword="null"/> for <see cref="ComputeContext.Default"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">When a size is negative.</exception>
    /// <exception cref="ArgumentException">When a span is shorter than its shape.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BackwardInput(
        Span<float> dx, ReadOnlySpan<float> dy, ReadOnlySpan<float> w,
        int batch, int inputs, int outputs, ComputeContext? context = null)
    {
        CheckSizes(batch, inputs, outputs);
        CheckLength(dx.Length, batch, inputs, nameof(dx));
        CheckLength(dy.Length, batch, outputs, nameof(dy));
        CheckLength(w.Length, outputs, inputs, nameof(w));
        if (!UseSimd || outputs == 0)
        {
            ScalarBackwardInput(dx, dy, w, batch, inputs, outputs);
            return;
        }

        fixed (float* pdx = dx, pdy = dy, pw = w)
        {
            // C = dx (batch × inputs), A = dy, B = w.
            Gemm(context, pdx, inputs, pdy, outputs, aTransposed: false, pw, inputs, bTransposed: false, null, batch, inputs, outputs, 1f);
        }
    }

    /// <summary>
    /// dw = scale·dyᵀ·x and db = scale·Σ_rows dy, that is dw[o, i] = scale·Σᵣ dy[r, o]·x[r, i]
    /// and db[o] = scale·Σᵣ dy[r, o] (overwritten, not accumulated).
    /// </summary>
    /// <param name="dw">Gradient of the weights, (outputs, inputs); overwritten.</param>
    /// <param name="db">Gradient of the bias, (outputs); overwritten.</param>
    /// <param name="dy">Gradient of the output, (batch, outputs).</param>
    /// <param name="x">Input, (batch, inputs).</param>
    /// <param name="scale">Factor applied to both sums, typically 1/batch.</param>
    /// <param name="batch">Rows of dy and x.</param>
    /// <param name="inputs">Columns of x and dw.</param>
    /// <param name="outputs">Columns of dy, rows of dw.</param>
    /// <param name="context">Threads to use; <see langword="null"/> for <see cref="ComputeContext.Default"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">When a size is negative.</exception>
    /// <exception cref="ArgumentException">When a span is shorter than its shape.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BackwardWeights(
        Span<float> dw, Span<float> db, ReadOnlySpan<float> dy, ReadOnlySpan<float> x, float scale,
        int batch, int inputs, int outputs, ComputeContext? context = null)
    {
        CheckSizes(batch, inputs, outputs);
        CheckLength(dw.Length, outputs, inputs, nameof(dw));
        CheckLength(db.Length, 1, outputs, nameof(db));
        CheckLength(dy.Length, batch, outputs, nameof(dy));
        CheckLength(x.Length, batch, inputs, nameof(x));
        if (!UseSimd || batch == 0)
        {
            ScalarBackwardWeights(dw, db, dy, x, scale, batch, inputs, outputs);
            return;
        }

        fixed (float* pdw = dw, pdb = db, pdy = dy, px = x)
        {
            ColumnSums(pdb, pdy, scale, batch, outputs);

            // C = dw (outputs × inputs), A = dyᵀ (dy read by columns, always packed), B = x.
            Gemm(context, pdw, inputs, pdy, outputs, aTransposed: true, px, inputs, bTransposed: false, null, outputs, inputs, batch, scale);
        }
    }

    // C (rows × columns) = scale·(bias + A·B) over depth: A is a[r·lda + k], or a[k·lda + r] when
    // aTransposed; B as in GemmJob. A is packed tile by tile (see PackATiles) when it is given
    // transposed, where in place a row would be a column, or when more than one panel reads it.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Gemm(
        ComputeContext? context, float* c, int ldc, float* a, int lda, bool aTransposed, float* b, int ldb, bool bTransposed, float* bias,
        int rows, int columns, int depth, float scale)
    {
        long multiplyAdds = (long)rows * columns * depth;
        int threads = Threads(context, multiplyAdds);
        if (!aTransposed && columns <= PanelWidth)
        {
            var job = new GemmJob(c, ldc, a, lda, aPacked: false, b, ldb, bTransposed, bias, rows, columns, depth, scale, threads);
            Dispatch(context, multiplyAdds, job.ChunkCount, &RunGemmChunk, &job);
            return;
        }

        fixed (float* packed = Scratch(checked((rows * depth) + PackOvershoot)))
        {
            var pack = new PackJob(packed, a, lda, aTransposed, rows, depth, threads);
            Dispatch(context, multiplyAdds, pack.ChunkCount, &RunPackChunk, &pack);
            var job = new GemmJob(c, ldc, packed, lda, aPacked: true, b, ldb, bTransposed, bias, rows, columns, depth, scale, threads);
            Dispatch(context, multiplyAdds, job.ChunkCount, &RunGemmChunk, &job);
        }
    }

    // How many threads Dispatch will run a call of this size on.
    private static int Threads(ComputeContext? context, long multiplyAdds) =>
        multiplyAdds < ParallelThreshold ? 1 : (context ?? ComputeContext.Default).MaxDegreeOfParallelism;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dispatch(
        ComputeContext? context, long multiplyAdds, int chunkCount, delegate*<void*, int, void> body, void* job)
    {
        context ??= ComputeContext.Default;
        if (multiplyAdds < ParallelThreshold || context.MaxDegreeOfParallelism == 1)
        {
            for (int i = 0; i < chunkCount; i++)
            {
                body(job, i);
            }

            return;
        }

        context.Run(chunkCount, body, job);
    }

    // Per calling thread, grown on demand and kept: helpers only read it while the caller waits.
    [ThreadStatic]
    private static float[]? t_scratch;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float[] Scratch(int length) => AtLeast(ref t_scratch, length);

    // The buffer of a per-thread slot, replaced by a larger one when it holds fewer than length floats.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float[] AtLeast(ref float[]? slot, int length)
    {
        float[]? buffer = slot;
        if (buffer is null || buffer.Length < length)
        {
            slot = buffer = new float[Math.Max(length, 1)];
        }

        return buffer;
    }

    // db[o] = scale·Σᵣ dy[r, o], rows added in order: db is cleared, then every row of dy is added
    // to it, so that dy is read sequentially (a walk down its columns would take a new cache line
    // at every row).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ColumnSums(float* db, float* dy, float scale, int batch, int outputs)
    {
        new Span<float>(db, outputs).Clear();
        for (int r = 0; r < batch; r++)
        {
            float* row = dy + ((long)r * outputs);
            int o = 0;
            for (; o + Vector256<float>.Count <= outputs; o += Vector256<float>.Count)
            {
                (Vector256.Load(db + o) + Vector256.Load(row + o)).Store(db + o);
            }

            for (; o < outputs; o++)
            {
                db[o] += row[o];
            }
        }

        int i = 0;
        for (; i + Vector256<float>.Count <= outputs; i += Vector256<float>.Count)
        {
            (Vector256.Load(db + i) * scale).Store(db + i);
        }

        for (; i < outputs; i++)
        {
            db[i] *= scale;
        }
    }

    private static void CheckSizes(int batch, int inputs, int outputs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfNegative(inputs);
        ArgumentOutOfRangeException.ThrowIfNegative(outputs);
    }

    private static void CheckLength(int length, int rows, int columns, string name)
    {
        if (length < (long)rows * columns)
        {
            throw new ArgumentException($"Needs at least {(long)rows * columns} elements ({rows} × {columns}), has {length}.", name);
        }
    }
}
