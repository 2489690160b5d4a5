using System.Numerics;
using System.Runtime.Intrinsics;

namespace MLNetFromScratch.Core.Kernels;

/// <summary>
/// A matrix stored by rows with its zeros left out (compressed sparse rows): row r holds the entries j in
/// [<c>RowStarts[r]</c>, <c>RowStarts[r + 1]</c>), entry j being the value <see cref="ValueAt"/>(j) at column
/// <see cref="ColumnAt"/>(j), columns ascending. Used for inputs that are mostly zeros (pixels, one-hot codes), where
/// the first layer's products only need the non-zero entries.
/// </summary>
/// <remarks>
/// <para>
/// Stored compactly and losslessly. A value as a byte code into <see cref="ValueTable"/> when the matrix holds at most
/// 256 distinct non-zero values (pixels x/255, one-hot 1s; else a <see cref="float"/>). A column as a <see cref="ushort"/>
/// when there are at most 65,536 columns (else an <see cref="int"/>), or, with coded values, as a byte gap from the
/// entry before it in its row, when no two consecutive entries of a row are more than 256 columns apart (each row keeps
/// the column its first gap counts from): gap and code then make one <see cref="ushort"/>, and MNIST's pixels take 2
/// bytes an entry instead of 8. The gap form is read a row at a time, from the row's start: <see cref="ColumnAt"/>
/// finds the row first.
/// </para>
/// <para>
/// Built by <see cref="SparseRowsBuilder"/> or from a dense matrix, so every column is in range and in order. −0 counts
/// as zero and is left out; NaN and infinities are kept.
/// </para>
/// </remarks>
public sealed partial class SparseRows
{
    internal SparseRows(
        int rows, int columns, int[] rowStarts, ushort[]? gapCodes, ushort[]? rowOrigins, ushort[]? shortIndices, int[]? wideIndices,
        byte[]? codes, float[]? values, float[] table, int maxRowLength)
    {
        Rows = rows;
        Columns = columns;
        RowStarts = rowStarts;
        GapCodes = gapCodes;
        RowOrigins = rowOrigins;
        ShortIndices = shortIndices;
        WideIndices = wideIndices;
        Codes = codes;
        FloatValues = values;
        Table = table;
        MaxRowLength = maxRowLength;
    }

    /// <summary>Rows of the matrix.</summary>
    public int Rows { get; }

    /// <summary>Columns of the matrix.</summary>
    public int Columns { get; }

    /// <summary>Where each row's entries start, and one past the last row's end: length <see cref="Rows"/> + 1.</summary>
    public int[] RowStarts { get; }

    /// <summary>The most entries any one row has.</summary>
    public int MaxRowLength { get; }

    /// <summary>Entries stored, the non-zero count.</summary>
    public int Count => RowStarts[Rows];

    /// <summary>The fraction of the matrix that is stored: <see cref="Count"/> / (rows × columns).</summary>
    public double Density => Rows == 0 || Columns == 0 ? 0 : Count / ((double)Rows * Columns);

    /// <summary>Bytes an entry's column takes: 1 (a gap from the entry before it), 2 (at most 65,536 columns) or 4.</summary>
    public int IndexBytes => GapCodes is not null ? sizeof(byte) : ShortIndices is not null ? sizeof(ushort) : sizeof(int);

    /// <summary>Whether values are byte codes into <see cref="ValueTable"/> (at most 256 distinct values) rather than floats.</summary>
    public bool HasValueCodes => Codes is not null || GapCodes is not null;

    /// <summary>The distinct values the codes stand for; empty when values are stored as floats.</summary>
    public ReadOnlySpan<float> ValueTable => Table;

    /// <summary>Bytes held by the arrays (row starts and origins, columns, values and table), capacity included.</summary>
    public long StorageBytes =>
        (RowStarts.LongLength * sizeof(int)) + ((RowOrigins?.LongLength ?? 0) * sizeof(ushort)) + ((GapCodes?.LongLength ?? 0) * sizeof(ushort))
        + ((ShortIndices?.LongLength ?? 0) * sizeof(ushort)) + ((WideIndices?.LongLength ?? 0) * sizeof(int))
        + (Codes?.LongLength ?? 0) + ((FloatValues?.LongLength ?? 0) * sizeof(float)) + (Table.LongLength * sizeof(float));

