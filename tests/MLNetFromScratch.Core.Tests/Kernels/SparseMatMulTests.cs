using System.Runtime.InteropServices;
using MLNetFromScratch.Core.Kernels;

namespace MLNetFromScratch.Core.Tests.Kernels;

public class SparseMatMulTests
{
    private static readonly ComputeContext s_two = new(2);

    public static TheoryData<int, int, int, double> Shapes()
    {
        var shapes = new TheoryData<int, int, int, double>();
        for (int outputs = 0; outputs <= 70; outputs++)
        {
            shapes.Add(9, 13, outputs, 0.3);
        }

        foreach (int outputs in new[] { 127, 128, 129, 130, 136, 200 })
        {
            shapes.Add(17, 50, outputs, 0.2);
        }

        foreach (double density in new[] { 0.0, 0.05, 0.5, 1.0 })
        {
            shapes.Add(33, 97, 64, density);
        }

        shapes.Add(0, 5, 8, 0.5);
        shapes.Add(4, 0, 8, 0.5);
        shapes.Add(130, 784, 128, 0.19);
        return shapes;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void SparseKernels_AnyShape_MatchDoubleReferenceAndScalarBits(int batch, int inputs, int outputs, double density)
    {
        var random = new Random((batch * 7919) + (inputs * 31) + outputs + (int)(density * 1000));
        const int pool = 50;
        float[] dense = RandomSparse(random, pool, inputs, density);
        SparseRows x = SparseRows.FromDense(dense, pool, inputs);
        // Rows in any order, some twice.
        int[] rows = [.. Enumerable.Range(0, batch).Select(_ => random.Next(pool))];
        float[] xb = Gather(dense, rows, inputs);
        float[] wT = MatMulReference.Random(random, inputs * outputs);
        float[] w = Transpose(wT, inputs, outputs);
        float[] bias = MatMulReference.Random(random, outputs);
        float[] dy = MatMulReference.Random(random, batch * outputs);
        const float scale = 0.37f;
        var columns = new SparseColumns(inputs, batch * x.MaxRowLength);
        columns.Build(x, rows);

        float[] yScalar = Filled(batch * outputs), dwScalar = Filled(inputs * outputs), dbScalar = Filled(outputs);
        MatMul.ScalarSparseForward(yScalar, x, rows, wT, bias, outputs);
        MatMul.ScalarSparseBackwardWeights(dwScalar, dbScalar, columns, dy, scale, outputs);
        var (yRef, yAbs) = MatMulReference.Forward(xb, w, bias, batch, inputs, outputs);
        MatMulReference.AssertClose(yScalar, yRef, yAbs, inputs, "scalar y");
        var (dwRef, dwAbs, dbRef, dbAbs) = MatMulReference.BackwardWeights(dy, xb, scale, batch, inputs, outputs);
        MatMulReference.AssertClose(Transpose(dwScalar, inputs, outputs), dwRef, dwAbs, batch, "scalar dwT");
        MatMulReference.AssertClose(dbScalar, dbRef, dbAbs, batch, "scalar db");

        foreach (ComputeContext context in new[] { ComputeContext.SingleThreaded, s_two })
        {
            float[] y = Filled(batch * outputs), dwT = Filled(inputs * outputs), db = Filled(outputs);
            MatMul.SparseForward(y, x, rows, wT, bias, outputs, context);
            MatMul.SparseBackwardWeights(dwT, db, columns, dy, scale, outputs, context);
            AssertBits(yScalar, y, $"y, {context.MaxDegreeOfParallelism} threads");
            AssertBits(dwScalar, dwT, $"dwT, {context.MaxDegreeOfParallelism} threads");
            AssertBits(dbScalar, db, $"db, {context.MaxDegreeOfParallelism} threads");
        }
    }

    [Theory]
    [InlineData(128, 784, 128)]
    [InlineData(257, 300, 100)]
    public void SparseKernels_OneToEightThreads_BitIdentical(int batch, int inputs, int outputs)
    {
        var random = new Random(5);
        float[] dense = RandomSparse(random, batch, inputs, 0.2);
        SparseRows x = SparseRows.FromDense(dense, batch, inputs);
        int[] rows = [.. Enumerable.Range(0, batch).Reverse()];
        float[] wT = MatMulReference.Random(random, inputs * outputs);
        float[] bias = MatMulReference.Random(random, outputs);
        float[] dy = MatMulReference.Random(random, batch * outputs);
        var columns = new SparseColumns(inputs, batch * x.MaxRowLength);
        columns.Build(x, rows);
        float[][] first = Run(ComputeContext.SingleThreaded);
        foreach (int threads in new[] { 2, 4, 8 })
        {
            float[][] other = Run(new ComputeContext(threads));
            for (int i = 0; i < first.Length; i++)
            {
                AssertBits(first[i], other[i], $"output {i}, {threads} threads");
            }
        }

        float[][] Run(ComputeContext context)
        {
            float[] y = new float[batch * outputs], dwT = new float[inputs * outputs], db = new float[outputs];
            MatMul.SparseForward(y, x, rows, wT, bias, outputs, context);
            MatMul.SparseBackwardWeights(dwT, db, columns, dy, 1f / batch, outputs, context);
            return [y, dwT, db];
        }
    }

    // Rows like MNIST's: pixels k/255 (byte-coded), dense in the middle and empty at the border, of very different
    // lengths (some empty), so the forward's chunks get rows of every length to sort into threes, pairs and singles.
    [Theory]
    [InlineData(32)]
    [InlineData(69)]
    [InlineData(128)]
    public void SparseKernels_PixelLikeRowsAnyBatch_SameBitsAsScalarForAnyThreadCount(int outputs)
    {
        var random = new Random(outputs);
        const int pool = 60, side = 28, inputs = side * side;
        var dense = new float[pool * inputs];
        for (int r = 0; r < pool; r++)
        {
            double radius = r % 7 == 0 ? 0 : 3 + (random.NextDouble() * 9); // every 7th row empty
            for (int i = 0; i < inputs; i++)
            {
                double dx = (i % side) - 13.5, dy = (i / side) - 13.5;
                if ((dx * dx) + (dy * dy) < radius * radius && random.NextDouble() < 0.7)
                {
                    dense[(r * inputs) + i] = random.Next(1, 256) / 255f;
                }
            }
        }

        SparseRows x = SparseRows.FromDense(dense, pool, inputs);
        Assert.True(x.HasValueCodes);
        float[] wT = MatMulReference.Random(random, inputs * outputs);
        float[] bias = MatMulReference.Random(random, outputs);
        foreach (int batch in (int[])[0, 1, 2, 3, 4, 5, 8, 9, 10, 11, 17, 18, 19, 20, 26, 27, 28, 29, 128])
        {
            int[] rows = [.. Enumerable.Range(0, batch).Select(_ => random.Next(pool))];
            float[] dy = MatMulReference.Random(random, batch * outputs);
            var columns = new SparseColumns(inputs, Math.Max(1, batch * x.MaxRowLength));
            columns.Build(x, rows);
            float[] yScalar = Filled(batch * outputs), dwScalar = Filled(inputs * outputs), dbScalar = Filled(outputs);
            MatMul.ScalarSparseForward(yScalar, x, rows, wT, bias, outputs);
            MatMul.ScalarSparseBackwardWeights(dwScalar, dbScalar, columns, dy, 1f / 128, outputs);
            foreach (int threads in (int[])[1, 2, 3])
            {
                var context = new ComputeContext(threads);
                float[] y = Filled(batch * outputs), dwT = Filled(inputs * outputs), db = Filled(outputs);
                MatMul.SparseForward(y, x, rows, wT, bias, outputs, context);
                MatMul.SparseBackwardWeights(dwT, db, columns, dy, 1f / 128, outputs, context);
                AssertBits(yScalar, y, $"y, batch {batch}, {threads} threads");
                AssertBits(dwScalar, dwT, $"dwT, batch {batch}, {threads} threads");
                AssertBits(dbScalar, db, $"db, batch {batch}, {threads} threads");
            }
        }
    }

    // The weight gradient splits the columns by entry count: columns with all the entries, runs of empty columns, fewer
    // columns than chunks. Every column's row must still be written once, with the scalar loop's bits.
    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(100)]
    [InlineData(784)]
    public void SparseBackwardWeights_SkewedColumns_SameBitsAsScalarForAnyThreadCount(int inputs)
    {
        var random = new Random(inputs);
        const int batch = 50, outputs = 40;
        var dense = new float[batch * inputs];
        for (int r = 0; r < batch; r++)
        {
            dense[r * inputs] = (float)random.NextDouble() + 0.5f; // column 0 in every row
            for (int i = inputs / 2; i < inputs; i++)
            {
                if (random.NextDouble() < 0.1)
                {
                    dense[(r * inputs) + i] = (float)random.NextDouble() - 0.5f; // the first half otherwise empty
                }
            }
        }

        SparseRows x = SparseRows.FromDense(dense, batch, inputs);
        int[] rows = [.. Enumerable.Range(0, batch)];
        var columns = new SparseColumns(inputs, batch * x.MaxRowLength);
        columns.Build(x, rows);
        float[] dy = MatMulReference.Random(random, batch * outputs);
        float[] dwScalar = Filled(inputs * outputs), dbScalar = Filled(outputs);
        MatMul.ScalarSparseBackwardWeights(dwScalar, dbScalar, columns, dy, -0.3f, outputs);
        var (dwRef, dwAbs, _, _) = MatMulReference.BackwardWeights(dy, dense, -0.3f, batch, inputs, outputs);
        MatMulReference.AssertClose(Transpose(dwScalar, inputs, outputs), dwRef, dwAbs, batch, "scalar dwT");
        foreach (int threads in (int[])[1, 2, 4])
        {
            float[] dwT = Filled(inputs * outputs), db = Filled(outputs);
            MatMul.SparseBackwardWeights(dwT, db, columns, dy, -0.3f, outputs, new ComputeContext(threads));
            AssertBits(dwScalar, dwT, $"dwT, {threads} threads");
            AssertBits(dbScalar, db, $"db, {threads} threads");
        }
    }

