using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNetFromScratch.Core.Kernels;

// Forward of a single row, y[o] = bias[o] + Σₖ x[k]·w[o, k], the way a scored row comes: one FMA
// chain per output from its bias over k in order, exactly as the batch path (C = x·wᵀ on packed
// panels) computes it, so a row scored alone gets the same bits as in a batch. Packing w for one
// row would cost more than the products; instead a chunk takes 32 outputs and, 8 inputs at a time,
// transposes each 8 × 8 block of w in registers (Steps8) and advances 4 vector chains 8 steps. The
// last 1-7 inputs and a last chunk of fewer than 32 outputs go through a small transposed tile.
// Also the masks for the last, partial vector of a row.
public static unsafe partial class MatMul
{
    private const int RowOutputs = 32;

    private static ReadOnlySpan<int> MaskTable => [-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0];

    /// <summary>A vector whose first <paramref name="count"/> lanes are all ones, for masked loads (0..8).</summary>
    private static Vector256<float> LeadingMask(int count) =>
        Vector256.Create(MaskTable.Slice(8 - count, 8)).AsSingle();

    private readonly struct RowJob(float* y, float* x, float* w, float* bias, int inputs, int outputs)
    {
        public readonly float* Y = y;
        public readonly float* X = x;
        public readonly float* W = w;
        public readonly float* Bias = bias;
        public readonly int Inputs = inputs;
        public readonly int Outputs = outputs;
        public readonly int ChunkCount = (outputs + RowOutputs - 1) / RowOutputs;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunRowChunk(void* state, int chunk)
    {
        ref readonly RowJob job = ref *(RowJob*)state;
        int o0 = chunk * RowOutputs;
        int count = Math.Min(RowOutputs, job.Outputs - o0);
        if (count < RowOutputs)
        {
            RowPartial(job.Y + o0, job.X, job.W + ((nint)o0 * job.Inputs), job.Bias + o0, job.Inputs, count);
            return;
        }

        nint k1 = job.Inputs;
        float* y = job.Y + o0;
        float* w = job.W + (o0 * k1);
        nint full = k1 & ~7;
        RowSteps(y, job.X, w, job.Bias + o0, k1, full);
        if (full < k1)
        {
            RowTail(y, job.X + full, w + full, k1, (int)(k1 - full));
        }
    }

    // y[0..32) = bias + the first steps (a multiple of 8) terms of the chains of 32 outputs, whose w
    // rows are k1 apart. A method of its own, so that the 4 chains stay in registers.
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static void RowSteps(float* y, float* x, float* w, float* bias, nint k1, nint steps)
    {
        Vector256<float> c0 = Vector256.Load(bias);
        Vector256<float> c1 = Vector256.Load(bias + 8);
        Vector256<float> c2 = Vector256.Load(bias + 16);
        Vector256<float> c3 = Vector256.Load(bias + 24);
        for (nint k = 0; k < steps; k += 8)
        {
            c0 = Steps8(c0, x + k, w + k, k1);
            c1 = Steps8(c1, x + k, w + (k1 * 8) + k, k1);
            c2 = Steps8(c2, x + k, w + (k1 * 16) + k, k1);
            c3 = Steps8(c3, x + k, w + (k1 * 24) + k, k1);
        }

        c0.Store(y);
        c1.Store(y + 8);
        c2.Store(y + 16);
        c3.Store(y + 24);
    }

    // The last 1-7 steps of the chains of 32 outputs, continued from y.
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static void RowTail(float* y, float* x, float* w, nint k1, int steps)
    {
        float* tile = stackalloc float[8 * RowOutputs];
        Vector256<float> mask = LeadingMask(steps);
        TransposeMasked(tile, RowOutputs, w, k1, mask);
        TransposeMasked(tile + 8, RowOutputs, w + (k1 * 8), k1, mask);
        TransposeMasked(tile + 16, RowOutputs, w + (k1 * 16), k1, mask);
        TransposeMasked(tile + 24, RowOutputs, w + (k1 * 24), k1, mask);
        Vector256<float> c0 = Vector256.Load(y);
        Vector256<float> c1 = Vector256.Load(y + 8);
        Vector256<float> c2 = Vector256.Load(y + 16);
        Vector256<float> c3 = Vector256.Load(y + 24);
        float* t = tile;
        for (int j = 0; j < steps; j++, t += RowOutputs)
        {
            Vector256<float> xj = Vector256.Create(x[j]);
            c0 = Fma.MultiplyAdd(xj, Vector256.Load(t), c0);
            c1 = Fma.MultiplyAdd(xj, Vector256.Load(t + 8), c1);
            c2 = Fma.MultiplyAdd(xj, Vector256.Load(t + 16), c2);
            c3 = Fma.MultiplyAdd(xj, Vector256.Load(t + 24), c3);
        }

        c0.Store(y);
        c1.Store(y + 8);
        c2.Store(y + 16);
        c3.Store(y + 24);
    }

    // The last 1-31 outputs of a row: 4 chains side by side as in a full chunk, through a transposed
    // tile, 8 inputs at a time. Rows past the last read the last again (into lanes not stored), so
    // that every load is of a real row; the tile of a group past them stays zero.
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static void RowPartial(float* y, float* x, float* w, float* bias, nint k1, int count)
    {
        float* tile = stackalloc float[8 * RowOutputs];
        int last = count - 1;
        int groups = (count + 7) / 8;
        Vector256<float> c0 = LoadPart(bias, count);
        Vector256<float> c1 = LoadPart(bias + 8, count - 8);
        Vector256<float> c2 = LoadPart(bias + 16, count - 16);
        Vector256<float> c3 = LoadPart(bias + 24, count - 24);
        for (nint k = 0; k < k1; k += 8)
        {
            int steps = (int)Math.Min(8, k1 - k);
            Vector256<float> mask = LeadingMask(steps);
            for (int g = 0; g < groups; g++)
            {
                int j = g * 8;
                TransposeStore(
                    tile + j, RowOutputs,
                    RowLoad(w, k1, j, last, k, mask), RowLoad(w, k1, j + 1, last, k, mask), RowLoad(w, k1, j + 2, last, k, mask), RowLoad(w, k1, j + 3, last, k, mask),
                    RowLoad(w, k1, j + 4, last, k, mask), RowLoad(w, k1, j + 5, last, k, mask), RowLoad(w, k1, j + 6, last, k, mask), RowLoad(w, k1, j + 7, last, k, mask));
            }

            float* t = tile;
            for (int j = 0; j < steps; j++, t += RowOutputs)
            {
                Vector256<float> xj = Vector256.Create(x[k + j]);
                c0 = Fma.MultiplyAdd(xj, Vector256.Load(t), c0);
                c1 = Fma.MultiplyAdd(xj, Vector256.Load(t + 8), c1);
                c2 = Fma.MultiplyAdd(xj, Vector256.Load(t + 16), c2);
                c3 = Fma.MultiplyAdd(xj, Vector256.Load(t + 24), c3);
            }
        }

        StorePart(y, count, c0);
        StorePart(y + 8, count - 8, c1);
        StorePart(y + 16, count - 16, c2);
        StorePart(y + 24, count - 24, c3);
    }

    // The mask's lanes of row min(j, last) of w from column k.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> RowLoad(float* w, nint k1, int j, int last, nint k, Vector256<float> mask) =>
        Avx.MaskLoad(w + (Math.Min(j, last) * k1) + k, mask);

    // 8 steps of the chains of 8 outputs: c[j] = fma(x[k], w[j·lds + k], c[j]) for k = 0..7 in order.
    // The 8 × 8 block of w is transposed in registers: rows j and j + 4 meet in the two 128-bit
    // halves of a vector by a broadcast load and a blend, then a 4 × 4 transpose within the halves
    // gives the columns (16 shuffles and 8 blends; no lane-crossing shuffle).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Steps8(Vector256<float> c, float* x, float* w, nint lds)
    {
        float* w4 = w + (lds * 4);
        Vector256<float> a0 = Avx.Blend(Vector256.Load(w), Avx.BroadcastVector128ToVector256(w4), 0xF0);
        Vector256<float> a1 = Avx.Blend(Vector256.Load(w + lds), Avx.BroadcastVector128ToVector256(w4 + lds), 0xF0);
        Vector256<float> a2 = Avx.Blend(Vector256.Load(w + (lds * 2)), Avx.BroadcastVector128ToVector256(w4 + (lds * 2)), 0xF0);
        Vector256<float> a3 = Avx.Blend(Vector256.Load(w + (lds * 3)), Avx.BroadcastVector128ToVector256(w4 + (lds * 3)), 0xF0);
        Vector256<float> t0 = Avx.UnpackLow(a0, a1), t1 = Avx.UnpackHigh(a0, a1), t2 = Avx.UnpackLow(a2, a3), t3 = Avx.UnpackHigh(a2, a3);
        c = Fma.MultiplyAdd(Vector256.Create(x[0]), Avx.Shuffle(t0, t2, 0x44), c);
        c = Fma.MultiplyAdd(Vector256.Create(x[1]), Avx.Shuffle(t0, t2, 0xEE), c);
        c = Fma.MultiplyAdd(Vector256.Create(x[2]), Avx.Shuffle(t1, t3, 0x44), c);
        c = Fma.MultiplyAdd(Vector256.Create(x[3]), Avx.Shuffle(t1, t3, 0xEE), c);
        Vector256<float> b0 = Avx.Blend(Avx.BroadcastVector128ToVector256(w + 4), Vector256.Load(w4), 0xF0);
        Vector256<float> b1 = Avx.Blend(Avx.BroadcastVector128ToVector256(w + lds + 4), Vector256.Load(w4 + lds), 0xF0);
        Vector256<float> b2 = Avx.Blend(Avx.BroadcastVector128ToVector256(w + (lds * 2) + 4), Vector256.Load(w4 + (lds * 2)), 0xF0);
        Vector256<float> b3 = Avx.Blend(Avx.BroadcastVector128ToVector256(w + (lds * 3) + 4), Vector256.Load(w4 + (lds * 3)), 0xF0);
        Vector256<float> u0 = Avx.UnpackLow(b0, b1), u1 = Avx.UnpackHigh(b0, b1), u2 = Avx.UnpackLow(b2, b3), u3 = Avx.UnpackHigh(b2, b3);
        c = Fma.MultiplyAdd(Vector256.Create(x[4]), Avx.Shuffle(u0, u2, 0x44), c);
        c = Fma.MultiplyAdd(Vector256.Create(x[5]), Avx.Shuffle(u0, u2, 0xEE), c);
        c = Fma.MultiplyAdd(Vector256.Create(x[6]), Avx.Shuffle(u1, u3, 0x44), c);
        return Fma.MultiplyAdd(Vector256.Create(x[7]), Avx.Shuffle(u1, u3, 0xEE), c);
    }

    // destination[k·ldd + j] = source[j·lds + k] for j < 8 and the k lanes of mask (zeros for the others).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TransposeMasked(float* destination, nint ldd, float* source, nint lds, Vector256<float> mask) =>
        TransposeStore(
            destination, ldd,
            Avx.MaskLoad(source, mask), Avx.MaskLoad(source + lds, mask), Avx.MaskLoad(source + (lds * 2), mask), Avx.MaskLoad(source + (lds * 3), mask),
            Avx.MaskLoad(source + (lds * 4), mask), Avx.MaskLoad(source + (lds * 5), mask), Avx.MaskLoad(source + (lds * 6), mask), Avx.MaskLoad(source + (lds * 7), mask));

    // The first min(valid, 8) floats at p, zeros in the other lanes (nothing past them is read).
    private static Vector256<float> LoadPart(float* p, int valid) =>
        valid >= 8 ? Vector256.Load(p) : Avx.MaskLoad(p, LeadingMask(Math.Max(valid, 0)));

    // Stores the first min(valid, 8) lanes of v at p.
    private static void StorePart(float* p, int valid, Vector256<float> v)
    {
        if (valid >= 8)
        {
            v.Store(p);
        }
        else if (valid > 0)
        {
            Avx.MaskStore(p, LeadingMask(valid), v);
        }
    }
}
