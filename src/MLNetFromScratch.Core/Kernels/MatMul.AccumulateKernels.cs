using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNetFromScratch.Core.Kernels;

// The micro-kernels of C = scale·A·B: c[i, j] = scale·((c[i, j] if accumulate, else 0) + Σₖ a(i, k)·b[k, j])
// over kc steps, with a(i, k) = a[i·ars + k·aks], b and c rows ldb apart. Each A element is broadcast,
// each B vector loaded once a step and used for every row of the tile. 6 rows × 16 columns is the
// usual AVX2 tile: 12 accumulators, 2 B vectors and a broadcast fill the 16 registers. The 8-wide
// kernels take a mask for the last columns of a row (lanes past it are neither read nor written).
public static unsafe partial class MatMul
{
    // 6 rows × 16 columns: 8 loads feed 12 FMAs.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Acc6x16(float* a, nint ars, nint aks, float* b, nint ldb, float* c, int kc, float scale, bool accumulate)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        if (accumulate)
        {
            c00 = Vector256.Load(c);
            c01 = Vector256.Load(c + 8);
            c10 = Vector256.Load(c + (ldb * 1));
            c11 = Vector256.Load(c + (ldb * 1) + 8);
            c20 = Vector256.Load(c + (ldb * 2));
            c21 = Vector256.Load(c + (ldb * 2) + 8);
            c30 = Vector256.Load(c + (ldb * 3));
            c31 = Vector256.Load(c + (ldb * 3) + 8);
            c40 = Vector256.Load(c + (ldb * 4));
            c41 = Vector256.Load(c + (ldb * 4) + 8);
            c50 = Vector256.Load(c + (ldb * 5));
            c51 = Vector256.Load(c + (ldb * 5) + 8);
        }

        float* p0 = a;
        float* p1 = a + (ars * 1);
        float* p2 = a + (ars * 2);
        float* p3 = a + (ars * 3);
        float* p4 = a + (ars * 4);
        float* p5 = a + (ars * 5);
        nint ak = 0;
        for (int k = 0; k < kc; k++, ak += aks, b += ldb)
        {
            Vector256<float> b0 = Vector256.Load(b);
            Vector256<float> b1 = Vector256.Load(b + 8);
            Vector256<float> a0 = Vector256.Create(p0[ak]);
            c00 = Fma.MultiplyAdd(a0, b0, c00);
            c01 = Fma.MultiplyAdd(a0, b1, c01);
            Vector256<float> a1 = Vector256.Create(p1[ak]);
            c10 = Fma.MultiplyAdd(a1, b0, c10);
            c11 = Fma.MultiplyAdd(a1, b1, c11);
            Vector256<float> a2 = Vector256.Create(p2[ak]);
            c20 = Fma.MultiplyAdd(a2, b0, c20);
            c21 = Fma.MultiplyAdd(a2, b1, c21);
            Vector256<float> a3 = Vector256.Create(p3[ak]);
            c30 = Fma.MultiplyAdd(a3, b0, c30);
            c31 = Fma.MultiplyAdd(a3, b1, c31);
            Vector256<float> a4 = Vector256.Create(p4[ak]);
            c40 = Fma.MultiplyAdd(a4, b0, c40);
            c41 = Fma.MultiplyAdd(a4, b1, c41);
            Vector256<float> a5 = Vector256.Create(p5[ak]);
            c50 = Fma.MultiplyAdd(a5, b0, c50);
            c51 = Fma.MultiplyAdd(a5, b1, c51);
        }

