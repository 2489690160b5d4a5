using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNetFromScratch.Core.Kernels;

// The dot-product micro-kernels of Forward. Rows of x are k apart, rows of w are k apart; the last
// partial vector of inputs is read with a mask (lanes past the end read as zero, nothing past the
// end is touched). 4 rows × 3 outputs is the largest tile whose 12 accumulators, 3 w vectors and
// one x vector fit the 16 AVX2 registers. All four give the same bits for the same (row, output).
public static unsafe partial class MatMul
{
    // y[i, j] for 4 rows i of x and 3 rows j of w; y rows are ldy apart.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot4x3(float* x, float* w, int k, Vector256<float> mask, float* y, int ldy, float* bias)
    {
        float* x0 = x;
        float* x1 = x + ((nint)k * 1);
        float* x2 = x + ((nint)k * 2);
        float* x3 = x + ((nint)k * 3);
        float* w0 = w;
        float* w1 = w + ((nint)k * 1);
        float* w2 = w + ((nint)k * 2);
        Vector256<float> c00 = default, c01 = default, c02 = default, c10 = default, c11 = default, c12 = default, c20 = default, c21 = default, c22 = default, c30 = default, c31 = default, c32 = default;
        int kv = k & ~7;
        for (int i = 0; i < kv; i += 8)
        {
            Vector256<float> b0 = Vector256.Load(w0 + i);
            Vector256<float> b1 = Vector256.Load(w1 + i);
            Vector256<float> b2 = Vector256.Load(w2 + i);
            Vector256<float> a0 = Vector256.Load(x0 + i);
            c00 = Fma.MultiplyAdd(a0, b0, c00);
            c01 = Fma.MultiplyAdd(a0, b1, c01);
            c02 = Fma.MultiplyAdd(a0, b2, c02);
            Vector256<float> a1 = Vector256.Load(x1 + i);
            c10 = Fma.MultiplyAdd(a1, b0, c10);
            c11 = Fma.MultiplyAdd(a1, b1, c11);
            c12 = Fma.MultiplyAdd(a1, b2, c12);
            Vector256<float> a2 = Vector256.Load(x2 + i);
            c20 = Fma.MultiplyAdd(a2, b0, c20);
            c21 = Fma.MultiplyAdd(a2, b1, c21);
            c22 = Fma.MultiplyAdd(a2, b2, c22);
            Vector256<float> a3 = Vector256.Load(x3 + i);
            c30 = Fma.MultiplyAdd(a3, b0, c30);
            c31 = Fma.MultiplyAdd(a3, b1, c31);
            c32 = Fma.MultiplyAdd(a3, b2, c32);
        }

        if (kv < k)
        {
            Vector256<float> b0 = Avx.MaskLoad(w0 + kv, mask);
            Vector256<float> b1 = Avx.MaskLoad(w1 + kv, mask);
            Vector256<float> b2 = Avx.MaskLoad(w2 + kv, mask);
            Vector256<float> a0 = Avx.MaskLoad(x0 + kv, mask);
            c00 = Fma.MultiplyAdd(a0, b0, c00);
            c01 = Fma.MultiplyAdd(a0, b1, c01);
            c02 = Fma.MultiplyAdd(a0, b2, c02);
            Vector256<float> a1 = Avx.MaskLoad(x1 + kv, mask);
            c10 = Fma.MultiplyAdd(a1, b0, c10);
            c11 = Fma.MultiplyAdd(a1, b1, c11);
            c12 = Fma.MultiplyAdd(a1, b2, c12);
            Vector256<float> a2 = Avx.MaskLoad(x2 + kv, mask);
            c20 = Fma.MultiplyAdd(a2, b0, c20);
            c21 = Fma.MultiplyAdd(a2, b1, c21);
            c22 = Fma.MultiplyAdd(a2, b2, c22);
            Vector256<float> a3 = Avx.MaskLoad(x3 + kv, mask);
            c30 = Fma.MultiplyAdd(a3, b0, c30);
            c31 = Fma.MultiplyAdd(a3, b1, c31);
            c32 = Fma.MultiplyAdd(a3, b2, c32);
        }

        Vector128<float> b = Vector128.Create(bias[0], bias[1], bias[2], 0);
        Vector128<float> s0 = Reduce4(c00, c01, c02, c02) + b;
        Store3(s0, y + ((nint)ldy * 0));
        Vector128<float> s1 = Reduce4(c10, c11, c12, c12) + b;
        Store3(s1, y + ((nint)ldy * 1));
        Vector128<float> s2 = Reduce4(c20, c21, c22, c22) + b;
        Store3(s2, y + ((nint)ldy * 2));
        Vector128<float> s3 = Reduce4(c30, c31, c32, c32) + b;
        Store3(s3, y + ((nint)ldy * 3));
    }