    // wT and dy at every offset within a cache line: one offset starts on a line (the kernels read them in place), the
    // others not (the kernels read a line-aligned copy when the batch is large enough). Same bits either way.
    [Fact]
    public void SparseKernels_WeightsAndGradientAtEveryAlignment_SameBitsAsScalar()
    {
        var random = new Random(8);
        const int batch = 64, inputs = 200, outputs = 48;
        float[] dense = RandomSparse(random, batch, inputs, 0.3);
        SparseRows x = SparseRows.FromDense(dense, batch, inputs);
        int[] rows = [.. Enumerable.Range(0, batch)];
        var columns = new SparseColumns(inputs, batch * x.MaxRowLength);
        columns.Build(x, rows);
        Assert.True((long)x.Count * outputs >= 4L * inputs * outputs, "the batch must be large enough for the copies");
        float[] wT = MatMulReference.Random(random, inputs * outputs);
        float[] bias = MatMulReference.Random(random, outputs);
        float[] dy = MatMulReference.Random(random, batch * outputs);
        float[] yScalar = Filled(batch * outputs), dwScalar = Filled(inputs * outputs), dbScalar = Filled(outputs);
        MatMul.ScalarSparseForward(yScalar, x, rows, wT, bias, outputs);
        MatMul.ScalarSparseBackwardWeights(dwScalar, dbScalar, columns, dy, 0.5f, outputs);
        float[] wPinned = GC.AllocateArray<float>(wT.Length + 16, pinned: true);
        float[] dyPinned = GC.AllocateArray<float>(dy.Length + 16, pinned: true);
        for (int offset = 0; offset < 16; offset++)
        {
            Span<float> w = wPinned.AsSpan(offset, wT.Length), g = dyPinned.AsSpan(offset, dy.Length);
            wT.CopyTo(w);
            dy.CopyTo(g);
            foreach (ComputeContext context in new[] { ComputeContext.SingleThreaded, s_two })
            {
                float[] y = Filled(batch * outputs), dwT = Filled(inputs * outputs), db = Filled(outputs);
                MatMul.SparseForward(y, x, rows, w, bias, outputs, context);
                MatMul.SparseBackwardWeights(dwT, db, columns, g, 0.5f, outputs, context);
                AssertBits(yScalar, y, $"y, offset {offset}");
                AssertBits(dwScalar, dwT, $"dwT, offset {offset}");
                AssertBits(dbScalar, db, $"db, offset {offset}");
            }

            Assert.True(w.SequenceEqual(wT) && g.SequenceEqual(dy), "the inputs are left as they were");
        }
    }

