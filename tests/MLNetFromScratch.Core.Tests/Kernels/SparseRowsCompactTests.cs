using System.Runtime.InteropServices;
using MLNetFromScratch.Core.Kernels;

namespace MLNetFromScratch.Core.Tests.Kernels;

/// <summary>
/// The compact forms of <see cref="SparseRows"/> (byte gaps, ushort or int columns; byte-coded or float values): each is chosen
/// when it should be, holds exactly the matrix it was given, and the sparse kernels read every form to the same bits
/// as a naive loop over the dense matrix (one fused multiply-add per non-zero, in column order).
/// </summary>
public sealed class SparseRowsCompactTests
{
    private static readonly ComputeContext s_two = new(2);

    public static TheoryData<int, bool, int> Forms() => new()
    {
        { 97, true, 1 },
        { 97, false, 2 }, // over 256 distinct values: codes, so gaps, are out
        { 784, true, 1 },
        { 784, false, 2 },
        { 65_536, true, 2 },
        { 70_000, true, 4 },
        { 70_000, false, 4 },
    };

    [Theory]
    [MemberData(nameof(Forms))]
    public void SparseKernels_EachCompactForm_SameBitsAsNaiveDenseTwin(int inputs, bool coded, int indexBytes)
    {
        var random = new Random(inputs + (coded ? 1 : 0));
        const int pool = 40, batch = 37, outputs = 70; // 70: two full 32-wide slices and a masked remainder
        float[] dense = MatrixOfForm(random, pool, inputs, nonZerosPerRow: 25, coded, indexBytes);
        SparseRows x = SparseRows.FromDense(dense, pool, inputs);
        Assert.Equal(indexBytes, x.IndexBytes);
        Assert.Equal(coded, x.HasValueCodes);
        int[] rows = [3, .. Enumerable.Range(0, batch - 1).Select(_ => random.Next(pool))];
        float[] wT = MatMulReference.Random(random, inputs * outputs);
        float[] bias = MatMulReference.Random(random, outputs);
        float[] dy = MatMulReference.Random(random, batch * outputs);
        const float scale = 0.41f;
        (float[] yTwin, float[] dwTwin, float[] dbTwin) = NaiveTwin(dense, inputs, rows, wT, bias, dy, scale, outputs);

        var columns = new SparseColumns(inputs, batch * x.MaxRowLength);
        columns.Build(x, rows);
        foreach (ComputeContext context in new[] { ComputeContext.SingleThreaded, s_two })
        {
            float[] y = new float[batch * outputs], dwT = new float[inputs * outputs], db = new float[outputs];
            MatMul.SparseForward(y, x, rows, wT, bias, outputs, context);
            MatMul.SparseBackwardWeights(dwT, db, columns, dy, scale, outputs, context);
            AssertBits(yTwin, y, "y");
            AssertBits(dwTwin, dwT, "dwT");
            AssertBits(dbTwin, db, "db");
        }

        float[] yScalar = new float[batch * outputs];
        MatMul.ScalarSparseForward(yScalar, x, rows, wT, bias, outputs);
        AssertBits(yTwin, yScalar, "scalar y");
    }

    [Theory]
    [InlineData(256, true)]
    [InlineData(257, false)]
    public void Builder_DistinctValues_CodesUpTo256ThenFloatsKeepingEveryValue(int distinct, bool coded)
    {
        // The values come in a shuffled order, so the 257th distinct one arrives in the middle of a row.
        var random = new Random(distinct);
        float[] values = [.. Enumerable.Range(1, distinct).Select(k => k / 7f)];
        const int columns = 50;
        int rows = (distinct / 20) + 3;
        var dense = new float[rows * columns];
        int next = 0;
        for (int i = 0; i < dense.Length; i += 2)
        {
            dense[i] = values[next++ % distinct];
        }

        random.Shuffle(dense);
        var builder = new SparseRowsBuilder(columns);
        for (int r = 0; r < rows; r++)
        {
            builder.AppendDense(dense.AsSpan(r * columns, columns));
        }

        SparseRows x = builder.Build();

        Assert.Equal(coded, x.HasValueCodes);
        Assert.Equal(coded ? 1 : 2, x.IndexBytes); // the gaps are stored with the codes
        Assert.Equal(coded ? distinct : 0, x.ValueTable.Length);
        AssertSameMatrix(dense, x);
    }

    [Theory]
    [InlineData(65_535, 2)]
    [InlineData(65_536, 2)]
    [InlineData(65_537, 4)]
    public void Builder_ColumnCount_UShortIndicesUpTo65536Columns(int columns, int indexBytes)
    {
        var builder = new SparseRowsBuilder(columns);
        builder.AppendSparse([0, 1000, columns - 1], [1f, 0f, -2f]);
        builder.AppendSparse([], []);
        builder.AppendSparse([columns - 2], [3f]);
        SparseRows x = builder.Build();

        Assert.Equal(indexBytes, x.IndexBytes);
        Assert.Equal(3, x.Count); // the stored zero is left out
        Assert.Equal(new[] { 0, 2, 2, 3 }, x.RowStarts);
        Assert.Equal(new[] { 0, columns - 1, columns - 2 }, Enumerable.Range(0, 3).Select(x.ColumnAt));
        Assert.Equal(new[] { 1f, -2f, 3f }, Enumerable.Range(0, 3).Select(x.ValueAt));
    }

