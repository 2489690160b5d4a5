using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNetFromScratch.Core.Kernels;

// The micro-kernels of C = scale·(init + A·B) on one panel of B (packed, ldb = 16, or in place): for the
// tile's rows i and 16 columns j, c[i·ldc + j] = scale·(init[i·initStride + j] + Σₖ a[i·rowStride + k·step]·b[k·ldb + j])
// over kc steps (A in place: rowStride = lda, step 1; packed in groups of 6 rows: rowStride 1, step 6),
// init null for zeros (a stride of 0 starts every row from the same bias row). Each A element is
// broadcast, each B vector loaded once a step and used for every row. 6 rows × 16 columns is the
// usual AVX2 tile: 12 accumulators, 2 B vectors and a broadcast fill the 16 registers, 8 loads feed
// 12 FMAs. No masks here: a partial panel runs on a 16-wide copy of its C tile.
public static unsafe partial class MatMul
{
    // 6 rows: 8 loads feed 12 FMAs.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Gemm6x16(float* a, nint rowStride, nint step, float* b, nint ldb, int kc, float* c, nint ldc, float* init, nint initStride, float scale)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        if (init is not null)
        {
            c00 = Vector256.Load(init);
            c01 = Vector256.Load(init + 8);
            c10 = Vector256.Load(init + initStride);
            c11 = Vector256.Load(init + initStride + 8);
            c20 = Vector256.Load(init + (initStride * 2));
            c21 = Vector256.Load(init + (initStride * 2) + 8);
            c30 = Vector256.Load(init + (initStride * 3));
            c31 = Vector256.Load(init + (initStride * 3) + 8);
            c40 = Vector256.Load(init + (initStride * 4));
            c41 = Vector256.Load(init + (initStride * 4) + 8);
            c50 = Vector256.Load(init + (initStride * 5));
            c51 = Vector256.Load(init + (initStride * 5) + 8);
        }

        nint r2 = rowStride * 2, r3 = rowStride * 3, r4 = rowStride * 4, r5 = rowStride * 5;
        for (int k = 0; k < kc; k++, a += step, b += ldb)
        {
            Vector256<float> b0 = Vector256.Load(b);
            Vector256<float> b1 = Vector256.Load(b + 8);
            Vector256<float> x0 = Vector256.Create(a[0]);
            c00 = Fma.MultiplyAdd(x0, b0, c00);
            c01 = Fma.MultiplyAdd(x0, b1, c01);
            Vector256<float> x1 = Vector256.Create(a[rowStride]);
            c10 = Fma.MultiplyAdd(x1, b0, c10);
            c11 = Fma.MultiplyAdd(x1, b1, c11);
            Vector256<float> x2 = Vector256.Create(a[r2]);
            c20 = Fma.MultiplyAdd(x2, b0, c20);
            c21 = Fma.MultiplyAdd(x2, b1, c21);
            Vector256<float> x3 = Vector256.Create(a[r3]);
            c30 = Fma.MultiplyAdd(x3, b0, c30);
            c31 = Fma.MultiplyAdd(x3, b1, c31);
            Vector256<float> x4 = Vector256.Create(a[r4]);
            c40 = Fma.MultiplyAdd(x4, b0, c40);
            c41 = Fma.MultiplyAdd(x4, b1, c41);
            Vector256<float> x5 = Vector256.Create(a[r5]);
            c50 = Fma.MultiplyAdd(x5, b0, c50);
            c51 = Fma.MultiplyAdd(x5, b1, c51);
        }

