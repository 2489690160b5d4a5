using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MLNetFromScratch.Core.Kernels;

// How the builder encodes a row's columns: as byte gaps stored with the value codes while it can, else as ushorts.
public sealed partial class SparseRowsBuilder
{
    // The gaps of a row's ascending columns: 0 for the first (its column is the row's origin), then the distance to the
    // column before minus 1, 32 at a time; false when one exceeds 255 (what has been written is then unused).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Gaps(ReadOnlySpan<int> columns, Span<byte> gaps)
    {
        if (columns.IsEmpty)
        {
            return true;
        }

        gaps[0] = 0;
        int k = 1;
        if (Vector256.IsHardwareAccelerated)
        {
            int step = 4 * Vector256<int>.Count;
            Vector256<uint> largest = Vector256<uint>.Zero;
            for (; k + step <= columns.Length; k += step)
            {
                Vector256<uint> g0 = Gap(columns, k), g1 = Gap(columns, k + 8), g2 = Gap(columns, k + 16), g3 = Gap(columns, k + 24);
                largest = Vector256.Max(largest, Vector256.Max(Vector256.Max(g0, g1), Vector256.Max(g2, g3)));
                Vector256.Narrow(Vector256.Narrow(g0, g1), Vector256.Narrow(g2, g3)).CopyTo(gaps[k..]);
            }

            if (Vector256.GreaterThanAny(largest, Vector256.Create(255u)))
            {
                return false;
            }
        }

        for (; k < columns.Length; k++)
        {
            int gap = columns[k] - columns[k - 1] - 1;
            if (gap > byte.MaxValue)
            {
                return false;
            }

            gaps[k] = (byte)gap;
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Gap(ReadOnlySpan<int> columns, int k) =>
        (Vector256.Create(columns.Slice(k, Vector256<int>.Count)) - Vector256.Create(columns.Slice(k - 1, Vector256<int>.Count)) - Vector256<int>.One).AsUInt32();

    // Gaps in the high bytes, codes in the low bytes, 32 entries at a time.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Interleave(ReadOnlySpan<byte> gaps, ReadOnlySpan<byte> codes, Span<ushort> entries)
    {
        int k = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; k + Vector256<byte>.Count <= gaps.Length; k += Vector256<byte>.Count)
            {
                (Vector256<ushort> gapsLow, Vector256<ushort> gapsHigh) = Vector256.Widen(Vector256.Create(gaps.Slice(k, Vector256<byte>.Count)));
                (Vector256<ushort> codesLow, Vector256<ushort> codesHigh) = Vector256.Widen(Vector256.Create(codes.Slice(k, Vector256<byte>.Count)));
                (Vector256.ShiftLeft(gapsLow, 8) | codesLow).CopyTo(entries[k..]);
                (Vector256.ShiftLeft(gapsHigh, 8) | codesHigh).CopyTo(entries[(k + Vector256<ushort>.Count)..]);
            }
        }

        for (; k < gaps.Length; k++)
        {
            entries[k] = (ushort)((gaps[k] << 8) | codes[k]);
        }
    }

    // The first row with columns more than 256 apart or a 257th distinct value: the entries stored so far become ushort
    // columns and byte codes, once.
    private void LeaveGapForm()
    {
        var columns = new ushort[_capacity];
        var codes = new byte[_capacity];
        for (int row = 0; row < Rows; row++)
        {
            int column = _origins![row] - 1;
            for (int j = _rowStarts[row]; j < _rowStarts[row + 1]; j++)
            {
                ushort entry = _gapCodes![j];
                column += 1 + (entry >> 8);
                columns[j] = (ushort)column;
                codes[j] = (byte)entry;
            }
        }

        _shortIndices = columns;
        _codes = codes;
        _gapCodes = null;
        _origins = null;
    }

    // Columns as ushorts (all below 65,536 here), 16 at a time.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Narrow(ReadOnlySpan<int> from, Span<ushort> to)
    {
        int k = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; k + (2 * Vector256<int>.Count) <= from.Length; k += 2 * Vector256<int>.Count)
            {
                Vector256.Narrow(
                    Vector256.Create(from.Slice(k, Vector256<int>.Count)).AsUInt32(),
                    Vector256.Create(from.Slice(k + Vector256<int>.Count, Vector256<int>.Count)).AsUInt32()).CopyTo(to[k..]);
            }
        }

        for (; k < from.Length; k++)
        {
            to[k] = (ushort)from[k];
        }
    }
}
