using MLNetFromScratch.Core.Kernels;

namespace MLNetFromScratch.Core.Tests.Kernels;

/// <summary>
/// <see cref="SparseColumns.Build(SparseRows, ReadOnlySpan{int})"/>, serial and on two threads, against a naive
/// grouping: for each column in order, each batch row in order whose value there is not zero. The build's two parts
/// (the columns below a split, placed from the front, and the others, from the back) meet exactly.
/// </summary>
public sealed class SparseColumnsTests
{
    private static readonly ComputeContext s_two = new(2);

    public static TheoryData<int, bool, int> Forms() => new()
    {
        { 1, true, 1 },
        { 2, false, 1 },
        { 97, true, 1 },
        { 97, false, 2 }, // over 256 distinct values: codes, so gaps, are out
        { 784, true, 1 },
        { 784, false, 2 },
        { 70_000, true, 4 },
        { 70_000, false, 4 },
    };

    [Theory]
    [MemberData(nameof(Forms))]
    public void Build_SerialTwoThreadsAndPartsInEitherOrder_SameAsNaiveGrouping(int inputs, bool coded, int indexBytes)
    {
        var random = new Random(inputs + (coded ? 7 : 0));
        const int pool = 50;
        float[] dense = Matrix(random, pool, inputs, coded, indexBytes);
        SparseRows x = SparseRows.FromDense(dense, pool, inputs);
        Assert.Equal(indexBytes, x.IndexBytes);
        var serial = new SparseColumns(inputs, 200 * x.MaxRowLength);
        var parallel = new SparseColumns(inputs, 200 * x.MaxRowLength);
        var reversed = new SparseColumns(inputs, 200 * x.MaxRowLength);

        // Successive batches of several sizes (rows repeated, empty rows included): the split between the parts
        // starts at the middle column and then follows where each batch's entries were halved.
        foreach (int batch in new[] { 0, 1, 2, 37, 130, 200, 5, 64 })
        {
            int[] rows = [.. Enumerable.Range(0, batch).Select(_ => random.Next(pool))];
            serial.Build(x, rows);
            parallel.Build(x, rows, s_two);
            reversed.BeginBuild(x, rows, split: true);
            reversed.BuildPart(x, rows, 1);
            reversed.BuildPart(x, rows, 0);
            foreach (SparseColumns built in new[] { serial, parallel, reversed })
            {
                AssertNaiveGrouping(dense, inputs, rows, built);
            }
        }
    }

    [Fact]
    public void Build_AllEntriesInOneColumn_EitherSideOfTheSplit()
    {
        foreach (int column in new[] { 0, 49, 50, 99 })
        {
            var dense = new float[30 * 100];
            for (int r = 0; r < 30; r += 2)
            {
                dense[(r * 100) + column] = r + 1;
            }

            SparseRows x = SparseRows.FromDense(dense, 30, 100);
            var columns = new SparseColumns(100, 30);
            int[] rows = [.. Enumerable.Range(0, 30).Reverse()];
            for (int i = 0; i < 3; i++)
            {
                columns.Build(x, rows, s_two);
                AssertNaiveGrouping(dense, 100, rows, columns);
            }
        }
    }

    private static void AssertNaiveGrouping(float[] dense, int inputs, int[] rows, SparseColumns built)
    {
        Assert.Equal(rows.Length, built.Batch);
        Assert.Equal(0, built.ColumnStarts[0]);
        int at = 0;
        for (int c = 0; c < inputs; c++)
        {
            Assert.Equal(at, built.ColumnStarts[c]);
            for (int r = 0; r < rows.Length; r++)
            {
                float v = dense[((long)rows[r] * inputs) + c];
                if (v != 0f)
                {
                    Assert.Equal(r, built.BatchRows[at]);
                    Assert.Equal(BitConverter.SingleToInt32Bits(v), BitConverter.SingleToInt32Bits(built.Values[at]));
                    at++;
                }
            }
        }

        Assert.Equal(at, built.ColumnStarts[inputs]);
    }

    // About 20 non-zeros a row (some rows empty) stored with columns of indexBytes bytes (see
    // SparseRowsCompactTests.MatrixOfForm), byte-codable values (k/255) or arbitrary floats.
    private static float[] Matrix(Random random, int rows, int columns, bool coded, int indexBytes)
    {
        float[] dense = SparseRowsCompactTests.MatrixOfForm(random, rows, columns, 20, coded, indexBytes);
        for (int r = 4; r < rows; r += 9)
        {
            dense.AsSpan(r * columns, columns).Clear();
        }

        return dense;
    }
}
