using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNetFromScratch.Core.Kernels;

// The micro-kernels of the sparse products: d[0..w) = scale·(initial or 0 + Σⱼ values[j]·source[indices[j]·ld ..]),
// the sum of count scaled rows of source, one FMA chain per element in entry order. Entries j are read from the
// index and value arrays in the form TIndices and TValues say (see SparseEntryForms.cs), from position a (and b), the
// column before each sum's first entry being ca (and cb): see ISparseIndices.Before. Each sum reads its entries
// through pointers to its own first entry (one pointer for both when the values are in the index array) and carries
// its current row offset in source (ISparseIndices.Offset): few enough registers that nothing spills in the loops.
public static unsafe partial class MatMul
{
    // Two 32-wide sums side by side (b may be absent), both from the same initial values (or zero): 8 accumulators,
    // so 8 independent FMA chains.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SparseSum2x32<TIndices, TValues>(
        float* da, float* db, void* indices, void* values, float* table, nint a, int na, int ca, nint b, int nb, int cb,
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
        byte* ia = EntriesAt<TIndices>(indices, a), ib = EntriesAt<TIndices>(indices, b);
        byte* va = ValuesAt<TValues>(values, a), vb = ValuesAt<TValues>(values, b);
        nint oa = ca * ld, ob = cb * ld;
        int common = Math.Min(na, nb);
        nint t = 0;
        for (; t < common; t++)
        {
            oa = TIndices.Offset(ia, t, oa, ld);
            ob = TIndices.Offset(ib, t, ob, ld);
            Vector256<float> fa = Vector256.Create(TValues.At(TValues.InIndices ? ia : va, table, t));
            Vector256<float> fb = Vector256.Create(TValues.At(TValues.InIndices ? ib : vb, table, t));
            a0 = Fma.MultiplyAdd(fa, Vector256.Load(source + oa), a0);
            b0 = Fma.MultiplyAdd(fb, Vector256.Load(source + ob), b0);
            a1 = Fma.MultiplyAdd(fa, Vector256.Load(source + oa + 8), a1);
            b1 = Fma.MultiplyAdd(fb, Vector256.Load(source + ob + 8), b1);
            a2 = Fma.MultiplyAdd(fa, Vector256.Load(source + oa + 16), a2);
            b2 = Fma.MultiplyAdd(fb, Vector256.Load(source + ob + 16), b2);
            a3 = Fma.MultiplyAdd(fa, Vector256.Load(source + oa + 24), a3);
            b3 = Fma.MultiplyAdd(fb, Vector256.Load(source + ob + 24), b3);
        }