    // One row of x against 3 rows of w.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot1x3(float* x, float* w, int k, Vector256<float> mask, float* y, float* bias)
    {
        float* x0 = x;
        float* w0 = w;
        float* w1 = w + ((nint)k * 1);
        float* w2 = w + ((nint)k * 2);
        Vector256<float> c00 = default, c01 = default, c02 = default;
        int kv = k & ~7;
        for (int i = 0; i < kv; i += 8)
        {
            Vector256<float> b0 = Vector256.Load(w0 + i);
            Vector256<float> b1 = Vector256.Load(w1 + i);
            Vector256<float> b2 = Vector256.Load(w2 + i);
            Vector256<float> a0 = Vector256.Load(x0 + i);
            c00 = Fma.MultiplyAdd(a0, b0, c00);
            c01 = Fma.MultiplyAdd(a0, b1, c01);
            c02 = Fma.MultiplyAdd(a0, b2, c02);
        }

        if (kv < k)
        {
            Vector256<float> b0 = Avx.MaskLoad(w0 + kv, mask);
            Vector256<float> b1 = Avx.MaskLoad(w1 + kv, mask);
            Vector256<float> b2 = Avx.MaskLoad(w2 + kv, mask);
            Vector256<float> a0 = Avx.MaskLoad(x0 + kv, mask);
            c00 = Fma.MultiplyAdd(a0, b0, c00);
            c01 = Fma.MultiplyAdd(a0, b1, c01);
            c02 = Fma.MultiplyAdd(a0, b2, c02);
        }

        Store3(Reduce4(c00, c01, c02, c02) + Vector128.Create(bias[0], bias[1], bias[2], 0), y);
    }

    // One row of x against 8 rows of w: 8 chains hide the FMA latency when rows are few.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot1x8(float* x, float* w, int k, Vector256<float> mask, float* y, float* bias)
    {
        float* x0 = x;
        float* w0 = w;
        float* w1 = w + ((nint)k * 1);
        float* w2 = w + ((nint)k * 2);
        float* w3 = w + ((nint)k * 3);
        float* w4 = w + ((nint)k * 4);
        float* w5 = w + ((nint)k * 5);
        float* w6 = w + ((nint)k * 6);
        float* w7 = w + ((nint)k * 7);
        Vector256<float> c00 = default, c01 = default, c02 = default, c03 = default, c04 = default, c05 = default, c06 = default, c07 = default;
        int kv = k & ~7;
        for (int i = 0; i < kv; i += 8)
        {
            Vector256<float> b0 = Vector256.Load(w0 + i);
            Vector256<float> b1 = Vector256.Load(w1 + i);
            Vector256<float> b2 = Vector256.Load(w2 + i);
            Vector256<float> b3 = Vector256.Load(w3 + i);
            Vector256<float> b4 = Vector256.Load(w4 + i);
            Vector256<float> b5 = Vector256.Load(w5 + i);
            Vector256<float> b6 = Vector256.Load(w6 + i);
            Vector256<float> b7 = Vector256.Load(w7 + i);
            Vector256<float> a0 = Vector256.Load(x0 + i);
            c00 = Fma.MultiplyAdd(a0, b0, c00);
            c01 = Fma.MultiplyAdd(a0, b1, c01);
            c02 = Fma.MultiplyAdd(a0, b2, c02);
            c03 = Fma.MultiplyAdd(a0, b3, c03);
            c04 = Fma.MultiplyAdd(a0, b4, c04);
            c05 = Fma.MultiplyAdd(a0, b5, c05);
            c06 = Fma.MultiplyAdd(a0, b6, c06);
            c07 = Fma.MultiplyAdd(a0, b7, c07);
        }

        if (kv < k)
        {
            Vector256<float> b0 = Avx.MaskLoad(w0 + kv, mask);
            Vector256<float> b1 = Avx.MaskLoad(w1 + kv, mask);
            Vector256<float> b2 = Avx.MaskLoad(w2 + kv, mask);
            Vector256<float> b3 = Avx.MaskLoad(w3 + kv, mask);
            Vector256<float> b4 = Avx.MaskLoad(w4 + kv, mask);
            Vector256<float> b5 = Avx.MaskLoad(w5 + kv, mask);
            Vector256<float> b6 = Avx.MaskLoad(w6 + kv, mask);
            Vector256<float> b7 = Avx.MaskLoad(w7 + kv, mask);
            Vector256<float> a0 = Avx.MaskLoad(x0 + kv, mask);
            c00 = Fma.MultiplyAdd(a0, b0, c00);
            c01 = Fma.MultiplyAdd(a0, b1, c01);
            c02 = Fma.MultiplyAdd(a0, b2, c02);
            c03 = Fma.MultiplyAdd(a0, b3, c03);
            c04 = Fma.MultiplyAdd(a0, b4, c04);
            c05 = Fma.MultiplyAdd(a0, b5, c05);
            c06 = Fma.MultiplyAdd(a0, b6, c06);
            c07 = Fma.MultiplyAdd(a0, b7, c07);
        }

        (Reduce4(c00, c01, c02, c03) + Vector128.Load(bias)).Store(y);
        (Reduce4(c04, c05, c06, c07) + Vector128.Load(bias + 4)).Store(y + 4);
    }

