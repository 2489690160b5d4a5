using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNetFromScratch.Core.Kernels;

// Packing a panel of B for the micro-kernels: panel[k·16 + j] = b(k, j) for k < kc and j < width,
// 0 for width ≤ j < 16. A packed panel is read sequentially, one 64-byte line a k step, from an
// aligned buffer, where B in place has its rows a whole row of the matrix apart.
public static unsafe partial class MatMul
{
    // b(k, j) = b[k·ldb + j]: a row-major B, copied 16 floats a k step.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackRows(float* panel, float* b, nint ldb, int kc, int width)
    {
        if (width == PanelWidth)
        {
            for (int k = 0; k < kc; k++, b += ldb, panel += PanelWidth)
            {
                Vector256.Load(b).Store(panel);
                Vector256.Load(b + 8).Store(panel + 8);
            }

            return;
        }

        Vector256<float> low = LeadingMask(Math.Min(width, 8));
        Vector256<float> high = LeadingMask(Math.Max(width - 8, 0));
        for (int k = 0; k < kc; k++, b += ldb, panel += PanelWidth)
        {
            Avx.MaskLoad(b, low).Store(panel);
            Avx.MaskLoad(b + 8, high).Store(panel + 8);
        }
    }

    // b(k, j) = bt[j·ldb + k]: B given transposed (the rows of w in Forward), in 8 × 8 blocks
    // transposed in registers. The last block of a partial panel or depth reads zeros for the
    // missing rows and columns, and fills the panel up to the next multiple of 8 k steps.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackTransposed(float* panel, float* bt, nint ldb, int kc, int width)
    {
        for (int j0 = 0; j0 < PanelWidth; j0 += 8)
        {
            int count = Math.Clamp(width - j0, 0, 8);
            float* source = bt + (j0 * ldb);
            float* destination = panel + j0;
            int k = 0;
            if (count == 8)
            {
                for (; k + 8 <= kc; k += 8)
                {
                    Transpose8x8(destination + (k * PanelWidth), PanelWidth, source + k, ldb);
                }
            }

            for (; k < kc; k += 8)
            {
                TransposePartial(destination + (k * PanelWidth), PanelWidth, source + k, ldb, count, Math.Min(8, kc - k));
            }
        }
    }

    // Packing A for the micro-kernels, tile by tile (rows cut as RunPanel cuts them, TileRowsAt):
    // a tile of n rows starting at row r is packed[r·depth + k·n + i] = a(r + i, k). The kernels then
    // read one sequential stream, 4·n bytes a k step, where A in place is n streams a row apart. A
    // k step is stored as 8 floats, n of them the tile's, the rest overwritten by the next steps; the
    // last step of a tile is written float by float. A 6- or 4-row tile so writes nothing past itself
    // (the next tile may be another thread's). A 2- or 1-row tile can: its 8-float stores run up to
    // PackOvershoot floats past it. Such tiles come only at the end of the matrix, after 6- or 4-row
    // tiles of the same chunk, so the overshoot lands in a later tile of the same thread (rewritten
    // after) or past the end: the packed buffer has PackOvershoot floats to spare.

    // The most floats PackATiles and PackATilesTransposed write past the last tile (8 - 1 - 1: a
    // 1-row tile's last 8-float store starts at least one step before its end).
    internal const int PackOvershoot = 6;

