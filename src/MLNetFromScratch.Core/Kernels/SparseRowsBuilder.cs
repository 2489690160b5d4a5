using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MLNetFromScratch.Core.Kernels;

/// <summary>
/// Builds a <see cref="SparseRows"/> matrix row by row, encoding the entries as they come: values as byte codes while
/// at most 256 distinct non-zero values have been seen (the first 257th turns the codes into floats, once); columns as
/// <see cref="ushort"/> when there are at most 65,536 of them, and before that, while the values are coded and no row
/// has had two consecutive entries more than 256 columns apart, as byte gaps stored with the codes (the first row that
/// breaks either turns them into ushort columns and byte codes, once). Zeros (±0) are left out.
/// </summary>
/// <remarks>
/// The entry arrays start at 65,536 entries (fewer for small matrices) and grow by doubling over the first 256 rows;
/// after that, when <c>expectedRows</c> is given, to the entries the remaining rows need at the rate seen so far plus
/// 1/32, so a data set read once is held at about its encoded size, never twice: on MNIST the arrays are resized
/// once, from 65,536 entries to the estimate.
/// </remarks>
public sealed partial class SparseRowsBuilder
{
    private const int SampleRows = 256;

    private readonly int _expectedRows;
    private int[] _rowStarts;
    private ushort[]? _gapCodes;
    private ushort[]? _origins;
    private ushort[]? _shortIndices;
    private int[]? _wideIndices;
    private byte[]? _codes;
    private float[]? _values;
    private readonly ValueCodes _valueCodes = new();
    private int _capacity;
    private int _count;
    private int _maxRowLength;
    private bool _built;
    private int[] _scratchIndices = [];
    private float[] _scratchValues = [];
    private byte[] _scratchGaps = [];
    private byte[] _scratchCodes = [];

