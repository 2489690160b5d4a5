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
    public static SparseRows FromDense(ReadOnlySpan<float> dense, int rows, int columns) =>
        TryFromDense(dense, rows, columns, maxDensity: 1.0)!;

    /// <summary>
    /// Stores the non-zero entries of <paramref name="dense"/> if at most <paramref name="maxDensity"/> of them are
    /// non-zero; otherwise returns <see langword="null"/> after one counting pass.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">When a size is negative or the density is not in [0, 1].</exception>
    /// <exception cref="ArgumentException">When the span is shorter than its shape.</exception>
    public static SparseRows? TryFromDense(ReadOnlySpan<float> dense, int rows, int columns, double maxDensity)
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

        var rowStarts = new int[rows + 1];
        long total = 0;
        int maxRowLength = 0;
        for (int r = 0; r < rows; r++)
        {
            int count = CountNonZeros(dense.Slice(r * columns, columns));
            maxRowLength = Math.Max(maxRowLength, count);
            total += count;
            if (total > int.MaxValue)
            {
                throw new ArgumentException($"More than {int.MaxValue} non-zero entries.", nameof(dense));
            }

            rowStarts[r + 1] = (int)total;
        }

        if (total > maxDensity * rows * columns)
        {
            return null;
        }

        var indices = new int[total];
        var values = new float[total];
        for (int r = 0; r < rows; r++)
        {
            Fill(dense.Slice(r * columns, columns), indices.AsSpan(rowStarts[r]), values.AsSpan(rowStarts[r]));
        }

        return new SparseRows(rows, columns, rowStarts, indices, values, maxRowLength);
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

    // Eight at a time: a bit mask of the non-zero lanes, then one store per set bit.
    private static void Fill(ReadOnlySpan<float> row, Span<int> indices, Span<float> values)
    {
        int n = 0, c = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; c + Vector256<float>.Count <= row.Length; c += Vector256<float>.Count)
            {
                uint zero = Vector256.Equals(Vector256.Create(row.Slice(c, Vector256<float>.Count)), Vector256<float>.Zero).ExtractMostSignificantBits();
                for (uint set = ~zero & 0xFF; set != 0; set &= set - 1)
                {
                    int lane = BitOperations.TrailingZeroCount(set);
                    indices[n] = c + lane;
                    values[n] = row[c + lane];
                    n++;
                }
            }
        }

        for (; c < row.Length; c++)
        {
            float v = row[c];
            if (v != 0f)
            {
                indices[n] = c;
                values[n] = v;
                n++;
            }
        }
    }
}