    // Packing A on several threads: chunks of whole 6-row tiles (all but the last), which cut their
    // rows into the same tiles as the whole matrix does (RowChunks).
    private readonly struct PackJob
    {
        public readonly float* Packed;
        public readonly float* A;
        public readonly nint Lda;
        public readonly bool Transposed;
        public readonly int Rows;
        public readonly int Depth;
        public readonly int RowsPerChunk;
        public readonly int ChunkCount;

        public PackJob(float* packed, float* a, nint lda, bool transposed, int rows, int depth, int threads)
        {
            Packed = packed;
            A = a;
            Lda = lda;
            Transposed = transposed;
            Rows = rows;
            Depth = depth;
            int chunks = threads > 1 ? ChunksPerThread * threads : 1;
            RowsPerChunk = Math.Max(6, (((rows + chunks - 1) / chunks) + 5) / 6 * 6);
            ChunkCount = RowChunks(rows, RowsPerChunk);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunPackChunk(void* state, int chunk)
    {
        ref readonly PackJob job = ref *(PackJob*)state;
        int r0 = chunk * job.RowsPerChunk;
        int rows = chunk + 1 == job.ChunkCount ? job.Rows - r0 : job.RowsPerChunk;
        float* packed = job.Packed + ((nint)r0 * job.Depth);
        if (job.Transposed)
        {
            PackATilesTransposed(packed, job.A + r0, job.Lda, rows, job.Depth);
        }
        else
        {
            PackATiles(packed, job.A + (r0 * job.Lda), job.Lda, rows, job.Depth);
        }
    }

    // a(r, k) = a[r·lda + k]: 8 k steps at a time transposed in registers (an 8 × 8 block with zero
    // rows below the tile's), the last 1-8 steps one by one.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void PackATiles(float* packed, float* a, nint lda, int rows, int depth)
    {
        int n;
        for (int r = 0; r < rows; r += n, packed += (nint)n * depth)
        {
            n = TileRowsAt(rows - r);
            float* source = a + (r * lda);
            int k = 0;
            for (; k + 8 < depth; k += 8)
            {
                float* s = source + k;
                TransposeStore(
                    packed + (k * n), n,
                    Vector256.Load(s), Row(s, lda, 1, n), Row(s, lda, 2, n), Row(s, lda, 3, n),
                    Row(s, lda, 4, n), Row(s, lda, 5, n), Vector256<float>.Zero, Vector256<float>.Zero);
            }

            for (; k < depth; k++)
            {
                for (int i = 0; i < n; i++)
                {
                    packed[(k * n) + i] = source[(i * lda) + k];
                }
            }
        }

        static Vector256<float> Row(float* s, nint lda, int i, int n) => i < n ? Vector256.Load(s + (i * lda)) : Vector256<float>.Zero;
    }

    // a(r, k) = at[k·ldat + r], A given transposed (dy in BackwardWeights): n consecutive floats a
    // k step, loaded as 8 (masked at the end of a row), the last step one by one.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void PackATilesTransposed(float* packed, float* at, nint ldat, int rows, int depth)
    {
        int n;
        for (int r = 0; r < rows; r += n, packed += (nint)n * depth)
        {
            n = TileRowsAt(rows - r);
            float* source = at + r;
            int k = 0;
            if (r + 8 <= rows)
            {
                for (; k + 1 < depth; k++)
                {
                    Vector256.Load(source + (k * ldat)).Store(packed + (k * n));
                }
            }
            else
            {
                Vector256<float> mask = LeadingMask(n);
                for (; k + 1 < depth; k++)
                {
                    Avx.MaskLoad(source + (k * ldat), mask).Store(packed + (k * n));
                }
            }

            for (; k < depth; k++)
            {
                for (int i = 0; i < n; i++)
                {
                    packed[(k * n) + i] = source[(k * ldat) + i];
                }
            }
        }
    }

    // destination[k·ldd + j] = source[j·lds + k] for j, k < 8.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* destination, nint ldd, float* source, nint lds) =>
        TransposeStore(
            destination, ldd,
            Vector256.Load(source), Vector256.Load(source + lds), Vector256.Load(source + (lds * 2)), Vector256.Load(source + (lds * 3)),
            Vector256.Load(source + (lds * 4)), Vector256.Load(source + (lds * 5)), Vector256.Load(source + (lds * 6)), Vector256.Load(source + (lds * 7)));

    // The same for the first rows rows and columns columns of the source block, zeros elsewhere;
    // nothing outside them is read. All 8 destination rows are written.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransposePartial(float* destination, nint ldd, float* source, nint lds, int rows, int columns)
    {
        Vector256<float> mask = LeadingMask(columns);
        TransposeStore(
            destination, ldd,
            Row(0), Row(1), Row(2), Row(3), Row(4), Row(5), Row(6), Row(7));

        Vector256<float> Row(int j) => j < rows ? Avx.MaskLoad(source + (j * lds), mask) : Vector256<float>.Zero;
    }

    // destination[k·ldd + j] = r_j[k] for j, k < 8.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TransposeStore(
        float* destination, nint ldd,
        Vector256<float> r0, Vector256<float> r1, Vector256<float> r2, Vector256<float> r3,
        Vector256<float> r4, Vector256<float> r5, Vector256<float> r6, Vector256<float> r7)
    {
        // Pairs: t0 = [r0₀ r1₀ r0₁ r1₁ | r0₄ r1₄ r0₅ r1₅], t1 = [r0₂ r1₂ r0₃ r1₃ | r0₆ r1₆ r0₇ r1₇]; the same for 2-3, 4-5, 6-7.
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);

        // Quads: s0 = [r0₀ r1₀ r2₀ r3₀ | r0₄ r1₄ r2₄ r3₄], s1 = columns 1 | 5, s2 = 2 | 6, s3 = 3 | 7; s4-s7 the same for rows 4-7.
        Vector256<float> s0 = Avx.Shuffle(t0, t2, 0x44), s1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> s2 = Avx.Shuffle(t1, t3, 0x44), s3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> s4 = Avx.Shuffle(t4, t6, 0x44), s5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> s6 = Avx.Shuffle(t5, t7, 0x44), s7 = Avx.Shuffle(t5, t7, 0xEE);

        Avx.Permute2x128(s0, s4, 0x20).Store(destination);
        Avx.Permute2x128(s1, s5, 0x20).Store(destination + ldd);
        Avx.Permute2x128(s2, s6, 0x20).Store(destination + (ldd * 2));
        Avx.Permute2x128(s3, s7, 0x20).Store(destination + (ldd * 3));
        Avx.Permute2x128(s0, s4, 0x31).Store(destination + (ldd * 4));
        Avx.Permute2x128(s1, s5, 0x31).Store(destination + (ldd * 5));
        Avx.Permute2x128(s2, s6, 0x31).Store(destination + (ldd * 6));
        Avx.Permute2x128(s3, s7, 0x31).Store(destination + (ldd * 7));
    }
}
