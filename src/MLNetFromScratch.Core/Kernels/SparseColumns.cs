using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
namespace MLNetFromScratch.Core.Kernels;

/// <summary>
/// The selected rows of a <see cref="SparseRows"/> matrix, regrouped by column (compressed sparse columns):
/// column c holds the entries <c>Values[j]</c> of batch rows <c>BatchRows[j]</c> for j in
/// [<c>ColumnStarts[c]</c>, <c>ColumnStarts[c + 1]</c>), batch rows ascending. The weight gradient of a sparse
/// first layer reads it, one column of the input at a time. Buffers are allocated once, for a capacity; values are
/// decoded to floats here (a batch's worth), whatever the compact form of the rows.
/// </summary>
/// <remarks>
/// A build is a counting sort by column in two independent parts: columns below a split column, whose entries fill
/// the buffers from the front, and the others, which fill them from the back (the total is known beforehand). A row's
/// entries are in column order, so each part reads a prefix or a suffix of every row. The parts may run on two
/// threads at once; the result is the same whichever split is used, so it is chosen to balance them: where the
/// previous batch's entries were halved. On one thread the first part takes every column.
/// </remarks>
public sealed class SparseColumns
{
    /// <summary>How many independent parts a build has (see <see cref="BuildPart"/>).</summary>
    internal const int PartCount = 2;

