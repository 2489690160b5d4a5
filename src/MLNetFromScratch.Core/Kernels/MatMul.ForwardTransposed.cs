using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNetFromScratch.Core.Kernels;

// Forward with the weights stored transposed, wT: (inputs, outputs). The sums and their order are
// Forward's, so are the bits; only the reading differs. A batch runs as the same packed product (B =
// wT read as rows, no transposing); a single row, the way rows are scored, walks the rows of wT in
// order, 64 outputs at a time in 8 vector chains: contiguous loads, nothing to transpose, where
// Forward must transpose w in registers. Worth it for scoring many rows one at a time against
// fixed weights, with a transposed copy kept beside them.
public static unsafe partial class MatMul
{
    private const int AxpyOutputs = 64;

    /// <summary>
    /// y = x·w + b with the weights given transposed: y[r, o] = bias[o] + Σᵢ x[r, i]·wT[i, o]. The
    /// same bits as <see cref="Forward"/> with w[o, i] = wT[i, o], for any batch and thread count.
    /// </summary>
    /// <param name="y">Output, (batch, outputs); overwritten.</param>
    /// <param name="x">Input, (batch, inputs).</param>
    /// <param name="wT">Weights, transposed: (inputs, outputs).</param>
    /// <param name="bias">Bias, (outputs).</param>
    /// <param name="batch">Rows of x and y.</param>
    /// <param name="inputs">Columns of x, rows of wT.</param>
    /// <param name="outputs">Columns of wT and y.</param>
    /// <param name="context">Threads to use; <see langword="null"/> for <see cref="ComputeContext.Default"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">When a size is negative.</exception>
    /// <exception cref="ArgumentException">When a span is shorter than its shape.</exception>
    public static void ForwardTransposed(
        Span<float> y, ReadOnlySpan<float> x, ReadOnlySpan<float> wT, ReadOnlySpan<float> bias,
        int batch, int inputs, int outputs, ComputeContext? context = null)
    {
        CheckSizes(batch, inputs, outputs);
        CheckLength(y.Length, batch, outputs, nameof(y));
        CheckLength(x.Length, batch, inputs, nameof(x));
        CheckLength(wT.Length, inputs, outputs, nameof(wT));
        CheckLength(bias.Length, 1, outputs, nameof(bias));
        if (!UseSimd || inputs == 0)
        {
            ScalarForwardTransposed(y, x, wT, bias, batch, inputs, outputs);
            return;
        }

        fixed (float* py = y, px = x, pw = wT, pb = bias)
        {
            if (batch == 1)
            {
                var row = new AxpyJob(py, px, pw, pb, inputs, outputs);
                Dispatch(context, (long)inputs * outputs, row.ChunkCount, &RunAxpyChunk, &row);
                return;
            }

            // C = y (batch × outputs), A = x, B = wT, starting from the bias.
            Gemm(context, py, outputs, px, inputs, aTransposed: false, pw, outputs, bTransposed: false, pb, batch, outputs, inputs, 1f);
        }
    }

    internal static void ScalarForwardTransposed(
        Span<float> y, ReadOnlySpan<float> x, ReadOnlySpan<float> wT, ReadOnlySpan<float> bias,
        int batch, int inputs, int outputs)
    {
        for (int r = 0; r < batch; r++)
        {
            for (int o = 0; o < outputs; o++)
            {
                float sum = bias[o];
                for (int i = 0; i < inputs; i++)
                {
                    sum += x[(r * inputs) + i] * wT[(i * outputs) + o];
                }

                y[(r * outputs) + o] = sum;
            }
        }
    }

    private readonly struct AxpyJob(float* y, float* x, float* wT, float* bias, int inputs, int outputs)
    {
        public readonly float* Y = y;
        public readonly float* X = x;
        public readonly float* WT = wT;
        public readonly float* Bias = bias;
        public readonly int Inputs = inputs;
        public readonly int Outputs = outputs;
        public readonly int ChunkCount = (outputs + AxpyOutputs - 1) / AxpyOutputs;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunAxpyChunk(void* state, int chunk)
    {
        ref readonly AxpyJob job = ref *(AxpyJob*)state;
        int o0 = chunk * AxpyOutputs;
        int count = Math.Min(AxpyOutputs, job.Outputs - o0);
        if (count == AxpyOutputs)
        {
            Axpy64(job.Y + o0, job.X, job.WT + o0, job.Bias + o0, job.Inputs, job.Outputs);
            return;
        }

        for (int o = 0; o < count; o += 8)
        {
            Axpy8(job.Y + o0 + o, job.X, job.WT + o0 + o, job.Bias + o0 + o, job.Inputs, job.Outputs, Math.Min(8, count - o));
        }
    }

    // y[0..64) = bias + Σₖ x[k]·wT[k·n ..], one chain per output in k order.
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static void Axpy64(float* y, float* x, float* wT, float* bias, int k1, nint n)
    {
        Vector256<float> c0 = Vector256.Load(bias), c1 = Vector256.Load(bias + 8), c2 = Vector256.Load(bias + 16), c3 = Vector256.Load(bias + 24);
        Vector256<float> c4 = Vector256.Load(bias + 32), c5 = Vector256.Load(bias + 40), c6 = Vector256.Load(bias + 48), c7 = Vector256.Load(bias + 56);
        for (int k = 0; k < k1; k++, wT += n)
        {
            Vector256<float> xk = Vector256.Create(x[k]);
            c0 = Fma.MultiplyAdd(xk, Vector256.Load(wT), c0);
            c1 = Fma.MultiplyAdd(xk, Vector256.Load(wT + 8), c1);
            c2 = Fma.MultiplyAdd(xk, Vector256.Load(wT + 16), c2);
            c3 = Fma.MultiplyAdd(xk, Vector256.Load(wT + 24), c3);
            c4 = Fma.MultiplyAdd(xk, Vector256.Load(wT + 32), c4);
            c5 = Fma.MultiplyAdd(xk, Vector256.Load(wT + 40), c5);
            c6 = Fma.MultiplyAdd(xk, Vector256.Load(wT + 48), c6);
            c7 = Fma.MultiplyAdd(xk, Vector256.Load(wT + 56), c7);
        }

        c0.Store(y);
        c1.Store(y + 8);
        c2.Store(y + 16);
        c3.Store(y + 24);
        c4.Store(y + 32);
        c5.Store(y + 40);
        c6.Store(y + 48);
        c7.Store(y + 56);
    }

    // The same for the first count (1-8) outputs.
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static void Axpy8(float* y, float* x, float* wT, float* bias, int k1, nint n, int count)
    {
        Vector256<float> mask = LeadingMask(count);
        Vector256<float> c = Avx.MaskLoad(bias, mask);
        for (int k = 0; k < k1; k++, wT += n)
        {
            c = Fma.MultiplyAdd(Vector256.Create(x[k]), Avx.MaskLoad(wT, mask), c);
        }

        Avx.MaskStore(y, mask, c);
    }
}
