using System.Runtime.CompilerServices;
namespace MLNetFromScratch.Core.Kernels;

/// <summary>
/// The selected rows of a <see cref="SparseRows"/> matrix, regrouped by column (compressed sparse columns):
/// column c holds the entries <c>Values[j]</c> of batch rows <c>BatchRows[j]</c> for j in
/// [<c>ColumnStarts[c]</c>, <c>ColumnStarts[c + 1]</c>), batch rows ascending. The weight gradient of a sparse
/// first layer reads it, one column of the input at a time. Buffers are allocated once, for a capacity; values are
/// decoded to floats here (a batch's worth), whatever the compact form of the rows.
/// </summary>
public sealed class SparseColumns
{
    private readonly int[] _next;

    /// <summary>Allocates room for batches of up to <paramref name="capacity"/> entries over <paramref name="columns"/> columns.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When a size is negative.</exception>
    public SparseColumns(int columns, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        Columns = columns;
        ColumnStarts = new int[columns + 1];
        _next = new int[columns];
        BatchRows = new int[capacity];
        Values = new float[capacity];
    }

    /// <summary>Columns of the matrix.</summary>
    public int Columns { get; }

    /// <summary>Rows of the last batch built.</summary>
    public int Batch { get; private set; }

    /// <summary>Where each column's entries start, and one past the last column's end: length <see cref="Columns"/> + 1.</summary>
    public int[] ColumnStarts { get; }

    /// <summary>The batch row (0-based position in the row list) of each entry.</summary>
    public int[] BatchRows { get; }

    /// <summary>The value of each entry.</summary>
    public float[] Values { get; }

    /// <summary>Regroups rows <paramref name="rows"/> of <paramref name="source"/> (in that order) by column. Allocates nothing.</summary>
    /// <exception cref="ArgumentException">When the column counts differ, a row is out of range, or the entries exceed the capacity.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Build(SparseRows source, ReadOnlySpan<int> rows)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Columns != Columns)
        {
            throw new ArgumentException($"The matrix has {source.Columns} columns; this holds {Columns}.", nameof(source));
        }

        long total = 0;
        foreach (int row in rows)
        {
            if ((uint)row >= (uint)source.Rows)
            {
                throw new ArgumentException($"Row {row} is outside the matrix's {source.Rows} rows.", nameof(rows));
            }

            total += source.RowStarts[row + 1] - source.RowStarts[row];
        }

        if (total > BatchRows.Length)
        {
            throw new ArgumentException($"The rows hold {total} entries; the capacity is {BatchRows.Length}.", nameof(rows));
        }

        Regroup(source, rows);
        Batch = rows.Length;
    }

    // A counting sort by column: count, prefix sums, then place each entry (decoded); rows and indices are already checked.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Regroup(SparseRows source, ReadOnlySpan<int> rows)
    {
        switch (source.ShortIndices is not null, source.Codes is not null)
        {
            case (true, true): Regroup<UInt16Indices, ByteCodedValues>(source, rows); break;
            case (true, false): Regroup<UInt16Indices, SingleValues>(source, rows); break;
            case (false, true): Regroup<Int32Indices, ByteCodedValues>(source, rows); break;
            default: Regroup<Int32Indices, SingleValues>(source, rows); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe void Regroup<TIndices, TValues>(SparseRows source, ReadOnlySpan<int> rows)
        where TIndices : struct, ISparseIndices
        where TValues : struct, ISparseValues
    {
        Array.Clear(ColumnStarts);
        fixed (int* starts = source.RowStarts, wide = source.WideIndices, columnStarts = ColumnStarts, next = _next, batchRows = BatchRows)
        fixed (ushort* narrow = source.ShortIndices)
        fixed (byte* codes = source.Codes)
        fixed (float* floats = source.FloatValues, table = source.Table, placed = Values)
        {
            void* indices = narrow != null ? narrow : wide;
            void* values = codes != null ? codes : floats;
            int* counts = columnStarts + 1;
            foreach (int row in rows)
            {
                for (nint j = starts[row], end = starts[row + 1]; j < end; j++)
                {
                    counts[TIndices.At(indices, j)]++;
                }
            }

            for (int c = 0; c < Columns; c++)
            {
                next[c] = columnStarts[c];
                columnStarts[c + 1] += columnStarts[c];
            }

            for (int r = 0; r < rows.Length; r++)
            {
                int row = rows[r];
                for (nint j = starts[row], end = starts[row + 1]; j < end; j++)
                {
                    int at = next[TIndices.At(indices, j)]++;
                    batchRows[at] = r;
                    placed[at] = TValues.At(values, table, j);
                }
            }
        }
    }
}
