using System.Runtime.CompilerServices;

namespace MLNetFromScratch.Core.Kernels;

// How the entries of a sparse matrix are stored: the column (or batch row) of entry j as a ushort or an int, its value
// as a float or as a byte code into a table of at most 256 floats. The sparse kernels are generic over these struct
// types, so the JIT compiles one specialized loop per form: no branch, no call, in the hot loops.

/// <summary>Reads the index of entry <c>j</c> of an index array.</summary>
internal unsafe interface ISparseIndices
{
    /// <summary>Bytes an index takes.</summary>
    static abstract int Size { get; }

    static abstract int At(void* indices, nint j);
}

/// <summary>Reads the value of entry <c>j</c> of a value array, decoding it through <c>table</c> where coded.</summary>
internal unsafe interface ISparseValues
{
    /// <summary>Bytes a stored value takes.</summary>
    static abstract int Size { get; }

    static abstract float At(void* values, float* table, nint j);
}

/// <summary>Indices stored as <see cref="int"/>.</summary>
internal readonly struct Int32Indices : ISparseIndices
{
    public static int Size => sizeof(int);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe int At(void* indices, nint j) => ((int*)indices)[j];
}

/// <summary>Indices stored as <see cref="ushort"/> (at most 65,536 columns).</summary>
internal readonly struct UInt16Indices : ISparseIndices
{
    public static int Size => sizeof(ushort);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe int At(void* indices, nint j) => ((ushort*)indices)[j];
}

/// <summary>Values stored as <see cref="float"/>.</summary>
internal readonly struct SingleValues : ISparseValues
{
    public static int Size => sizeof(float);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe float At(void* values, float* table, nint j) => ((float*)values)[j];
}

/// <summary>Values stored as byte codes into a table of floats.</summary>
internal readonly struct ByteCodedValues : ISparseValues
{
    public static int Size => sizeof(byte);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe float At(void* values, float* table, nint j) => table[((byte*)values)[j]];
}
