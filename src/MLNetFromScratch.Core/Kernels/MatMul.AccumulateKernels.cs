using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNetFromScratch.Core.Kernels;

// The micro-kernels of C = scale·A·B: c[i, j] = scale·(c[i, j] if accumulate, else 0) + Σₖ a(i, k)·b[k, j]
// for kc steps, with a(i, k) = a[i·ars + k·aks], b and c rows ldb apart. Each A element is broadcast,
// each B vector loaded once per step and used for every row of the tile. The 8-wide kernels take a
// mask for the last columns of a row (lanes past it are neither read nor written).
public static unsafe partial class MatMul
{
    // 4 rows × 32 columns: 16 accumulators, 8 loads feed 16 FMAs.
    private static void Acc4x32(float* a, nint ars, nint aks, float* b, nint ldb, float* c, int kc, float scale, bool accumulate)
    {
        Vector256<float> c00 = default, c01 = default, c02 = default, c03 = default, c10 = default, c11 = default, c12 = default, c13 = default, c20 = default, c21 = default, c22 = default, c23 = default, c30 = default, c31 = default, c32 = default, c33 = default;
        if (accumulate)
        {
            c00 = Vector256.Load(c);
            c01 = Vector256.Load(c + 8);
            c02 = Vector256.Load(c + 16);
            c03 = Vector256.Load(c + 24);
            c10 = Vector256.Load(c + (ldb * 1));
            c11 = Vector256.Load(c + (ldb * 1) + 8);
            c12 = Vector256.Load(c + (ldb * 1) + 16);
            c13 = Vector256.Load(c + (ldb * 1) + 24);
            c20 = Vector256.Load(c + (ldb * 2));
            c21 = Vector256.Load(c + (ldb * 2) + 8);
            c22 = Vector256.Load(c + (ldb * 2) + 16);
            c23 = Vector256.Load(c + (ldb * 2) + 24);
            c30 = Vector256.Load(c + (ldb * 3));
            c31 = Vector256.Load(c + (ldb * 3) + 8);
            c32 = Vector256.Load(c + (ldb * 3) + 16);
            c33 = Vector256.Load(c + (ldb * 3) + 24);
        }

        nint ak = 0;
        for (int k = 0; k < kc; k++, ak += aks, b += ldb)
        {
            Vector256<float> b0 = Vector256.Load(b);
            Vector256<float> b1 = Vector256.Load(b + 8);
            Vector256<float> b2 = Vector256.Load(b + 16);
            Vector256<float> b3 = Vector256.Load(b + 24);
            Vector256<float> a0 = Vector256.Create(a[ak]);
            c00 = Fma.MultiplyAdd(a0, b0, c00);
            c01 = Fma.MultiplyAdd(a0, b1, c01);
            c02 = Fma.MultiplyAdd(a0, b2, c02);
            c03 = Fma.MultiplyAdd(a0, b3, c03);
            Vector256<float> a1 = Vector256.Create(a[ak + ars]);
            c10 = Fma.MultiplyAdd(a1, b0, c10);
            c11 = Fma.MultiplyAdd(a1, b1, c11);
            c12 = Fma.MultiplyAdd(a1, b2, c12);
            c13 = Fma.MultiplyAdd(a1, b3, c13);
            Vector256<float> a2 = Vector256.Create(a[ak + (ars * 2)]);
            c20 = Fma.MultiplyAdd(a2, b0, c20);
            c21 = Fma.MultiplyAdd(a2, b1, c21);
            c22 = Fma.MultiplyAdd(a2, b2, c22);
            c23 = Fma.MultiplyAdd(a2, b3, c23);
            Vector256<float> a3 = Vector256.Create(a[ak + (ars * 3)]);
            c30 = Fma.MultiplyAdd(a3, b0, c30);
            c31 = Fma.MultiplyAdd(a3, b1, c31);
            c32 = Fma.MultiplyAdd(a3, b2, c32);
            c33 = Fma.MultiplyAdd(a3, b3, c33);
        }

        Vector256<float> s = Vector256.Create(scale);
        (c00 * s).Store(c);
        (c01 * s).Store(c + 8);
        (c02 * s).Store(c + 16);
        (c03 * s).Store(c + 24);
        (c10 * s).Store(c + (ldb * 1));
        (c11 * s).Store(c + (ldb * 1) + 8);
        (c12 * s).Store(c + (ldb * 1) + 16);
        (c13 * s).Store(c + (ldb * 1) + 24);
        (c20 * s).Store(c + (ldb * 2));
        (c21 * s).Store(c + (ldb * 2) + 8);
        (c22 * s).Store(c + (ldb * 2) + 16);
        (c23 * s).Store(c + (ldb * 2) + 24);
        (c30 * s).Store(c + (ldb * 3));
        (c31 * s).Store(c + (ldb * 3) + 8);
        (c32 * s).Store(c + (ldb * 3) + 16);
        (c33 * s).Store(c + (ldb * 3) + 24);
    }

