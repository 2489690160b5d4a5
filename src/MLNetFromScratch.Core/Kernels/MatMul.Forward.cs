using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNetFromScratch.Core.Kernels;

// Forward, y = x·wᵀ + b, as dot products along inputs: rows of x and rows of w are both
// contiguous there, so neither operand needs packing. A tile of 4 rows × 3 outputs keeps 12
// vector accumulators: 7 loads feed 12 FMAs. Every y[r, o] is one FMA chain per lane over
// inputs in order, the same reduction tree and one bias add, whichever kernel computes it.
// x: (batch, inputs) row-major; w: (outputs, inputs); bias: (outputs); y: (batch, outputs).
public static unsafe partial class MatMul
{
    private const int ForwardRowGroup = 64;
    private const int ForwardOutputGroup = 24;

    private static ReadOnlySpan<int> MaskTable => [-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0];

    /// <summary>A vector whose first <paramref name="count"/> lanes are all ones, for masked loads (0..8).</summary>
    private static Vector256<float> LeadingMask(int count) =>
        Vector256.Create(MaskTable.Slice(8 - count, 8)).AsSingle();

    /// <summary>[Σa, Σb, Σc, Σd], each summed as ((v0+v1)+(v2+v3))+((v4+v5)+(v6+v7)).</summary>
    private static Vector128<float> Reduce4(Vector256<float> a, Vector256<float> b, Vector256<float> c, Vector256<float> d)
    {
        Vector256<float> abcd = Avx.HorizontalAdd(Avx.HorizontalAdd(a, b), Avx.HorizontalAdd(c, d));
        return abcd.GetLower() + abcd.GetUpper();
    }

    private readonly struct ForwardJob
    {
        public readonly float* Y;
        public readonly float* X;
        public readonly float* W;
        public readonly float* Bias;
        public readonly int Batch;
        public readonly int Inputs;
        public readonly int Outputs;
        public readonly int RowGroups;
        public readonly int ChunkCount;

        public ForwardJob(float* y, float* x, float* w, float* bias, int batch, int inputs, int outputs)
        {
            Y = y;
            X = x;
            W = w;
            Bias = bias;
            Batch = batch;
            Inputs = inputs;
            Outputs = outputs;
            RowGroups = (batch + ForwardRowGroup - 1) / ForwardRowGroup;
            ChunkCount = RowGroups * ((outputs + ForwardOutputGroup - 1) / ForwardOutputGroup);
        }
    }

    // One chunk: up to 64 rows × 24 outputs. Each 3-output slice of w stays in L1 while the rows pass
// in fours; the last 0-3 rows take the outputs 8 at a time.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunForwardChunk(void* state, int chunk)
    {
        ref readonly ForwardJob job = ref *(ForwardJob*)state;
        int r0 = chunk % job.RowGroups * ForwardRowGroup;
        int r1 = Math.Min(r0 + ForwardRowGroup, job.Batch);
        int o0 = chunk / job.RowGroups * ForwardOutputGroup;
        int o1 = Math.Min(o0 + ForwardOutputGroup, job.Outputs);
        int k = job.Inputs;
        int ldy = job.Outputs;
        Vector256<float> mask = LeadingMask(k & 7);
        int rows4 = r0 + ((r1 - r0) & ~3);
        for (int o = o0; o < o1; o += 3)
        {
            float* w = job.W + ((nint)o * k);
            if (o + 3 <= o1)
            {
                for (int r = r0; r < rows4; r += 4)
                {
                    Dot4x3(job.X + ((nint)r * k), w, k, mask, job.Y + ((nint)r * ldy) + o, ldy, job.Bias + o);
                }

                continue;
            }

            for (int j = o; j < o1; j++, w += k)
            {
                for (int r = r0; r < rows4; r += 4)
                {
                    Dot4x1(job.X + ((nint)r * k), w, k, mask, job.Y + ((nint)r * ldy) + j, ldy, job.Bias[j]);
                }
            }
        }

        for (int r = rows4; r < r1; r++)
        {
            float* x = job.X + ((nint)r * k);
            float* y = job.Y + ((nint)r * ldy);
            int o = o0;
            for (; o + 8 <= o1; o += 8)
            {
                Dot1x8(x, job.W + ((nint)o * k), k, mask, y + o, job.Bias + o);
            }

            for (; o + 3 <= o1; o += 3)
            {
                Dot1x3(x, job.W + ((nint)o * k), k, mask, y + o, job.Bias + o);
            }

            for (; o < o1; o++)
            {
                Dot1x1(x, job.W + ((nint)o * k), k, mask, y + o, job.Bias[o]);
            }
        }
    }
}