    /// <summary>
    /// The gap form's entries: entry j's column is the previous entry's (for a row's first, its origin − 1) + 1 + the
    /// high byte, its value's code the low byte.
    /// </summary>
    internal ushort[]? GapCodes { get; }

    /// <summary>The gap form's origin of each row: the column its first entry's gap counts from.</summary>
    internal ushort[]? RowOrigins { get; }

    internal ushort[]? ShortIndices { get; }

    internal int[]? WideIndices { get; }

    internal byte[]? Codes { get; }

    internal float[]? FloatValues { get; }

    internal float[] Table { get; }

    /// <summary>The column of entry <paramref name="entry"/> (in the gap form: found from its row's start).</summary>
    /// <exception cref="ArgumentOutOfRangeException">When the entry is not in [0, <see cref="Count"/>).</exception>
    public int ColumnAt(int entry)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)entry, (uint)Count, nameof(entry));
        if (GapCodes is not { } entries)
        {
            return ShortIndices is { } s ? s[entry] : WideIndices![entry];
        }

        // The row holding the entry: the one before the first row that starts after it (empty rows share a start).
        int low = 0, high = Rows;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (RowStarts[middle] <= entry)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        int row = low - 1;
        int column = RowOrigins![row] - 1;
        for (int j = RowStarts[row]; j <= entry; j++)
        {
            column += 1 + (entries[j] >> 8);
        }

        return column;
    }

    /// <summary>The value of entry <paramref name="entry"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When the entry is not in [0, <see cref="Count"/>).</exception>
    public float ValueAt(int entry)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)entry, (uint)Count, nameof(entry));
        return Codes is { } c ? Table[c[entry]] : GapCodes is { } g ? Table[(byte)g[entry]] : FloatValues![entry];
    }

    /// <summary>Writes row <paramref name="row"/> densely into the first <see cref="Columns"/> elements of <paramref name="destination"/> (zeros included). Allocates nothing.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When the row is out of range.</exception>
    /// <exception cref="ArgumentException">When the destination is shorter than a row.</exception>
    public void CopyRowTo(int row, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)row, (uint)Rows, nameof(row));
        if (destination.Length < Columns)
        {
            throw new ArgumentException($"Needs at least {Columns} elements, has {destination.Length}.", nameof(destination));
        }

        destination[..Columns].Clear();
        switch (IndexBytes, Codes is not null)
        {
            case (1, _): Scatter<GapCodedEntries, GapCodedEntries>(row, destination); break;
            case (2, true): Scatter<UInt16Indices, ByteCodedValues>(row, destination); break;
            case (2, false): Scatter<UInt16Indices, SingleValues>(row, destination); break;
            case (_, true): Scatter<Int32Indices, ByteCodedValues>(row, destination); break;
            default: Scatter<Int32Indices, SingleValues>(row, destination); break;
        }
    }

    /// <summary>A new matrix holding the listed rows, in that order (rows may repeat).</summary>
    /// <exception cref="ArgumentOutOfRangeException">When a row is out of range.</exception>
    public SparseRows Select(ReadOnlySpan<int> rows)
    {
        var builder = new SparseRowsBuilder(Columns, rows.Length);
        long total = 0;
        foreach (int row in rows)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)row, (uint)Rows, nameof(rows));
            total += RowStarts[row + 1] - RowStarts[row];
        }

        builder.Reserve(total);
        foreach (int row in rows)
        {
            builder.AppendRow(this, row);
        }

        return builder.Build();
    }

    /// <summary>Stores the non-zero entries of <paramref name="dense"/> (rows × columns, row-major).</summary>
    /// <exception cref="ArgumentOutOfRangeException">When a size is negative.</exception>
    /// <exception cref="ArgumentException">When the span is shorter than its shape, or more than <see cref="int.MaxValue"/> entries are non-zero.</exception>
    public static SparseRows FromDense(ReadOnlySpan<float> dense, int rows, int columns, ComputeContext? context = null) =>
        TryFromDense(dense, rows, columns, maxDensity: 1.0, context)!;

    /// <summary>
    /// Stores the non-zero entries of <paramref name="dense"/> if at most <paramref name="maxDensity"/> of them are
    /// non-zero; otherwise returns <see langword="null"/> after one counting pass, which runs on the threads of
    /// <paramref name="context"/> (<see langword="null"/>: <see cref="ComputeContext.Default"/>), split by rows. The
    /// entries are then encoded row by row into arrays of the exact size.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">When a size is negative or the density is not in [0, 1].</exception>
    /// <exception cref="ArgumentException">When the span is shorter than its shape.</exception>
    public static unsafe SparseRows? TryFromDense(ReadOnlySpan<float> dense, int rows, int columns, double maxDensity, ComputeContext? context = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        if (!(maxDensity >= 0 && maxDensity <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(maxDensity), maxDensity, "The density must be in [0, 1].");
        }

        if (dense.Length < (long)rows * columns)
        {
            throw new ArgumentException($"Needs at least {(long)rows * columns} elements ({rows} × {columns}), has {dense.Length}.", nameof(dense));
        }

        long total = CountNonZeros(dense[..(int)((long)rows * columns)], rows, columns, context ?? ComputeContext.Default);
        if (total > int.MaxValue)
        {
            throw new ArgumentException($"More than {int.MaxValue} non-zero entries.", nameof(dense));
        }

        if (total > maxDensity * rows * columns)
        {
            return null;
        }

        var builder = new SparseRowsBuilder(columns, rows);
        builder.Reserve(total);
        for (int r = 0; r < rows; r++)
        {
            builder.AppendDense(dense.Slice(r * columns, columns));
        }

        return builder.Build();
    }

    /// <summary>How many values are not zero (±0 are zero; NaN is not).</summary>
    public static int CountNonZeros(ReadOnlySpan<float> values)
    {
        int count = 0, i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + Vector256<float>.Count <= values.Length; i += Vector256<float>.Count)
            {
                Vector256<float> zero = Vector256.Equals(Vector256.Create(values.Slice(i, Vector256<float>.Count)), Vector256<float>.Zero);
                count += Vector256<float>.Count - BitOperations.PopCount(zero.ExtractMostSignificantBits());
            }
        }

        for (; i < values.Length; i++)
        {
            count += values[i] != 0f ? 1 : 0;
        }

        return count;
    }

    /// <summary>Decodes row <paramref name="row"/> into <paramref name="columns"/> and <paramref name="values"/>; returns its length.</summary>
    internal int ReadRow(int row, Span<int> columns, Span<float> values)
    {
        int start = RowStarts[row], length = RowStarts[row + 1] - start;
        int column = RowOrigins is { } origins ? origins[row] - 1 : -1;
        for (int k = 0; k < length; k++)
        {
            column = GapCodes is { } g ? column + 1 + (g[start + k] >> 8) : ShortIndices is { } s ? s[start + k] : WideIndices![start + k];
            columns[k] = column;
            values[k] = ValueAt(start + k);
        }

        return length;
    }

    private unsafe void Scatter<TIndices, TValues>(int row, Span<float> destination)
        where TIndices : struct, ISparseIndices
        where TValues : struct, ISparseValues
    {
        fixed (ushort* s = ShortIndices, o = RowOrigins, g = GapCodes)
        fixed (int* w = WideIndices)
        fixed (byte* c = Codes)
        fixed (float* v = FloatValues, t = Table)
        {
            void* indices = g != null ? g : s != null ? s : w;
            void* values = TValues.InIndices ? indices : c != null ? c : v;
            int column = TIndices.Before(o, row);
            for (nint j = RowStarts[row], end = RowStarts[row + 1]; j < end; j++)
            {
                column = TIndices.Next(indices, j, column);
                destination[column] = TValues.At(values, t, j);
            }
        }
    }
}