    // 1 row × 32 columns.
    private static void Acc1x32(float* a, nint aks, float* b, nint ldb, float* c, int kc, float scale, bool accumulate)
    {
        Vector256<float> c00 = default, c01 = default, c02 = default, c03 = default;
        if (accumulate)
        {
            c00 = Vector256.Load(c);
            c01 = Vector256.Load(c + 8);
            c02 = Vector256.Load(c + 16);
            c03 = Vector256.Load(c + 24);
        }

        nint ak = 0;
        for (int k = 0; k < kc; k++, ak += aks, b += ldb)
        {
            Vector256<float> b0 = Vector256.Load(b);
            Vector256<float> b1 = Vector256.Load(b + 8);
            Vector256<float> b2 = Vector256.Load(b + 16);
            Vector256<float> b3 = Vector256.Load(b + 24);
            Vector256<float> a0 = Vector256.Create(a[ak]);
            c00 = Fma.MultiplyAdd(a0, b0, c00);
            c01 = Fma.MultiplyAdd(a0, b1, c01);
            c02 = Fma.MultiplyAdd(a0, b2, c02);
            c03 = Fma.MultiplyAdd(a0, b3, c03);
        }

        Vector256<float> s = Vector256.Create(scale);
        (c00 * s).Store(c);
        (c01 * s).Store(c + 8);
        (c02 * s).Store(c + 16);
        (c03 * s).Store(c + 24);
    }

    // 4 rows × up to 8 columns.
    private static void Acc4x8(float* a, nint ars, nint aks, float* b, nint ldb, float* c, int kc, float scale, bool accumulate, Vector256<float> mask)
    {
        Vector256<float> c00 = default, c10 = default, c20 = default, c30 = default;
        if (accumulate)
        {
            c00 = Avx.MaskLoad(c, mask);
            c10 = Avx.MaskLoad(c + (ldb * 1), mask);
            c20 = Avx.MaskLoad(c + (ldb * 2), mask);
            c30 = Avx.MaskLoad(c + (ldb * 3), mask);
        }

        nint ak = 0;
        for (int k = 0; k < kc; k++, ak += aks, b += ldb)
        {
            Vector256<float> b0 = Avx.MaskLoad(b, mask);
            Vector256<float> a0 = Vector256.Create(a[ak]);
            c00 = Fma.MultiplyAdd(a0, b0, c00);
            Vector256<float> a1 = Vector256.Create(a[ak + ars]);
            c10 = Fma.MultiplyAdd(a1, b0, c10);
            Vector256<float> a2 = Vector256.Create(a[ak + (ars * 2)]);
            c20 = Fma.MultiplyAdd(a2, b0, c20);
            Vector256<float> a3 = Vector256.Create(a[ak + (ars * 3)]);
            c30 = Fma.MultiplyAdd(a3, b0, c30);
        }

        Vector256<float> s = Vector256.Create(scale);
        Avx.MaskStore(c, mask, c00 * s);
        Avx.MaskStore(c + (ldb * 1), mask, c10 * s);
        Avx.MaskStore(c + (ldb * 2), mask, c20 * s);
        Avx.MaskStore(c + (ldb * 3), mask, c30 * s);
    }

    // 1 row × up to 8 columns.
    private static void Acc1x8(float* a, nint aks, float* b, nint ldb, float* c, int kc, float scale, bool accumulate, Vector256<float> mask)
    {
        Vector256<float> c00 = default;
        if (accumulate)
        {
            c00 = Avx.MaskLoad(c, mask);
        }

        nint ak = 0;
        for (int k = 0; k < kc; k++, ak += aks, b += ldb)
        {
            Vector256<float> b0 = Avx.MaskLoad(b, mask);
            Vector256<float> a0 = Vector256.Create(a[ak]);
            c00 = Fma.MultiplyAdd(a0, b0, c00);
        }

        Vector256<float> s = Vector256.Create(scale);
        Avx.MaskStore(c, mask, c00 * s);
    }
}