        Vector256<float> s = Vector256.Create(scale);
        (c00 * s).Store(c);
        (c01 * s).Store(c + 8);
        (c10 * s).Store(c + ldc);
        (c11 * s).Store(c + ldc + 8);
        (c20 * s).Store(c + (ldc * 2));
        (c21 * s).Store(c + (ldc * 2) + 8);
        (c30 * s).Store(c + (ldc * 3));
        (c31 * s).Store(c + (ldc * 3) + 8);
        (c40 * s).Store(c + (ldc * 4));
        (c41 * s).Store(c + (ldc * 4) + 8);
        (c50 * s).Store(c + (ldc * 5));
        (c51 * s).Store(c + (ldc * 5) + 8);
    }

    // tiles 6-row tiles down a panel in one call, A packed (PackATiles: a tile's rows interleaved, 6
    // floats a k step, tiles aTile floats apart); C and init advance 6 rows a tile (an init stride
    // of 0 starts every tile from the same bias row). Before each tile it fetches the rows of C
    // ahead tiles further down (those below limit rows), so that the stores find them cached.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Gemm6x16Packed(
        float* a, nint aTile, float* b, nint ldb, int kc, float* c, nint ldc, float* init, nint initStride, float scale,
        int tiles, int ahead, int limit)
    {
        PrefetchRows(c, ldc, Math.Min(limit, 6 * ahead));
        for (int t = 0; t < tiles; t++, a += aTile, c += ldc * 6)
        {
            PrefetchRows(c + (ldc * 6 * ahead), ldc, Math.Clamp(limit - (6 * (t + ahead)), 0, 6));
            Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
            if (init is not null)
            {
                float* i0 = init + (initStride * 6 * t);
                c00 = Vector256.Load(i0);
                c01 = Vector256.Load(i0 + 8);
                c10 = Vector256.Load(i0 + initStride);
                c11 = Vector256.Load(i0 + initStride + 8);
                c20 = Vector256.Load(i0 + (initStride * 2));
                c21 = Vector256.Load(i0 + (initStride * 2) + 8);
                c30 = Vector256.Load(i0 + (initStride * 3));
                c31 = Vector256.Load(i0 + (initStride * 3) + 8);
                c40 = Vector256.Load(i0 + (initStride * 4));
                c41 = Vector256.Load(i0 + (initStride * 4) + 8);
                c50 = Vector256.Load(i0 + (initStride * 5));
                c51 = Vector256.Load(i0 + (initStride * 5) + 8);
            }

            float* ak = a;
            float* bk = b;
            for (int k = 0; k < kc; k++, ak += 6, bk += ldb)
            {
                Vector256<float> b0 = Vector256.Load(bk);
                Vector256<float> b1 = Vector256.Load(bk + 8);
                Vector256<float> x0 = Vector256.Create(ak[0]);
                c00 = Fma.MultiplyAdd(x0, b0, c00);
                c01 = Fma.MultiplyAdd(x0, b1, c01);
                Vector256<float> x1 = Vector256.Create(ak[1]);
                c10 = Fma.MultiplyAdd(x1, b0, c10);
                c11 = Fma.MultiplyAdd(x1, b1, c11);
                Vector256<float> x2 = Vector256.Create(ak[2]);
                c20 = Fma.MultiplyAdd(x2, b0, c20);
                c21 = Fma.MultiplyAdd(x2, b1, c21);
                Vector256<float> x3 = Vector256.Create(ak[3]);
                c30 = Fma.MultiplyAdd(x3, b0, c30);
                c31 = Fma.MultiplyAdd(x3, b1, c31);
                Vector256<float> x4 = Vector256.Create(ak[4]);
                c40 = Fma.MultiplyAdd(x4, b0, c40);
                c41 = Fma.MultiplyAdd(x4, b1, c41);
                Vector256<float> x5 = Vector256.Create(ak[5]);
                c50 = Fma.MultiplyAdd(x5, b0, c50);
                c51 = Fma.MultiplyAdd(x5, b1, c51);
            }

            Vector256<float> s = Vector256.Create(scale);
            (c00 * s).Store(c);
            (c01 * s).Store(c + 8);
            (c10 * s).Store(c + ldc);
            (c11 * s).Store(c + ldc + 8);
            (c20 * s).Store(c + (ldc * 2));
            (c21 * s).Store(c + (ldc * 2) + 8);
            (c30 * s).Store(c + (ldc * 3));
            (c31 * s).Store(c + (ldc * 3) + 8);
            (c40 * s).Store(c + (ldc * 4));
            (c41 * s).Store(c + (ldc * 4) + 8);
            (c50 * s).Store(c + (ldc * 5));
            (c51 * s).Store(c + (ldc * 5) + 8);
        }
    }

    // 4 rows, for the last rows of a panel.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Gemm4x16(float* a, nint rowStride, nint step, float* b, nint ldb, int kc, float* c, nint ldc, float* init, nint initStride, float scale)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default;
        if (init is not null)
        {
            c00 = Vector256.Load(init);
            c01 = Vector256.Load(init + 8);
            c10 = Vector256.Load(init + initStride);
            c11 = Vector256.Load(init + initStride + 8);
            c20 = Vector256.Load(init + (initStride * 2));
            c21 = Vector256.Load(init + (initStride * 2) + 8);
            c30 = Vector256.Load(init + (initStride * 3));
            c31 = Vector256.Load(init + (initStride * 3) + 8);
        }

        nint r2 = rowStride * 2, r3 = rowStride * 3;
        for (int k = 0; k < kc; k++, a += step, b += ldb)
        {
            Vector256<float> b0 = Vector256.Load(b);
            Vector256<float> b1 = Vector256.Load(b + 8);
            Vector256<float> x0 = Vector256.Create(a[0]);
            c00 = Fma.MultiplyAdd(x0, b0, c00);
            c01 = Fma.MultiplyAdd(x0, b1, c01);
            Vector256<float> x1 = Vector256.Create(a[rowStride]);
            c10 = Fma.MultiplyAdd(x1, b0, c10);
            c11 = Fma.MultiplyAdd(x1, b1, c11);
            Vector256<float> x2 = Vector256.Create(a[r2]);
            c20 = Fma.MultiplyAdd(x2, b0, c20);
            c21 = Fma.MultiplyAdd(x2, b1, c21);
            Vector256<float> x3 = Vector256.Create(a[r3]);
            c30 = Fma.MultiplyAdd(x3, b0, c30);
            c31 = Fma.MultiplyAdd(x3, b1, c31);
        }

        Vector256<float> s = Vector256.Create(scale);
        (c00 * s).Store(c);
        (c01 * s).Store(c + 8);
        (c10 * s).Store(c + ldc);
        (c11 * s).Store(c + ldc + 8);
        (c20 * s).Store(c + (ldc * 2));
        (c21 * s).Store(c + (ldc * 2) + 8);
        (c30 * s).Store(c + (ldc * 3));
        (c31 * s).Store(c + (ldc * 3) + 8);
    }

    // 2 rows, for the last rows of a panel.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Gemm2x16(float* a, nint rowStride, nint step, float* b, nint ldb, int kc, float* c, nint ldc, float* init, nint initStride, float scale)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default;
        if (init is not null)
        {
            c00 = Vector256.Load(init);
            c01 = Vector256.Load(init + 8);
            c10 = Vector256.Load(init + initStride);
            c11 = Vector256.Load(init + initStride + 8);
        }

        for (int k = 0; k < kc; k++, a += step, b += ldb)
        {
            Vector256<float> b0 = Vector256.Load(b);
            Vector256<float> b1 = Vector256.Load(b + 8);
            Vector256<float> x0 = Vector256.Create(a[0]);
            c00 = Fma.MultiplyAdd(x0, b0, c00);
            c01 = Fma.MultiplyAdd(x0, b1, c01);
            Vector256<float> x1 = Vector256.Create(a[rowStride]);
            c10 = Fma.MultiplyAdd(x1, b0, c10);
            c11 = Fma.MultiplyAdd(x1, b1, c11);
        }

        Vector256<float> s = Vector256.Create(scale);
        (c00 * s).Store(c);
        (c01 * s).Store(c + 8);
        (c10 * s).Store(c + ldc);
        (c11 * s).Store(c + ldc + 8);
    }

    // 1 row.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Gemm1x16(float* a, nint step, float* b, nint ldb, int kc, float* c, float* init, float scale)
    {
        Vector256<float> c00 = default, c01 = default;
        if (init is not null)
        {
            c00 = Vector256.Load(init);
            c01 = Vector256.Load(init + 8);
        }

        for (int k = 0; k < kc; k++, a += step, b += ldb)
        {
            Vector256<float> b0 = Vector256.Load(b);
            Vector256<float> b1 = Vector256.Load(b + 8);
            Vector256<float> x0 = Vector256.Create(a[0]);
            c00 = Fma.MultiplyAdd(x0, b0, c00);
            c01 = Fma.MultiplyAdd(x0, b1, c01);
        }

        Vector256<float> s = Vector256.Create(scale);
        (c00 * s).Store(c);
        (c01 * s).Store(c + 8);
    }
}
