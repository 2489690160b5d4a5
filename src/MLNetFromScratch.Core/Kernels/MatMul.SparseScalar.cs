namespace MLNetFromScratch.Core.Kernels;

// The sparse products without SIMD, the twins the vector kernels are tested against.
public static partial class MatMul
{
    // The same sums without SIMD: one fused multiply-add per entry and element, in the same order, so the same bits.
    internal static void ScalarSparseForward(
        Span<float> y, SparseRows x, ReadOnlySpan<int> rows, ReadOnlySpan<float> wT, ReadOnlySpan<float> bias, int outputs)
    {
        for (int r = 0; r < rows.Length; r++)
        {
            Span<float> yr = y.Slice(r * outputs, outputs);
            bias[..outputs].CopyTo(yr);
            int column = x.RowOrigins is { } origins ? origins[rows[r]] - 1 : -1;
            for (int j = x.RowStarts[rows[r]]; j < x.RowStarts[rows[r] + 1]; j++)
            {
                column = x.GapCodes is { } entries ? column + 1 + (entries[j] >> 8) : x.ColumnAt(j);
                ScalarAxpy(yr, x.ValueAt(j), wT.Slice(column * outputs, outputs));
            }
        }
    }

    internal static void ScalarSparseBackwardWeights(
        Span<float> dwT, Span<float> db, SparseColumns x, ReadOnlySpan<float> dy, float scale, int outputs)
    {
        for (int o = 0; o < outputs; o++)
        {
            float sum = 0;
            for (int r = 0; r < x.Batch; r++)
            {
                sum += dy[(r * outputs) + o];
            }

            db[o] = sum * scale;
        }

        for (int c = 0; c < x.Columns; c++)
        {
            Span<float> row = dwT.Slice(c * outputs, outputs);
            row.Clear();
            for (int j = x.ColumnStarts[c]; j < x.ColumnStarts[c + 1]; j++)
            {
                ScalarAxpy(row, x.Values[j], dy.Slice(x.BatchRows[j] * outputs, outputs));
            }

            for (int o = 0; o < outputs; o++)
            {
                row[o] *= scale;
            }
        }
    }

    private static void ScalarAxpy(Span<float> destination, float factor, ReadOnlySpan<float> source)
    {
        for (int o = 0; o < destination.Length; o++)
        {
            destination[o] = MathF.FusedMultiplyAdd(factor, source[o], destination[o]);
        }
    }
}