        Vector256<float> s = Vector256.Create(scale);
        SparseSumOn32<TIndices, TValues>(da, a0, a1, a2, a3, ia, va, table, t, na, oa, source, ld, s);
        if (db is not null)
        {
            SparseSumOn32<TIndices, TValues>(db, b0, b1, b2, b3, ib, vb, table, t, nb, ob, source, ld, s);
        }
    }

    // Three 32-wide sums side by side, from the same initial values: 12 accumulators, so 12 independent FMA chains, and
    // three entries' index and value loads in flight per step. Row a must be the shortest (the caller sorts by length);
    // b and c then finish alone.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SparseSum3x32<TIndices, TValues>(
        float* da, float* db, float* dc, void* indices, void* values, float* table, nint a, int na, int ca, nint b, int nb, int cb,
        nint c, int nc, int cc, float* source, nint ld, float* initial)
        where TIndices : struct, ISparseIndices
        where TValues : struct, ISparseValues
    {
        Vector256<float> a0 = Vector256.Load(initial);
        Vector256<float> a1 = Vector256.Load(initial + 8);
        Vector256<float> a2 = Vector256.Load(initial + 16);
        Vector256<float> a3 = Vector256.Load(initial + 24);
        Vector256<float> b0 = a0, b1 = a1, b2 = a2, b3 = a3;
        Vector256<float> c0 = a0, c1 = a1, c2 = a2, c3 = a3;
        byte* ia = EntriesAt<TIndices>(indices, a), ib = EntriesAt<TIndices>(indices, b), ic = EntriesAt<TIndices>(indices, c);
        byte* va = ValuesAt<TValues>(values, a);
        byte* vb = ValuesAt<TValues>(values, b);
        byte* vc = ValuesAt<TValues>(values, c);
        nint oa = ca * ld, ob = cb * ld, oc = cc * ld;
        nint t = 0;
        for (; t < na; t++)
        {
            oa = TIndices.Offset(ia, t, oa, ld);
            ob = TIndices.Offset(ib, t, ob, ld);
            oc = TIndices.Offset(ic, t, oc, ld);
            Vector256<float> fa = Vector256.Create(TValues.At(TValues.InIndices ? ia : va, table, t));
            Vector256<float> fb = Vector256.Create(TValues.At(TValues.InIndices ? ib : vb, table, t));
            Vector256<float> fc = Vector256.Create(TValues.At(TValues.InIndices ? ic : vc, table, t));
            a0 = Fma.MultiplyAdd(fa, Vector256.Load(source + oa), a0);
            b0 = Fma.MultiplyAdd(fb, Vector256.Load(source + ob), b0);
            c0 = Fma.MultiplyAdd(fc, Vector256.Load(source + oc), c0);
            a1 = Fma.MultiplyAdd(fa, Vector256.Load(source + oa + 8), a1);
            b1 = Fma.MultiplyAdd(fb, Vector256.Load(source + ob + 8), b1);
            c1 = Fma.MultiplyAdd(fc, Vector256.Load(source + oc + 8), c1);
            a2 = Fma.MultiplyAdd(fa, Vector256.Load(source + oa + 16), a2);
            b2 = Fma.MultiplyAdd(fb, Vector256.Load(source + ob + 16), b2);
            c2 = Fma.MultiplyAdd(fc, Vector256.Load(source + oc + 16), c2);
            a3 = Fma.MultiplyAdd(fa, Vector256.Load(source + oa + 24), a3);
            b3 = Fma.MultiplyAdd(fb, Vector256.Load(source + ob + 24), b3);
            c3 = Fma.MultiplyAdd(fc, Vector256.Load(source + oc + 24), c3);
        }

        a0.Store(da);
        a1.Store(da + 8);
        a2.Store(da + 16);
        a3.Store(da + 24);
        Vector256<float> one = Vector256<float>.One;
        SparseSumOn32<TIndices, TValues>(db, b0, b1, b2, b3, ib, vb, table, t, nb, ob, source, ld, one);
        SparseSumOn32<TIndices, TValues>(dc, c0, c1, c2, c3, ic, vc, table, t, nc, oc, source, ld, one);
    }

    // Carries a 32-wide sum on over entries [t, end) of a row (entries and values point at its first entry), the offset
    // before entry t being offset, then stores it scaled.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SparseSumOn32<TIndices, TValues>(
        float* d, Vector256<float> a0, Vector256<float> a1, Vector256<float> a2, Vector256<float> a3,
        byte* entries, byte* values, float* table, nint t, nint end, nint offset, float* source, nint ld, Vector256<float> scale)
        where TIndices : struct, ISparseIndices
        where TValues : struct, ISparseValues
    {
        for (; t < end; t++)
        {
            offset = TIndices.Offset(entries, t, offset, ld);
            Vector256<float> f = Vector256.Create(TValues.At(TValues.InIndices ? entries : values, table, t));
            a0 = Fma.MultiplyAdd(f, Vector256.Load(source + offset), a0);
            a1 = Fma.MultiplyAdd(f, Vector256.Load(source + offset + 8), a1);
            a2 = Fma.MultiplyAdd(f, Vector256.Load(source + offset + 16), a2);
            a3 = Fma.MultiplyAdd(f, Vector256.Load(source + offset + 24), a3);
        }

        (a0 * scale).Store(d);
        (a1 * scale).Store(d + 8);
        (a2 * scale).Store(d + 16);
        (a3 * scale).Store(d + 24);
    }

    // One sum of any width below 32 (the last slice of the outputs), 8 lanes at a time with a mask at the end.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SparseAxpyRows<TIndices, TValues>(
        float* destination, float* initial, void* indices, void* values, float* table, nint first, int count, int before, float* source, nint ld, int width, float scale)
        where TIndices : struct, ISparseIndices
        where TValues : struct, ISparseValues
    {
        byte* entries = EntriesAt<TIndices>(indices, first);
        byte* stored = ValuesAt<TValues>(values, first);
        for (int o = 0; o < width; o += 8)
        {
            Vector256<float> mask = LeadingMask(Math.Min(8, width - o));
            Vector256<float> acc = initial is null ? default : Avx.MaskLoad(initial + o, mask);
            nint offset = before * ld;
            for (nint j = 0; j < count; j++)
            {
                offset = TIndices.Offset(entries, j, offset, ld);
                acc = Fma.MultiplyAdd(Vector256.Create(TValues.At(TValues.InIndices ? entries : stored, table, j)), Avx.MaskLoad(source + offset + o, mask), acc);
            }

            Avx.MaskStore(destination + o, mask, acc * scale);
        }
    }

    // Where entry j of an index (or value) array starts.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte* EntriesAt<TIndices>(void* indices, nint j)
        where TIndices : struct, ISparseIndices => (byte*)indices + (j * TIndices.Size);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte* ValuesAt<TValues>(void* values, nint j)
        where TValues : struct, ISparseValues => (byte*)values + (j * TValues.Size);
}