    [Fact]
    public void SparseKernels_BadArguments_Throw()
    {
        SparseRows x = SparseRows.FromDense([1, 0, 0, 2, 0, 3], 2, 3);
        float[] big = new float[64];
        Assert.Throws<ArgumentException>(() => MatMul.SparseForward(big, x, [0, 2], big, big, 4));
        Assert.Throws<ArgumentException>(() => MatMul.SparseForward(big, x, [-1], big, big, 4));
        Assert.Throws<ArgumentException>(() => MatMul.SparseForward(big.AsSpan(0, 7), x, [0, 1], big, big, 4));
        Assert.Throws<ArgumentException>(() => MatMul.SparseForward(big, x, [0], big.AsSpan(0, 11), big, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => MatMul.SparseForward(big, x, [0], big, big, -1));
        var columns = new SparseColumns(3, 2);
        Assert.Throws<ArgumentException>(() => columns.Build(x, [0, 1]));
        Assert.Throws<ArgumentException>(() => columns.Build(x, [3]));
        Assert.Throws<ArgumentException>(() => new SparseColumns(4, 10).Build(x, [0]));
        columns.Build(x, [1]);
        Assert.Throws<ArgumentException>(() => MatMul.SparseBackwardWeights(big.AsSpan(0, 11), big, columns, big, 1f, 4));
        Assert.Throws<ArgumentException>(() => MatMul.SparseBackwardWeights(big, big, columns, big.AsSpan(0, 3), 1f, 4));
    }

    [Fact]
    public void SparseRows_FromDense_KeepsExactlyTheNonZerosInOrder()
    {
        var random = new Random(11);
        foreach (int columns in new[] { 1, 7, 8, 9, 31, 784 })
        {
            float[] dense = RandomSparse(random, 23, columns, 0.3);
            dense[0] = -0f;
            dense[^1] = float.NaN;
            SparseRows x = SparseRows.FromDense(dense, 23, columns);
            var rebuilt = new float[dense.Length];
            int longest = 0;
            for (int r = 0; r < 23; r++)
            {
                longest = Math.Max(longest, x.RowStarts[r + 1] - x.RowStarts[r]);
                for (int j = x.RowStarts[r]; j < x.RowStarts[r + 1]; j++)
                {
                    Assert.True(j == x.RowStarts[r] || x.ColumnAt(j) > x.ColumnAt(j - 1), "columns ascend");
                    Assert.NotEqual(0f, x.ValueAt(j));
                    rebuilt[(r * columns) + x.ColumnAt(j)] = x.ValueAt(j);
                }
            }

            Assert.Equal(longest, x.MaxRowLength);
            Assert.Equal(dense.Count(v => v != 0f), x.Count);
            for (int i = 0; i < dense.Length; i++)
            {
                Assert.True(dense[i] == 0f ? rebuilt[i] == 0f : BitConverter.SingleToInt32Bits(dense[i]) == BitConverter.SingleToInt32Bits(rebuilt[i]), $"element {i}");
            }
        }
    }

    [Fact]
    public void SparseRows_FromDense_SameArraysForAnyThreadCount()
    {
        float[] dense = RandomSparse(new Random(4), 1000, 53, 0.2);
        SparseRows one = SparseRows.FromDense(dense, 1000, 53, ComputeContext.SingleThreaded);
        foreach (int threads in new[] { 2, 4 })
        {
            SparseRows other = SparseRows.FromDense(dense, 1000, 53, new ComputeContext(threads));
            Assert.Equal(one.RowStarts, other.RowStarts);
            Assert.Equal(Enumerable.Range(0, one.Count).Select(one.ColumnAt), Enumerable.Range(0, other.Count).Select(other.ColumnAt));
            Assert.Equal(Enumerable.Range(0, one.Count).Select(one.ValueAt), Enumerable.Range(0, other.Count).Select(other.ValueAt));
            Assert.Equal(one.MaxRowLength, other.MaxRowLength);
        }

        Assert.Equal(dense.Count(v => v != 0f), one.Count);
    }

    [Fact]
    public void SparseRows_TryFromDense_RefusesDenserThanAsked()
    {
        float[] dense = [1, 0, 0, 0, 2, 0, 0, 0, 3, 4];
        Assert.Null(SparseRows.TryFromDense(dense, 2, 5, 0.39));
        Assert.NotNull(SparseRows.TryFromDense(dense, 2, 5, 0.4));
        Assert.Equal(0.4, SparseRows.TryFromDense(dense, 2, 5, 0.4)!.Density, 12);
        Assert.Throws<ArgumentException>(() => SparseRows.FromDense(dense, 3, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => SparseRows.TryFromDense(dense, 2, 5, 1.5));
    }

    [Fact]
    public void SparseColumns_Build_GroupsByColumnWithBatchRowsAscending()
    {
        var random = new Random(2);
        float[] dense = RandomSparse(random, 40, 30, 0.25);
        SparseRows x = SparseRows.FromDense(dense, 40, 30);
        int[] rows = [5, 3, 39, 3, 0, 17];
        var columns = new SparseColumns(30, rows.Length * x.MaxRowLength);
        columns.Build(x, rows);
        Assert.Equal(rows.Length, columns.Batch);
        for (int c = 0; c < 30; c++)
        {
            var expected = new List<(int, float)>();
            for (int r = 0; r < rows.Length; r++)
            {
                float v = dense[(rows[r] * 30) + c];
                if (v != 0f)
                {
                    expected.Add((r, v));
                }
            }

            var actual = new List<(int, float)>();
            for (int j = columns.ColumnStarts[c]; j < columns.ColumnStarts[c + 1]; j++)
            {
                actual.Add((columns.BatchRows[j], columns.Values[j]));
            }

            Assert.Equal(expected, actual);
        }
    }

    internal static float[] RandomSparse(Random random, int rows, int columns, double density)
    {
        var values = new float[rows * columns];
        for (int i = 0; i < values.Length; i++)
        {
            if (random.NextDouble() < density)
            {
                values[i] = (float)((random.NextDouble() * 2) - 1);
            }
        }

        return values;
    }

    private static float[] Gather(float[] dense, int[] rows, int columns)
    {
        var batch = new float[rows.Length * columns];
        for (int r = 0; r < rows.Length; r++)
        {
            dense.AsSpan(rows[r] * columns, columns).CopyTo(batch.AsSpan(r * columns));
        }

        return batch;
    }

    // (rows, columns) row-major → (columns, rows).
    private static float[] Transpose(float[] source, int rows, int columns)
    {
        var result = new float[source.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                result[(c * rows) + r] = source[(r * columns) + c];
            }
        }

        return result;
    }

    private static void AssertBits(float[] expected, float[] actual, string what) =>
        Assert.True(
            MemoryMarshal.AsBytes(expected.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(actual.AsSpan())),
            $"{what}: not the same bits.");

    private static float[] Filled(int length)
    {
        float[] values = new float[length];
        values.AsSpan().Fill(float.NaN);
        return values;
    }
}
