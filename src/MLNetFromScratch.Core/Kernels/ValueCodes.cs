using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNetFromScratch.Core.Kernels;

/// <summary>
/// The byte codes of up to 256 distinct float values, in the order they are first seen: the value table of a
/// <see cref="SparseRows"/> matrix whose values are coded, built as <see cref="SparseRowsBuilder"/> reads its rows.
/// </summary>
/// <remarks>
/// A value is found through an open-addressing hash table keyed by its bits (1,024 slots for at most 256 values, so
/// few collisions), and, eight at a time, through a table indexed by its top 16 bits (sign, exponent, 7 bits of
/// mantissa) that holds the code of the first value seen with those bits; <see cref="CodeAll"/> checks that guess
/// against the value table. Values that share their top bits with another value go through the hash table.
/// </remarks>
internal sealed class ValueCodes
{
    /// <summary>The most values that can be coded.</summary>
    public const int Capacity = 256;

    private const int SlotBits = 10;
    private const int SlotMask = (1 << SlotBits) - 1;

    private readonly float[] _table = new float[Capacity];
    private readonly int[] _slotBits = new int[SlotMask + 1];
    private readonly short[] _slotCodes = new short[SlotMask + 1];

    // By the top 16 bits of a value: the code of the first value seen with those bits (3 bytes to spare: the gather
    // reads 4 bytes from each).
    private readonly byte[] _byHighBits = new byte[(1 << 16) + 3];
    private int _tableCount;

    /// <summary>Creates an empty table.</summary>
    public ValueCodes() => _slotCodes.AsSpan().Fill(-1);

    /// <summary>The values coded so far: value k has code k.</summary>
    public ReadOnlySpan<float> Table => _table.AsSpan(0, _tableCount);

    // Codes the values into `codes` until one cannot be coded (a 257th distinct value); returns how many were coded.
    // Eight values at a time through _byHighBits: a gather of their candidate codes by their top 16 bits and one of
    // the coded values' bits to check them, one branch for the eight; any eight with a value not found that way go
    // one at a time through the hash table (which may add the value).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public unsafe int CodeAll(ReadOnlySpan<float> values, Span<byte> codes)
    {
        int k = 0;
        if (Avx2.IsSupported)
        {
            fixed (float* v = values, table = _table)
            fixed (byte* c = codes)
            fixed (byte* byHighBits = _byHighBits)
            {
                Vector256<int> lowByte = Vector256.Create(0xFF);
                for (; k + 8 <= values.Length; k += 8)
                {
                    Vector256<int> bits = Avx.LoadVector256(v + k).AsInt32();
                    Vector256<int> candidates = Avx2.GatherVector256((int*)byHighBits, Avx2.ShiftRightLogical(bits, 16), 1) & lowByte;
                    Vector256<int> coded = Avx2.GatherVector256((int*)table, candidates, 4);
                    if (Avx2.MoveMask(Avx2.CompareEqual(coded, bits).AsByte()) == -1)
                    {
                        Vector128<short> narrow = Sse2.PackSignedSaturate(candidates.GetLower(), candidates.GetUpper());
                        *(ulong*)(c + k) = Sse2.PackUnsignedSaturate(narrow, narrow).AsUInt64().ToScalar();
                        continue;
                    }

                    for (int j = k; j < k + 8; j++)
                    {
                        int code = Code(v[j]);
                        if (code < 0)
                        {
                            return j;
                        }

                        c[j] = (byte)code;
                    }
                }
            }
        }

        for (; k < values.Length; k++)
        {
            int code = Code(values[k]);
            if (code < 0)
            {
                return k;
            }

            codes[k] = (byte)code;
        }

        return values.Length;
    }

    // The code of a value: looked up in (or added to) the hash table; -1 when 256 are taken.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Code(float value)
    {
        int bits = BitConverter.SingleToInt32Bits(value);
        uint slot = Slot(bits);
        while (true)
        {
            int code = _slotCodes[slot];
            if (code < 0)
            {
                if (_tableCount == Capacity)
                {
                    return -1;
                }

                _slotBits[slot] = bits;
                _slotCodes[slot] = (short)_tableCount;
                uint high = (uint)bits >> 16;
                if (_tableCount == 0 || BitConverter.SingleToUInt32Bits(_table[_byHighBits[high]]) >> 16 != high)
                {
                    _byHighBits[high] = (byte)_tableCount;
                }

                _table[_tableCount] = value;
                return _tableCount++;
            }

            if (_slotBits[slot] == bits)
            {
                return code;
            }

            slot = (slot + 1) & SlotMask;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Slot(int bits) => unchecked((uint)bits * 0x9E3779B1u) >> (32 - SlotBits);
}
