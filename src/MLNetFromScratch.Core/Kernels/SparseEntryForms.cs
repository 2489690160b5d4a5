using System.Runtime.CompilerServices;

namespace MLNetFromScratch.Core.Kernels;

// How the entries of a sparse matrix are stored: the column (or batch row) of entry j as a ushort or an int, its value
// as a float or as a byte code into a table of at most 256 floats; or both in a ushort, a byte gap from the entry
// before it in its row and a byte code. The sparse kernels are generic over these struct types, so the JIT compiles one specialized loop per form:
// no branch, no call, in the hot loops. They read a row's entries in order, carrying the previous entry's column,
// which the gap form needs and the others ignore.

/// <summary>Reads the index of entry <c>j</c> of an index array.</summary>
internal unsafe interface ISparseIndices
{
    /// <summary>Bytes an index takes.</summary>
    static abstract int Size { get; }

    /// <summary>Whether an entry's index can be read without those before it (false: read a row from its start).</summary>
    static abstract bool RandomAccess { get; }

    /// <summary>The column before row <paramref name="row"/>'s first entry, what <see cref="Next"/> starts from.</summary>
    static abstract int Before(ushort* origins, int row);

    /// <summary>The index of entry <paramref name="j"/>, given that of the entry before it in its row (or <see cref="Before"/>).</summary>
    static abstract int Next(void* indices, nint j, int previous);

    /// <summary>
    /// <see cref="Next"/> × <paramref name="ld"/>, given that of the entry before (or <see cref="Before"/> × ld): where
    /// entry j's row of a (·, ld) matrix starts. The kernels carry it, so that a gap costs one multiply and an add.
    /// </summary>
    static abstract nint Offset(void* indices, nint j, nint previous, nint ld);
}

/// <summary>Reads the value of entry <c>j</c> of a value array, decoding it through <c>table</c> where coded.</summary>
internal unsafe interface ISparseValues
{
    /// <summary>Bytes a stored value takes.</summary>
    static abstract int Size { get; }

    /// <summary>Whether the values are stored in the index array, with the indices: read through the same pointer.</summary>
    static abstract bool InIndices { get; }

    static abstract float At(void* values, float* table, nint j);
}

/// <summary>Indices stored as <see cref="int"/>.</summary>
internal readonly struct Int32Indices : ISparseIndices
{
    public static int Size => sizeof(int);

    public static bool RandomAccess => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe int Before(ushort* origins, int row) => -1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe int Next(void* indices, nint j, int previous) => ((int*)indices)[j];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe nint Offset(void* indices, nint j, nint previous, nint ld) => ((int*)indices)[j] * ld;
}

/// <summary>Indices stored as <see cref="ushort"/> (at most 65,536 columns).</summary>
internal readonly struct UInt16Indices : ISparseIndices
{
    public static int Size => sizeof(ushort);

    public static bool RandomAccess => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe int Before(ushort* origins, int row) => -1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe int Next(void* indices, nint j, int previous) => ((ushort*)indices)[j];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe nint Offset(void* indices, nint j, nint previous, nint ld) => ((ushort*)indices)[j] * ld;
}

/// <summary>Values stored as <see cref="float"/>.</summary>
internal readonly struct SingleValues : ISparseValues
{
    public static int Size => sizeof(float);

    public static bool InIndices => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe float At(void* values, float* table, nint j) => ((float*)values)[j];
}

/// <summary>Values stored as byte codes into a table of floats.</summary>
internal readonly struct ByteCodedValues : ISparseValues
{
    public static int Size => sizeof(byte);

    public static bool InIndices => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe float At(void* values, float* table, nint j) => table[((byte*)values)[j]];
}

/// <summary>
/// Column and value in one <see cref="ushort"/>: the high byte the gap from the entry before (entry j's column is the
/// previous entry's plus 1 plus the gap, the first entry's the row's origin plus its gap), the low byte the value's
/// code. At most 65,536 columns, 256 distinct values, and no two consecutive entries of a row more than 256 columns apart.
/// </summary>
internal readonly struct GapCodedEntries : ISparseIndices, ISparseValues
{
    public static int Size => sizeof(ushort);

    public static bool RandomAccess => false;

    public static bool InIndices => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe int Before(ushort* origins, int row) => origins[row] - 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe int Next(void* indices, nint j, int previous) => previous + 1 + (((ushort*)indices)[j] >> 8);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe nint Offset(void* indices, nint j, nint previous, nint ld) => previous + ((1 + (((ushort*)indices)[j] >> 8)) * ld);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe float At(void* values, float* table, nint j) => table[(byte)((ushort*)values)[j]];
}
