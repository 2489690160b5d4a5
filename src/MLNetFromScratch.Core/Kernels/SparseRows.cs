using System.Numerics;
using System.Runtime.Intrinsics;

namespace MLNetFromScratch.Core.Kernels;

/// <summary>
/// A matrix stored by rows with its zeros left out (compressed sparse rows): row r holds the entries
/// <c>Values[j]</c> at columns <c>Indices[j]</c> for j in [<c>RowStarts[r]</c>, <c>RowStarts[r + 1]</c>), columns
/// ascending. Used for inputs that are mostly zeros (pixels, one-hot codes), where the first layer's products
/// only need the non-zero entries.
/// </summary>
/// <remarks>
/// Only built from a dense matrix, so every index is in range and in order. −0 counts as zero and is left out;
/// NaN and infinities are kept.
/// </remarks>
public sealed class SparseRows
{
    private SparseRows(int rows, int columns, int[] rowStarts, int[] indices, float[] values, int maxRowLength)
    {
        Rows = rows;
        Columns = columns;
        RowStarts = rowStarts;
        Indices = indices;
        Values = values;
        MaxRowLength = maxRowLength;
    }

    /// <summary>Rows of the matrix.</summary>
    public int Rows { get; }

    /// <summary>Columns of the matrix.</summary>
    public int Columns { get; }

    /// <summary>Where each row's entries start, and one past the last row's end: length <see cref="Rows"/> + 1.</summary>
    public int[] RowStarts { get; }

    /// <summary>The column of each entry.</summary>
    public int[] Indices { get; }

    /// <summary>The value of each entry.</summary>
    public float[] Values { get; }

    /// <summary>The most entries any one row has.</summary>
    public int MaxRowLength { get; }

    /// <summary>Entries stored, the non-zero count.</summary>
    public int Count => RowStarts[Rows];

    /// <summary>The fraction of the matrix that is stored: <see cref="Count"/> / (rows × columns).</summary>
    public double Density => Rows == 0 || Columns == 0 ? 0 : Count / ((double)Rows * Columns);

    /// <summary>Stores the non-zero entries of <paramref name="dense"/> (rows × columns, row-major).</summary>
    /// <exception cref="ArgumentOutOfRangeException">When a size is negative.</exception>
    /// <exception cref="ArgumentException">When the span is shorter than its shape, or more than <see cref="int.MaxValue"/> entries are non-zero.</exception>
    public static SparseRows FromDense(ReadOnlySpan<float> dense, int rows, int columns, ComputeContext? context = null) =>
        TryFromDense(dense, rows, columns, maxDensity: 1.0, context)!;

    /// <summary>
    /// Stores the non-zero entries of <paramref name="dense"/> if at most <paramref name="maxDensity"/> of them are
    /// non-zero; otherwise returns <see langword="null"/> after one counting pass. Both passes run on the threads of
    /// <paramref name="context"/> (<see langword="null"/>: <see cref="ComputeContext.Default"/>), split by rows.
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

        context ??= ComputeContext.Default;
        var rowStarts = new int[rows + 1];
        fixed (float* source = dense)
        fixed (int* starts = rowStarts)
        {
            // Pass 1: each row's length into starts[r + 1].
            var job = new ConversionJob(source, rows, columns, starts, null, null);
            context.Run(job.ChunkCount, &CountChunk, &job);
            long total = 0;
            int maxRowLength = 0;
            for (int r = 1; r <= rows; r++)
            {
                maxRowLength = Math.Max(maxRowLength, starts[r]);
                total += starts[r];
                if (total > int.MaxValue)
                {
                    throw new ArgumentException($"More than {int.MaxValue} non-zero entries.", nameof(dense));
                }

                starts[r] = (int)total;
            }

            if (total > maxDensity * rows * columns)
            {
                return null;
            }

            // Pass 2: the entries, each row at its start.
            var indices = new int[total];
            var values = new float[total];
            fixed (int* pi = indices)
            fixed (float* pv = values)
            {
                job = new ConversionJob(source, rows, columns, starts, pi, pv);
                context.Run(job.ChunkCount, &FillChunk, &job);
            }

            return new SparseRows(rows, columns, rowStarts, indices, values, maxRowLength);
        }
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

    private const int ConversionRowGroup = 256;

    private readonly unsafe struct ConversionJob(float* dense, int rows, int columns, int* starts, int* indices, float* values)
    {
        public readonly float* Dense = dense;
        public readonly int Rows = rows;
        public readonly int Columns = columns;
        public readonly int* Starts = starts;
        public readonly int* Indices = indices;
        public readonly float* Values = values;
        public readonly int ChunkCount = (rows + ConversionRowGroup - 1) / ConversionRowGroup;
    }

    private static unsafe void CountChunk(void* state, int chunk)
    {
        ref readonly ConversionJob job = ref *(ConversionJob*)state;
        int r1 = Math.Min((chunk + 1) * ConversionRowGroup, job.Rows);
        for (int r = chunk * ConversionRowGroup; r < r1; r++)
        {
            job.Starts[r + 1] = CountNonZeros(new ReadOnlySpan<float>(job.Dense + ((nint)r * job.Columns), job.Columns));
        }
    }

    private static unsafe void FillChunk(void* state, int chunk)
    {
        ref readonly ConversionJob job = ref *(ConversionJob*)state;
        int r1 = Math.Min((chunk + 1) * ConversionRowGroup, job.Rows);
        for (int r = chunk * ConversionRowGroup; r < r1; r++)
        {
            Fill(job.Dense + ((nint)r * job.Columns), job.Columns, job.Indices + job.Starts[r], job.Values + job.Starts[r]);
        }
    }

    // Eight at a time: a bit mask of the non-zero lanes, then one store per set bit.
    private static unsafe void Fill(float* row, int columns, int* indices, float* values)
    {
        int n = 0, c = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; c + Vector256<float>.Count <= columns; c += Vector256<float>.Count)
            {
                uint zero = Vector256.Equals(Vector256.Load(row + c), Vector256<float>.Zero).ExtractMostSignificantBits();
                for (uint set = ~zero & 0xFF; set != 0; set &= set - 1)
                {
                    int at = c + BitOperations.TrailingZeroCount(set);
                    indices[n] = at;
                    values[n] = row[at];
                    n++;
                }
            }
        }

        for (; c < columns; c++)
        {
            if (row[c] != 0f)
            {
                indices[n] = c;
                values[n] = row[c];
                n++;
            }
        }
    }
}
