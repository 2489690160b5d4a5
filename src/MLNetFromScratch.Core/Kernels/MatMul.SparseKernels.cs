using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNetFromScratch.Core.Kernels;

// The micro-kernels of the sparse products: d[0..w) = scale·(initial or 0 + Σⱼ values[j]·source[indices[j]·ld ..]),
// the sum of count scaled rows of source, one FMA chain per element in entry order. Entries j are read from the
// index and value arrays in the form TIndices and TValues say (see SparseEntryForms.cs), from position a (and b).
public static unsafe partial class MatMul
{
    // Two 32-wide sums side by side (b may be absent), both from the same initial values (or zero): 8 accumulators,
    // so 8 independent FMA chains.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SparseSum2x32<TIndices, TValues>(
        float* da, float* db, void* indices, void* values, float* table, nint a, int na, nint b, int nb,
        float* source, nint ld, float* initial, float scale)
        where TIndices : struct, ISparseIndices
        where TValues : struct, ISparseValues
    {
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
        if (initial is not null)
        {
            a0 = Vector256.Load(initial);
            a1 = Vector256.Load(initial + 8);
            a2 = Vector256.Load(initial + 16);
            a3 = Vector256.Load(initial + 24);
        }

        Vector256<float> b0 = a0, b1 = a1, b2 = a2, b3 = a3;

        int common = Math.Min(na, nb);
        int t = 0;
        for (; t < common; t++)
        {
            float* sa = source + (TIndices.At(indices, a + t) * ld);
            float* sb = source + (TIndices.At(indices, b + t) * ld);
            Vector256<float> fa = Vector256.Create(TValues.At(values, table, a + t));
            Vector256<float> fb = Vector256.Create(TValues.At(values, table, b + t));
            a0 = Fma.MultiplyAdd(fa, Vector256.Load(sa), a0);
            b0 = Fma.MultiplyAdd(fb, Vector256.Load(sb), b0);
            a1 = Fma.MultiplyAdd(fa, Vector256.Load(sa + 8), a1);
            b1 = Fma.MultiplyAdd(fb, Vector256.Load(sb + 8), b1);
            a2 = Fma.MultiplyAdd(fa, Vector256.Load(sa + 16), a2);
            b2 = Fma.MultiplyAdd(fb, Vector256.Load(sb + 16), b2);
            a3 = Fma.MultiplyAdd(fa, Vector256.Load(sa + 24), a3);
            b3 = Fma.MultiplyAdd(fb, Vector256.Load(sb + 24), b3);
        }

        for (int u = t; u < na; u++)
        {
            float* sa = source + (TIndices.At(indices, a + u) * ld);
            Vector256<float> fa = Vector256.Create(TValues.At(values, table, a + u));
            a0 = Fma.MultiplyAdd(fa, Vector256.Load(sa), a0);
            a1 = Fma.MultiplyAdd(fa, Vector256.Load(sa + 8), a1);
            a2 = Fma.MultiplyAdd(fa, Vector256.Load(sa + 16), a2);
            a3 = Fma.MultiplyAdd(fa, Vector256.Load(sa + 24), a3);
        }

        for (int u = t; u < nb; u++)
        {
            float* sb = source + (TIndices.At(indices, b + u) * ld);
            Vector256<float> fb = Vector256.Create(TValues.At(values, table, b + u));
            b0 = Fma.MultiplyAdd(fb, Vector256.Load(sb), b0);
            b1 = Fma.MultiplyAdd(fb, Vector256.Load(sb + 8), b1);
            b2 = Fma.MultiplyAdd(fb, Vector256.Load(sb + 16), b2);
            b3 = Fma.MultiplyAdd(fb, Vector256.Load(sb + 24), b3);
        }

        Vector256<float> s = Vector256.Create(scale);
        (a0 * s).Store(da);
        (a1 * s).Store(da + 8);
        (a2 * s).Store(da + 16);
        (a3 * s).Store(da + 24);
        if (db is not null)
        {
            (b0 * s).Store(db);
            (b1 * s).Store(db + 8);
            (b2 * s).Store(db + 16);
            (b3 * s).Store(db + 24);
        }
    }

    // Three 32-wide sums side by side, from the same initial values: 12 accumulators, so 12 independent FMA chains, and
    // three entries' index and value loads in flight per step. Row a must be the shortest (the caller sorts by length);
    // b and c then finish alone.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SparseSum3x32<TIndices, TValues>(
        float* da, float* db, float* dc, void* indices, void* values, float* table, nint a, int na, nint b, int nb, nint c, int nc,
        float* source, nint ld, float* initial)
        where TIndices : struct, ISparseIndices
        where TValues : struct, ISparseValues
    {
        Vector256<float> a0 = Vector256.Load(initial);
        Vector256<float> a1 = Vector256.Load(initial + 8);
        Vector256<float> a2 = Vector256.Load(initial + 16);
        Vector256<float> a3 = Vector256.Load(initial + 24);
        Vector256<float> b0 = a0, b1 = a1, b2 = a2, b3 = a3;
        Vector256<float> c0 = a0, c1 = a1, c2 = a2, c3 = a3;
        for (nint t = 0; t < na; t++)
        {
            float* sa = source + (TIndices.At(indices, a + t) * ld);
            float* sb = source + (TIndices.At(indices, b + t) * ld);
            float* sc = source + (TIndices.At(indices, c + t) * ld);
            Vector256<float> fa = Vector256.Create(TValues.At(values, table, a + t));
            Vector256<float> fb = Vector256.Create(TValues.At(values, table, b + t));
            Vector256<float> fc = Vector256.Create(TValues.At(values, table, c + t));
            a0 = Fma.MultiplyAdd(fa, Vector256.Load(sa), a0);
            b0 = Fma.MultiplyAdd(fb, Vector256.Load(sb), b0);
            c0 = Fma.MultiplyAdd(fc, Vector256.Load(sc), c0);
            a1 = Fma.MultiplyAdd(fa, Vector256.Load(sa + 8), a1);
            b1 = Fma.MultiplyAdd(fb, Vector256.Load(sb + 8), b1);
            c1 = Fma.MultiplyAdd(fc, Vector256.Load(sc + 8), c1);
            a2 = Fma.MultiplyAdd(fa, Vector256.Load(sa + 16), a2);
            b2 = Fma.MultiplyAdd(fb, Vector256.Load(sb + 16), b2);
            c2 = Fma.MultiplyAdd(fc, Vector256.Load(sc + 16), c2);
            a3 = Fma.MultiplyAdd(fa, Vector256.Load(sa + 24), a3);
            b3 = Fma.MultiplyAdd(fb, Vector256.Load(sb + 24), b3);
            c3 = Fma.MultiplyAdd(fc, Vector256.Load(sc + 24), c3);
        }

        a0.Store(da);
        a1.Store(da + 8);
        a2.Store(da + 16);
        a3.Store(da + 24);
        SparseSumOn32<TIndices, TValues>(db, b0, b1, b2, b3, indices, values, table, b + na, b + nb, source, ld);
        SparseSumOn32<TIndices, TValues>(dc, c0, c1, c2, c3, indices, values, table, c + na, c + nc, source, ld);
    }

    // Carries a 32-wide sum on over entries [t, end), then stores it.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SparseSumOn32<TIndices, TValues>(
        float* d, Vector256<float> a0, Vector256<float> a1, Vector256<float> a2, Vector256<float> a3,
        void* indices, void* values, float* table, nint t, nint end, float* source, nint ld)
        where TIndices : struct, ISparseIndices
        where TValues : struct, ISparseValues
    {
        for (; t < end; t++)
        {
            float* s = source + (TIndices.At(indices, t) * ld);
            Vector256<float> f = Vector256.Create(TValues.At(values, table, t));
            a0 = Fma.MultiplyAdd(f, Vector256.Load(s), a0);
            a1 = Fma.MultiplyAdd(f, Vector256.Load(s + 8), a1);
            a2 = Fma.MultiplyAdd(f, Vector256.Load(s + 16), a2);
            a3 = Fma.MultiplyAdd(f, Vector256.Load(s + 24), a3);
        }

        a0.Store(d);
        a1.Store(d + 8);
        a2.Store(d + 16);
        a3.Store(d + 24);
    }

    // One sum of any width below 32 (the last slice of the outputs), 8 lanes at a time with a mask at the end.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SparseAxpyRows<TIndices, TValues>(
        float* destination, float* initial, void* indices, void* values, float* table, nint first, int count, float* source, nint ld, int width, float scale)
        where TIndices : struct, ISparseIndices
        where TValues : struct, ISparseValues
    {
        for (int o = 0; o < width; o += 8)
        {
            Vector256<float> mask = LeadingMask(Math.Min(8, width - o));
            Vector256<float> acc = initial is null ? default : Avx.MaskLoad(initial + o, mask);
            for (int j = 0; j < count; j++)
            {
                acc = Fma.MultiplyAdd(Vector256.Create(TValues.At(values, table, first + j)), Avx.MaskLoad(source + (TIndices.At(indices, first + j) * ld) + o, mask), acc);
            }

            Avx.MaskStore(destination + o, mask, acc * scale);
        }
    }
}