    private readonly int[] _next;
    private int _split;

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
        BeginBuild(source, rows, split: false);
        for (int part = 0; part < PartCount; part++)
        {
            BuildPart(source, rows, part);
        }
    }

    /// <summary>
    /// <see cref="Build(SparseRows, ReadOnlySpan{int})"/> with its two parts on the threads of <paramref name="context"/>
    /// (<see langword="null"/>: <see cref="ComputeContext.Default"/>); the same result. Allocates nothing.
    /// </summary>
    /// <exception cref="ArgumentException">When the column counts differ, a row is out of range, or the entries exceed the capacity.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public unsafe void Build(SparseRows source, ReadOnlySpan<int> rows, ComputeContext? context)
    {
        context ??= ComputeContext.Default;
        BeginBuild(source, rows, split: context.MaxDegreeOfParallelism > 1);
        fixed (int* pr = rows)
        {
            var job = new BuildJob(this, source, pr, rows.Length);

            // The job lives on this stack frame, which stays put until Run returns, so the helpers may hold its address.
            context.Run(PartCount, &RunPart, Unsafe.AsPointer(ref job));
        }
    }

    /// <summary>
    /// Checks the arguments of a build, records the batch and picks the split (past the last column, leaving part 1
    /// nothing, when <paramref name="split"/> is false: one thread does the whole build a little faster in one part);
    /// the parts (<see cref="BuildPart"/>, with the same arguments) then do the rest and cannot fail.
    /// </summary>
    /// <exception cref="ArgumentException">When the column counts differ, a row is out of range, or the entries exceed the capacity.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void BeginBuild(SparseRows source, ReadOnlySpan<int> rows, bool split)
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

        // The first column at which the previous batch had half its entries (the middle column at first).
        int[] starts = ColumnStarts;
        int half = starts[Columns] / 2, low = 0, high = Columns;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (starts[middle] < half)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        _split = !split ? Columns : starts[Columns] == 0 ? Columns / 2 : low;
        starts[Columns] = (int)total;
        Batch = rows.Length;
    }

    /// <summary>
    /// Part <paramref name="part"/> (0 or 1) of the build that <see cref="BeginBuild"/> checked: the columns below the
    /// split, placed from the front, or the others, placed from the back. Writes only its own columns' starts and
    /// entries, so the two parts may run at the same time. Allocates nothing.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void BuildPart(SparseRows source, ReadOnlySpan<int> rows, int part)
    {
        switch (source.IndexBytes, source.Codes is not null)
        {
            case (1, _): BuildPart<GapCodedEntries, GapCodedEntries>(source, rows, part); break;
            case (2, true): BuildPart<UInt16Indices, ByteCodedValues>(source, rows, part); break;
            case (2, false): BuildPart<UInt16Indices, SingleValues>(source, rows, part); break;
            case (_, true): BuildPart<Int32Indices, ByteCodedValues>(source, rows, part); break;
            default: BuildPart<Int32Indices, SingleValues>(source, rows, part); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void RunPart(void* state, int part)
    {
        ref readonly BuildJob job = ref Unsafe.AsRef<BuildJob>(state);
        job.Columns.BuildPart(job.Source, new ReadOnlySpan<int>(job.Rows, job.Batch), part);
    }

    // A counting sort of one part: count its columns' entries, prefix sums from the part's first entry, then place each
    // entry (decoded) at its column's next slot, rows in order. Part 0 takes the prefix of every row with columns below
    // the split, part 1 the suffix from there on. The loops are methods of their own, taking plain pointers: the pinned
    // locals of a fixed statement live on the stack, and the loops would load (and store) them at every entry.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe void BuildPart<TIndices, TValues>(SparseRows source, ReadOnlySpan<int> rows, int part)
        where TIndices : struct, ISparseIndices
        where TValues : struct, ISparseValues
    {
        int split = _split;
        int first = part == 0 ? 0 : split, last = part == 0 ? split : Columns;
        if (first == last)
        {
            return; // no columns (one thread: part 1), so no entries: nothing to read
        }

        fixed (int* starts = source.RowStarts, wide = source.WideIndices, columnStarts = ColumnStarts, next = _next, batchRows = BatchRows, pr = rows)
        fixed (ushort* narrow = source.ShortIndices, origins = source.RowOrigins, gaps = source.GapCodes)
        fixed (byte* codes = source.Codes)
        fixed (float* floats = source.FloatValues, table = source.Table, placed = Values)
        {
            var rowsOf = new RowEntries(pr, rows.Length, starts, origins, gaps != null ? gaps : narrow != null ? narrow : wide, split, part != 0);
            void* values = gaps != null ? gaps : codes != null ? codes : floats;
            new Span<int>(next + first, last - first).Clear();
            Count<TIndices>(rowsOf, next);
            int at = 0;
            if (part != 0)
            {
                at = columnStarts[Columns];
                for (int c = first; c < last; c++)
                {
                    at -= next[c];
                }
            }

            for (int c = first; c < last; c++)
            {
                int count = next[c];
                columnStarts[c] = at;
                next[c] = at;
                at += count;
            }

            Place<TIndices, TValues>(rowsOf, values, table, next, batchRows, placed);
        }
    }

    // What the loops of a part read: the batch's rows of the source and which part of each row is theirs.
    private readonly unsafe struct RowEntries(int* rows, int batch, int* starts, ushort* origins, void* indices, int split, bool back)
    {
        public readonly int* Rows = rows;
        public readonly int Batch = batch;
        public readonly int* Starts = starts;
        public readonly ushort* Origins = origins;
        public readonly void* Indices = indices;
        public readonly int Split = split;
        public readonly bool Back = back;
    }

    // Where the part's entries of the batch's row r start and end, and the column before the first of them. The prefix
    // below the split starts at the row's start; the suffix from the split on is found from the row's end where the
    // columns can be read in any order, else (byte gaps) by reading the row from its start.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe (nint Begin, nint End, int Before) PartOf<TIndices>(in RowEntries rows, int r)
        where TIndices : struct, ISparseIndices
    {
        int row = rows.Rows[r];
        nint begin = rows.Starts[row], end = rows.Starts[row + 1];
        int before = TIndices.Before(rows.Origins, row);
        if (!rows.Back)
        {
            return (begin, end, before);
        }

        void* indices = rows.Indices;
        int split = rows.Split;
        if (TIndices.RandomAccess)
        {
            nint from = end;
            while (from > begin && TIndices.Next(indices, from - 1, -1) >= split)
            {
                from--;
            }

            return (from, end, -1);
        }

        if (typeof(TIndices) == typeof(GapCodedEntries))
        {
            begin = SkipGapsBelow((ushort*)indices, begin, end, ref before, split);
        }

        for (; begin < end; begin++)
        {
            int column = TIndices.Next(indices, begin, before);
            if (column >= split)
            {
                break;
            }

            before = column;
        }

        return (begin, end, before);
    }

    // Skips whole groups of 8 gap-coded entries whose columns are all below the split (the last one's is), summing
    // their gaps 8 at a time; returns where to go on one at a time, with the column before it in before.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe nint SkipGapsBelow(ushort* entries, nint begin, nint end, ref int before, int split)
    {
        int column = before;
        for (; begin + Vector128<ushort>.Count <= end; begin += Vector128<ushort>.Count)
        {
            Vector128<ushort> steps = Vector128.ShiftRightLogical(Vector128.Load(entries + begin), 8) + Vector128<ushort>.One;
            int last = column + Vector128.Sum(steps);
            if (last >= split)
            {
                break;
            }

            column = last;
        }

        before = column;
        return begin;
    }

    // counts[c] += the entries of column c in the rows' prefixes below split (or suffixes from split on, when back).
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static unsafe void Count<TIndices>(in RowEntries rows, int* counts)
        where TIndices : struct, ISparseIndices
    {
        void* indices = rows.Indices;
        int limit = rows.Back ? int.MaxValue : rows.Split; // a suffix starts at the split: all of it is the part's
        for (int r = 0; r < rows.Batch; r++)
        {
            (nint j, nint end, int c) = PartOf<TIndices>(rows, r);
            for (; j < end; j++)
            {
                c = TIndices.Next(indices, j, c);
                if (c >= limit)
                {
                    break;
                }

                counts[c]++;
            }
        }
    }

    // Places the entries of the rows' prefixes below split (or suffixes from split on, when back) at next[c]++.
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static unsafe void Place<TIndices, TValues>(in RowEntries rows, void* values, float* table, int* next, int* batchRows, float* placed)
        where TIndices : struct, ISparseIndices
        where TValues : struct, ISparseValues
    {
        void* indices = rows.Indices;
        int limit = rows.Back ? int.MaxValue : rows.Split;
        for (int r = 0; r < rows.Batch; r++)
        {
            (nint j, nint end, int c) = PartOf<TIndices>(rows, r);
            for (; j < end; j++)
            {
                c = TIndices.Next(indices, j, c);
                if (c >= limit)
                {
                    break;
                }

                int slot = next[c]++;
                batchRows[slot] = r;
                placed[slot] = TValues.At(TValues.InIndices ? indices : values, table, j);
            }
        }
    }

    private readonly unsafe struct BuildJob(SparseColumns columns, SparseRows source, int* rows, int batch)
    {
        public readonly SparseColumns Columns = columns;
        public readonly SparseRows Source = source;
        public readonly int* Rows = rows;
        public readonly int Batch = batch;
    }
}