    /// <summary>Starts an empty matrix of <paramref name="columns"/> columns.</summary>
    /// <param name="columns">Columns of every row.</param>
    /// <param name="expectedRows">How many rows are expected (0 if unknown): sizes the row starts and the growth of the entries.</param>
    /// <exception cref="ArgumentOutOfRangeException">When a size is negative.</exception>
    public SparseRowsBuilder(int columns, int expectedRows = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedRows);
        Columns = columns;
        _expectedRows = expectedRows;
        _rowStarts = new int[expectedRows + 1];
        _capacity = (int)Math.Min((long)Math.Clamp(expectedRows, 1, 1024) * columns, 1 << 16);
        if (columns <= ushort.MaxValue + 1)
        {
            _gapCodes = new ushort[_capacity];
            _origins = new ushort[_rowStarts.Length];
        }
        else
        {
            _wideIndices = new int[_capacity];
            _codes = new byte[_capacity];
        }
    }

    /// <summary>Columns of every row.</summary>
    public int Columns { get; }

    /// <summary>Rows appended so far.</summary>
    public int Rows { get; private set; }

    /// <summary>Entries (non-zeros) appended so far.</summary>
    public int Count => _count;

    /// <summary>Appends a row given densely (<see cref="Columns"/> values), keeping its non-zeros.</summary>
    /// <exception cref="ArgumentException">When the row does not have <see cref="Columns"/> values.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AppendDense(ReadOnlySpan<float> row)
    {
        if (row.Length != Columns)
        {
            throw new ArgumentException($"Expected {Columns} values, got {row.Length}.", nameof(row));
        }

        EnsureScratch(Columns + NonZeroPacking.Lanes);
        AppendEntries(NonZeroPacking.Pack(row, _scratchIndices, _scratchValues));
    }

    /// <summary>Appends a row given by its stored slots (as a sparse vector): values[k] at column indices[k], zeros allowed and left out.</summary>
    /// <exception cref="ArgumentException">When the spans differ in length, or the indices do not ascend strictly within [0, <see cref="Columns"/>).</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AppendSparse(ReadOnlySpan<int> indices, ReadOnlySpan<float> values)
    {
        if (indices.Length != values.Length)
        {
            throw new ArgumentException($"{indices.Length} indices for {values.Length} values.", nameof(values));
        }

        EnsureScratch(indices.Length);
        int n = 0, previous = -1;
        for (int k = 0; k < indices.Length; k++)
        {
            int column = indices[k];
            if (column <= previous || column >= Columns)
            {
                throw new ArgumentException($"Index {column} at position {k} is out of order or outside [0, {Columns}).", nameof(indices));
            }

            previous = column;
            if (values[k] != 0f)
            {
                _scratchIndices[n] = column;
                _scratchValues[n++] = values[k];
            }
        }

        AppendEntries(n);
    }

    /// <summary>Appends row <paramref name="row"/> of <paramref name="source"/>.</summary>
    /// <exception cref="ArgumentException">When the column counts differ.</exception>
    /// <exception cref="ArgumentOutOfRangeException">When the row is out of range.</exception>
    public void AppendRow(SparseRows source, int row)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Columns != Columns)
        {
            throw new ArgumentException($"The matrix has {source.Columns} columns; this builds {Columns}.", nameof(source));
        }

        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)row, (uint)source.Rows, nameof(row));
        EnsureScratch(source.RowStarts[row + 1] - source.RowStarts[row]);
        AppendEntries(source.ReadRow(row, _scratchIndices, _scratchValues));
    }

    /// <summary>Makes room for <paramref name="entries"/> entries in all (when known: arrays of the exact size).</summary>
    /// <exception cref="ArgumentException">When more than <see cref="int.MaxValue"/> entries are asked for.</exception>
    public void Reserve(long entries)
    {
        if (entries > _capacity)
        {
            Resize(entries <= Array.MaxLength ? (int)entries : throw new ArgumentException($"More than {Array.MaxLength} entries.", nameof(entries)));
        }
    }

    /// <summary>
    /// The matrix built. The builder hands its arrays over (trimmed only when more than 1/8 of them is spare) and
    /// must not be used afterwards.
    /// </summary>
    public SparseRows Build()
    {
        if (_built)
        {
            throw new InvalidOperationException("The matrix was built; start a new builder.");
        }

        _built = true;
        if (_rowStarts.Length != Rows + 1)
        {
            Array.Resize(ref _rowStarts, Rows + 1);
        }

        if (_origins is not null && _origins.Length != Rows)
        {
            Array.Resize(ref _origins, Rows);
        }

        if (_capacity > _count + (_count / 8) + 4096)
        {
            Resize(_count);
        }

        var rows = new SparseRows(
            Rows, Columns, _rowStarts, _gapCodes, _origins, _shortIndices, _wideIndices, _codes, _values,
            _values is not null ? [] : _valueCodes.Table.ToArray(), _maxRowLength);
        _rowStarts = [0];
        _gapCodes = null;
        _origins = null;
        _shortIndices = null;
        _wideIndices = null;
        _codes = null;
        _values = null;
        return rows;
    }

    // Stores the n entries of the scratch arrays as the next row.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AppendEntries(int n)
    {
        if (_built)
        {
            throw new InvalidOperationException("The matrix was built; start a new builder.");
        }

        Grow((long)_count + n);
        if (Rows + 1 >= _rowStarts.Length)
        {
            Array.Resize(ref _rowStarts, Math.Max(_rowStarts.Length * 2, Rows + 2));
            if (_origins is not null)
            {
                Array.Resize(ref _origins, _rowStarts.Length);
            }
        }

        if (_gapCodes is { } entries)
        {
            if (Gaps(_scratchIndices.AsSpan(0, n), _scratchGaps.AsSpan(0, n))
                && _valueCodes.CodeAll(_scratchValues.AsSpan(0, n), _scratchCodes.AsSpan(0, n)) == n)
            {
                Interleave(_scratchGaps.AsSpan(0, n), _scratchCodes.AsSpan(0, n), entries.AsSpan(_count, n));
                _origins![Rows] = n == 0 ? (ushort)0 : (ushort)_scratchIndices[0];
                EndRow(n);
                return;
            }

            // Coded again below, where the 257th value (if that is what broke the gap form) turns the codes into floats.
            LeaveGapForm();
        }

        if (_shortIndices is { } s)
        {
            Narrow(_scratchIndices.AsSpan(0, n), s.AsSpan(_count, n));
        }
        else if (_wideIndices is not null)
        {
            _scratchIndices.AsSpan(0, n).CopyTo(_wideIndices.AsSpan(_count));
        }

        int done = _codes is { } codes ? _valueCodes.CodeAll(_scratchValues.AsSpan(0, n), codes.AsSpan(_count, n)) : 0;
        if (done < n && _codes is not null)
        {
            ToFloats(_count + done);
        }

        if (done < n)
        {
            _scratchValues.AsSpan(done, n - done).CopyTo(_values.AsSpan(_count + done));
        }

        EndRow(n);
    }

    private void EndRow(int n)
    {
        _count += n;
        _maxRowLength = Math.Max(_maxRowLength, n);
        _rowStarts[++Rows] = _count;
    }

    // The 257th distinct value: the first `stored` codes become floats, once.
    private void ToFloats(int stored)
    {
        var values = new float[_capacity];
        for (int j = 0; j < stored; j++)
        {
            values[j] = _valueCodes.Table[_codes![j]];
        }

        _values = values;
        _codes = null;
    }

    private void Grow(long needed)
    {
        if (needed <= _capacity)
        {
            return;
        }

        if (needed > Array.MaxLength)
        {
            throw new InvalidOperationException($"More than {Array.MaxLength} non-zero entries.");
        }

        long grown;
        if (Rows >= SampleRows && _expectedRows > Rows + 1)
        {
            // The remaining rows at the rate seen so far, plus 1/32; at least 1/8 more than now.
            double perRow = _count / (double)Rows;
            grown = Math.Max(needed + (long)(perRow * (_expectedRows - Rows - 1) * 33 / 32) + 4096, _capacity + (_capacity / 8));
        }
        else
        {
            grown = Math.Max(needed, (long)_capacity * 2);
        }

        Resize((int)Math.Min(grown, Array.MaxLength));
    }

    private void Resize(int capacity)
    {
        if (_gapCodes is not null)
        {
            Array.Resize(ref _gapCodes, capacity);
            _capacity = capacity;
            return;
        }

        if (_shortIndices is not null)
        {
            Array.Resize(ref _shortIndices, capacity);
        }
        else
        {
            Array.Resize(ref _wideIndices, capacity);
        }

        if (_codes is not null)
        {
            Array.Resize(ref _codes, capacity);
        }
        else
        {
            Array.Resize(ref _values, capacity);
        }

        _capacity = capacity;
    }

    private void EnsureScratch(int length)
    {
        if (_scratchIndices.Length < length)
        {
            _scratchIndices = new int[length];
            _scratchValues = new float[length];
            _scratchGaps = new byte[length];
            _scratchCodes = new byte[length];
        }
    }
}