    [Fact]
    public void Builder_ExpectedRowsAndDensityChangingHalfWay_GrowsAndHoldsEveryRow()
    {
        // 1,500 rows, then 1,500 rows four times as dense: the estimate made when the first 65,536 entries are full
        // (about row 1,100) is too small and the arrays grow again. The matrix is still exactly the rows given.
        var random = new Random(8);
        const int rows = 3000, columns = 1000;
        float[] dense = [.. Matrix(random, rows / 2, columns, 60, coded: true), .. Matrix(random, rows / 2, columns, 240, coded: true)];
        var builder = new SparseRowsBuilder(columns, expectedRows: rows);
        for (int r = 0; r < rows; r++)
        {
            builder.AppendDense(dense.AsSpan(r * columns, columns));
        }

        SparseRows x = builder.Build();

        AssertSameMatrix(dense, x);
        Assert.True(x.StorageBytes <= (rows + 1) * 4 + (x.Count * 3 * 9 / 8) + (4096 * 3) + 1024, $"{x.StorageBytes} bytes for {x.Count} entries");
    }

    [Fact]
    public void Builder_BadRowsAndReuse_Throw()
    {
        var builder = new SparseRowsBuilder(5);
        Assert.Throws<ArgumentException>(() => builder.AppendDense(new float[4]));
        Assert.Throws<ArgumentException>(() => builder.AppendSparse([2, 1], [1f, 1f]));
        Assert.Throws<ArgumentException>(() => builder.AppendSparse([5], [1f]));
        Assert.Throws<ArgumentException>(() => builder.AppendSparse([1], [1f, 2f]));
        builder.AppendSparse([4], [-0f]);
        SparseRows x = builder.Build();
        Assert.Equal(0, x.Count);
        Assert.Equal(1, x.Rows);
        Assert.Throws<InvalidOperationException>(() => builder.AppendDense(new float[5]));
        Assert.Throws<InvalidOperationException>(builder.Build);
    }

    [Fact]
    public void SelectAndCopyRowTo_AnyForm_GiveTheDenseRows()
    {
        var random = new Random(3);
        const int columns = 300;
        foreach ((bool coded, int indexBytes) in new[] { (true, 1), (false, 1), (true, 2), (false, 2) })
        {
            float[] dense = MatrixOfForm(random, 20, columns, 7, coded, indexBytes);
            SparseRows x = SparseRows.FromDense(dense, 20, columns);
            Assert.Equal(indexBytes, x.IndexBytes);
            int[] picked = [19, 0, 7, 7, 1];
            SparseRows selected = x.Select(picked);
            Assert.Equal(indexBytes, selected.IndexBytes);
            AssertSameMatrix([.. picked.SelectMany(r => dense.Skip(r * columns).Take(columns))], selected);
            var row = Enumerable.Repeat(9f, columns + 7).ToArray();
            x.CopyRowTo(7, row);
            Assert.Equal(dense.Skip(7 * columns).Take(columns), row.Take(columns));
            Assert.Equal(9f, row[columns]);
        }
    }

    [Theory]
    [InlineData(256, 1)]
    [InlineData(257, 2)]
    public void Builder_ColumnsApartInARow_GapsUpTo256ThenUShortColumnsKeepingEveryRow(int apart, int indexBytes)
    {
        // Rows in the gap form first (one starting past column 255, one empty), then a row whose entries are
        // `apart` columns apart, then more rows: over 256 columns apart turns the gaps stored so far into columns.
        const int columns = 1000;
        var random = new Random(apart);
        var dense = new float[12 * columns];
        for (int r = 0; r < 12; r++)
        {
            int origin = r == 2 ? 700 : random.Next(columns - 200);
            for (int k = 0; k < 30 && r != 3; k++)
            {
                dense[(r * columns) + origin + random.Next(200)] = random.Next(1, 256) / 255f;
            }
        }

        dense.AsSpan(5 * columns, columns).Clear();
        dense[(5 * columns) + 100] = 1f;
        dense[(5 * columns) + 100 + apart] = 0.5f;
        var builder = new SparseRowsBuilder(columns);
        for (int r = 0; r < 12; r++)
        {
            builder.AppendDense(dense.AsSpan(r * columns, columns));
        }

        SparseRows x = builder.Build();

        Assert.Equal(indexBytes, x.IndexBytes);
        AssertSameMatrix(dense, x);
        int[] expectedColumns = [.. Enumerable.Range(0, dense.Length).Where(i => dense[i] != 0f).Select(i => i % columns)];
        Assert.Equal(expectedColumns, Enumerable.Range(0, x.Count).Select(x.ColumnAt));
    }