        Vector256<float> s = Vector256.Create(scale);
        (c00 * s).Store(c);
        (c01 * s).Store(c + 8);
        (c10 * s).Store(c + (ldb * 1));
        (c11 * s).Store(c + (ldb * 1) + 8);
        (c20 * s).Store(c + (ldb * 2));
        (c21 * s).Store(c + (ldb * 2) + 8);
        (c30 * s).Store(c + (ldb * 3));
        (c31 * s).Store(c + (ldb * 3) + 8);
        (c40 * s).Store(c + (ldb * 4));
        (c41 * s).Store(c + (ldb * 4) + 8);
        (c50 * s).Store(c + (ldb * 5));
        (c51 * s).Store(c + (ldb * 5) + 8);
    }

    // 4 rows × 16 columns, for the last rows of a chunk.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Acc4x16(float* a, nint ars, nint aks, float* b, nint ldb, float* c, int kc, float scale, bool accumulate)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default;
        if (accumulate)
        {
            c00 = Vector256.Load(c);
            c01 = Vector256.Load(c + 8);
            c10 = Vector256.Load(c + (ldb * 1));
            c11 = Vector256.Load(c + (ldb * 1) + 8);
            c20 = Vector256.Load(c + (ldb * 2));
            c21 = Vector256.Load(c + (ldb * 2) + 8);
            c30 = Vector256.Load(c + (ldb * 3));
            c31 = Vector256.Load(c + (ldb * 3) + 8);
        }

        float* p0 = a;
        float* p1 = a + (ars * 1);
        float* p2 = a + (ars * 2);
        float* p3 = a + (ars * 3);
        nint ak = 0;
        for (int k = 0; k < kc; k++, ak += aks, b += ldb)
        {
            Vector256<float> b0 = Vector256.Load(b);
            Vector256<float> b1 = Vector256.Load(b + 8);
            Vector256<float> a0 = Vector256.Create(p0[ak]);
            c00 = Fma.MultiplyAdd(a0, b0, c00);
            c01 = Fma.MultiplyAdd(a0, b1, c01);
            Vector256<float> a1 = Vector256.Create(p1[ak]);
            c10 = Fma.MultiplyAdd(a1, b0, c10);
            c11 = Fma.MultiplyAdd(a1, b1, c11);
            Vector256<float> a2 = Vector256.Create(p2[ak]);
            c20 = Fma.MultiplyAdd(a2, b0, c20);
            c21 = Fma.MultiplyAdd(a2, b1, c21);
            Vector256<float> a3 = Vector256.Create(p3[ak]);
            c30 = Fma.MultiplyAdd(a3, b0, c30);
            c31 = Fma.MultiplyAdd(a3, b1, c31);
        }

        Vector256<float> s = Vector256.Create(scale);
        (c00 * s).Store(c);
        (c01 * s).Store(c + 8);
        (c10 * s).Store(c + (ldb * 1));
        (c11 * s).Store(c + (ldb * 1) + 8);
        (c20 * s).Store(c + (ldb * 2));
        (c21 * s).Store(c + (ldb * 2) + 8);
        (c30 * s).Store(c + (ldb * 3));
        (c31 * s).Store(c + (ldb * 3) + 8);
    }

    // 2 rows × 16 columns, for the last rows of a chunk.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Acc2x16(float* a, nint ars, nint aks, float* b, nint ldb, float* c, int kc, float scale, bool accumulate)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default;
        if (accumulate)
        {
            c00 = Vector256.Load(c);
            c01 = Vector256.Load(c + 8);
            c10 = Vector256.Load(c + (ldb * 1));
            c11 = Vector256.Load(c + (ldb * 1) + 8);
        }

        float* p0 = a;
        float* p1 = a + (ars * 1);
        nint ak = 0;
        for (int k = 0; k < kc; k++, ak += aks, b += ldb)
        {
            Vector256<float> b0 = Vector256.Load(b);
            Vector256<float> b1 = Vector256.Load(b + 8);
            Vector256<float> a0 = Vector256.Create(p0[ak]);
            c00 = Fma.MultiplyAdd(a0, b0, c00);
            c01 = Fma.MultiplyAdd(a0, b1, c01);
            Vector256<float> a1 = Vector256.Create(p1[ak]);
            c10 = Fma.MultiplyAdd(a1, b0, c10);
            c11 = Fma.MultiplyAdd(a1, b1, c11);
        }

        Vector256<float> s = Vector256.Create(scale);
        (c00 * s).Store(c);
        (c01 * s).Store(c + 8);
        (c10 * s).Store(c + (ldb * 1));
        (c11 * s).Store(c + (ldb * 1) + 8);
    }

    // 1 row × 16 columns.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Acc1x16(float* a, nint aks, float* b, nint ldb, float* c, int kc, float scale, bool accumulate)
    {
        Vector256<float> c00 = default, c01 = default;
        if (accumulate)
        {
            c00 = Vector256.Load(c);
            c01 = Vector256.Load(c + 8);
        }

        float* p0 = a;
        nint ak = 0;
        for (int k = 0; k < kc; k++, ak += aks, b += ldb)
        {
            Vector256<float> b0 = Vector256.Load(b);
            Vector256<float> b1 = Vector256.Load(b + 8);
            Vector256<float> a0 = Vector256.Create(p0[ak]);
            c00 = Fma.MultiplyAdd(a0, b0, c00);
            c01 = Fma.MultiplyAdd(a0, b1, c01);
        }

        Vector256<float> s = Vector256.Create(scale);
        (c00 * s).Store(c);
        (c01 * s).Store(c + 8);
    }

    // 6 rows × up to 8 columns.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Acc6x8(float* a, nint ars, nint aks, float* b, nint ldb, float* c, int kc, float scale, bool accumulate, Vector256<float> mask)
    {
        Vector256<float> c00 = default, c10 = default, c20 = default, c30 = default, c40 = default, c50 = default;
        if (accumulate)
        {
            c00 = Avx.MaskLoad(c, mask);
            c10 = Avx.MaskLoad(c + (ldb * 1), mask);
            c20 = Avx.MaskLoad(c + (ldb * 2), mask);
            c30 = Avx.MaskLoad(c + (ldb * 3), mask);
            c40 = Avx.MaskLoad(c + (ldb * 4), mask);
            c50 = Avx.MaskLoad(c + (ldb * 5), mask);
        }

        float* p0 = a;
        float* p1 = a + (ars * 1);
        float* p2 = a + (ars * 2);
        float* p3 = a + (ars * 3);
        float* p4 = a + (ars * 4);
        float* p5 = a + (ars * 5);
        nint ak = 0;
        for (int k = 0; k < kc; k++, ak += aks, b += ldb)
        {
            Vector256<float> b0 = Avx.MaskLoad(b, mask);
            Vector256<float> a0 = Vector256.Create(p0[ak]);
            c00 = Fma.MultiplyAdd(a0, b0, c00);
            Vector256<float> a1 = Vector256.Create(p1[ak]);
            c10 = Fma.MultiplyAdd(a1, b0, c10);
            Vector256<float> a2 = Vector256.Create(p2[ak]);
            c20 = Fma.MultiplyAdd(a2, b0, c20);
            Vector256<float> a3 = Vector256.Create(p3[ak]);
            c30 = Fma.MultiplyAdd(a3, b0, c30);
            Vector256<float> a4 = Vector256.Create(p4[ak]);
            c40 = Fma.MultiplyAdd(a4, b0, c40);
            Vector256<float> a5 = Vector256.Create(p5[ak]);
            c50 = Fma.MultiplyAdd(a5, b0, c50);
        }

        Vector256<float> s = Vector256.Create(scale);
        Avx.MaskStore(c, mask, c00 * s);
        Avx.MaskStore(c + (ldb * 1), mask, c10 * s);
        Avx.MaskStore(c + (ldb * 2), mask, c20 * s);
        Avx.MaskStore(c + (ldb * 3), mask, c30 * s);
        Avx.MaskStore(c + (ldb * 4), mask, c40 * s);
        Avx.MaskStore(c + (ldb * 5), mask, c50 * s);
    }

    // 1 row × up to 8 columns.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Acc1x8(float* a, nint aks, float* b, nint ldb, float* c, int kc, float scale, bool accumulate, Vector256<float> mask)
    {
        Vector256<float> c00 = default;
        if (accumulate)
        {
            c00 = Avx.MaskLoad(c, mask);
        }

        float* p0 = a;
        nint ak = 0;
        for (int k = 0; k < kc; k++, ak += aks, b += ldb)
        {
            Vector256<float> b0 = Avx.MaskLoad(b, mask);
            Vector256<float> a0 = Vector256.Create(p0[ak]);
            c00 = Fma.MultiplyAdd(a0, b0, c00);
        }

        Vector256<float> s = Vector256.Create(scale);
        Avx.MaskStore(c, mask, c00 * s);
    }
}