    // 4 rows of x against one row of w; y rows are ldy apart.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot4x1(float* x, float* w, int k, Vector256<float> mask, float* y, int ldy, float bias)
    {
        float* x0 = x;
        float* x1 = x + ((nint)k * 1);
        float* x2 = x + ((nint)k * 2);
        float* x3 = x + ((nint)k * 3);
        float* w0 = w;
        Vector256<float> c00 = default, c10 = default, c20 = default, c30 = default;
        int kv = k & ~7;
        for (int i = 0; i < kv; i += 8)
        {
            Vector256<float> b0 = Vector256.Load(w0 + i);
            Vector256<float> a0 = Vector256.Load(x0 + i);
            c00 = Fma.MultiplyAdd(a0, b0, c00);
            Vector256<float> a1 = Vector256.Load(x1 + i);
            c10 = Fma.MultiplyAdd(a1, b0, c10);
            Vector256<float> a2 = Vector256.Load(x2 + i);
            c20 = Fma.MultiplyAdd(a2, b0, c20);
            Vector256<float> a3 = Vector256.Load(x3 + i);
            c30 = Fma.MultiplyAdd(a3, b0, c30);
        }

        if (kv < k)
        {
            Vector256<float> b0 = Avx.MaskLoad(w0 + kv, mask);
            Vector256<float> a0 = Avx.MaskLoad(x0 + kv, mask);
            c00 = Fma.MultiplyAdd(a0, b0, c00);
            Vector256<float> a1 = Avx.MaskLoad(x1 + kv, mask);
            c10 = Fma.MultiplyAdd(a1, b0, c10);
            Vector256<float> a2 = Avx.MaskLoad(x2 + kv, mask);
            c20 = Fma.MultiplyAdd(a2, b0, c20);
            Vector256<float> a3 = Avx.MaskLoad(x3 + kv, mask);
            c30 = Fma.MultiplyAdd(a3, b0, c30);
        }

        Vector128<float> s = Reduce4(c00, c10, c20, c30) + Vector128.Create(bias);
        y[0] = s.GetElement(0);
        y[ldy] = s.GetElement(1);
        y[(nint)ldy * 2] = s.GetElement(2);
        y[(nint)ldy * 3] = s.GetElement(3);
    }

    // One row of x against one row of w.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot1x1(float* x, float* w, int k, Vector256<float> mask, float* y, float bias)
    {
        float* x0 = x;
        float* w0 = w;
        Vector256<float> c00 = default;
        int kv = k & ~7;
        for (int i = 0; i < kv; i += 8)
        {
            Vector256<float> b0 = Vector256.Load(w0 + i);
            Vector256<float> a0 = Vector256.Load(x0 + i);
            c00 = Fma.MultiplyAdd(a0, b0, c00);
        }

        if (kv < k)
        {
            Vector256<float> b0 = Avx.MaskLoad(w0 + kv, mask);
            Vector256<float> a0 = Avx.MaskLoad(x0 + kv, mask);
            c00 = Fma.MultiplyAdd(a0, b0, c00);
        }

        *y = Reduce4(c00, c00, c00, c00).ToScalar() + bias;
    }

    private static void Store3(Vector128<float> s, float* y)
    {
        y[0] = s.GetElement(0);
        y[1] = s.GetElement(1);
        y[2] = s.GetElement(2);
    }
}