    /// <summary>
    /// Rows with about <paramref name="nonZerosPerRow"/> non-zeros, which the builder stores with columns of
    /// <paramref name="indexBytes"/> bytes: 1, each row's non-zeros within 200 columns of each other (row 3's ending at
    /// the last column), coded values; 2, the same but row 1 holding only its first and last columns (more than 256
    /// apart where there are over 257 columns), or values not coded (random floats, more than 256 of them); 4, anywhere
    /// (needs over 65,536 columns). Values k/255 (coded) or random floats.
    /// </summary>
    internal static float[] MatrixOfForm(Random random, int rows, int columns, int nonZerosPerRow, bool coded, int indexBytes)
    {
        if (indexBytes == 4)
        {
            float[] anywhere = Matrix(random, rows, columns, nonZerosPerRow, coded);
            anywhere[(3 * columns) + columns - 1] = coded ? 1f : 0.123f;
            return anywhere;
        }

        int window = Math.Min(columns, 200);
        var values = new float[rows * columns];
        for (int r = 0; r < rows; r++)
        {
            int origin = r == 3 ? columns - window : random.Next(columns - window + 1);
            for (int k = 0; k < nonZerosPerRow; k++)
            {
                values[(r * columns) + origin + random.Next(window)] = Value(random, coded);
            }
        }

        if (rows > 3)
        {
            values[(3 * columns) + columns - 1] = coded ? 1f : 0.123f;
        }

        if (indexBytes == 2 && rows > 1)
        {
            values.AsSpan(columns, columns).Clear();
            values[columns] = Value(random, coded);
            values[(2 * columns) - 1] = Value(random, coded);
        }

        return values;
    }

    private static float Value(Random random, bool coded) => coded ? random.Next(1, 256) / 255f : (float)((random.NextDouble() * 2) - 1);

    /// <summary>Rows with about <paramref name="nonZerosPerRow"/> non-zeros: values k/255 (coded) or random floats.</summary>
    internal static float[] Matrix(Random random, int rows, int columns, int nonZerosPerRow, bool coded)
    {
        var values = new float[rows * columns];
        for (int r = 0; r < rows; r++)
        {
            for (int k = 0; k < nonZerosPerRow; k++)
            {
                values[(r * columns) + random.Next(columns)] = coded ? random.Next(1, 256) / 255f : (float)((random.NextDouble() * 2) - 1);
            }
        }

        return values;
    }

    // y[r, o] = bias[o] then one FMA per non-zero of row rows[r], columns ascending; dwT[i, o] = (Σ over batch rows
    // ascending where x ≠ 0, one FMA each, from 0)·scale; db[o] = (Σ dy[r, o] over r ascending)·scale.
    private static (float[] Y, float[] DwT, float[] Db) NaiveTwin(
        float[] dense, int inputs, int[] rows, float[] wT, float[] bias, float[] dy, float scale, int outputs)
    {
        int batch = rows.Length;
        var y = new float[batch * outputs];
        for (int r = 0; r < batch; r++)
        {
            int[] nonZero = [.. Enumerable.Range(0, inputs).Where(i => dense[((long)rows[r] * inputs) + i] != 0f)];
            for (int o = 0; o < outputs; o++)
            {
                float acc = bias[o];
                foreach (int i in nonZero)
                {
                    acc = MathF.FusedMultiplyAdd(dense[((long)rows[r] * inputs) + i], wT[((long)i * outputs) + o], acc);
                }

                y[(r * outputs) + o] = acc;
            }
        }

        var dwT = new float[inputs * outputs];
        for (int i = 0; i < inputs; i++)
        {
            int[] nonZero = [.. Enumerable.Range(0, batch).Where(r => dense[((long)rows[r] * inputs) + i] != 0f)];
            for (int o = 0; o < outputs; o++)
            {
                float acc = 0;
                foreach (int r in nonZero)
                {
                    acc = MathF.FusedMultiplyAdd(dense[((long)rows[r] * inputs) + i], dy[(r * outputs) + o], acc);
                }

                dwT[((long)i * outputs) + o] = acc * scale;
            }
        }

        var db = new float[outputs];
        for (int o = 0; o < outputs; o++)
        {
            float sum = 0;
            for (int r = 0; r < batch; r++)
            {
                sum += dy[(r * outputs) + o];
            }

            db[o] = sum * scale;
        }

        return (y, dwT, db);
    }

    private static void AssertSameMatrix(float[] dense, SparseRows x)
    {
        int columns = x.Columns;
        Assert.Equal(dense.Length, x.Rows * columns);
        var row = new float[columns];
        for (int r = 0; r < x.Rows; r++)
        {
            x.CopyRowTo(r, row);
            AssertBits(dense.AsSpan(r * columns, columns).ToArray(), row, $"row {r}");
        }

        Assert.Equal(dense.Count(v => v != 0f), x.Count);
    }

    private static void AssertBits(float[] expected, float[] actual, string what) =>
        Assert.True(
            MemoryMarshal.AsBytes(expected.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(actual.AsSpan())),
            $"{what}: not the same bits.");
}
