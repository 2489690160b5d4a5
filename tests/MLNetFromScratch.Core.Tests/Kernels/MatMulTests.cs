using System.Runtime.InteropServices;
using MLNetFromScratch.Core.Kernels;

namespace MLNetFromScratch.Core.Tests.Kernels;

public class MatMulTests
{
    private static readonly ComputeContext s_two = new(2);
    private static readonly ComputeContext s_four = new(4);

    public static TheoryData<int, int, int> Shapes()
    {
        var shapes = new TheoryData<int, int, int>();
        var seen = new HashSet<(int, int, int)>();
        void Add(int batch, int inputs, int outputs)
        {
            if (seen.Add((batch, inputs, outputs)))
            {
                shapes.Add(batch, inputs, outputs);
            }
        }

        for (int n = 0; n <= 257; n++)
        {
            Add(n, 13, 7);
            Add(5, n, 7);
            Add(3, 11, n);
        }

        // A packed tile by tile (more than one panel reads it, or dy by columns): every row count
        // through the tiles of 6, 4 + 4, 4, 2 and 1, depths of 1 and of 8k + 1-7, and the packing of
        // dy's columns ending at every distance from a row's end.
        for (int n = 0; n <= 40; n++)
        {
            Add(n, 13, 33);
            Add(n, 40, 20);
            Add(n, 1, 33);
            Add(7, n, 40);
            Add(33, 5, n);
        }

        int[][] odd = [[1, 1, 1], [1, 784, 10], [2, 2, 1], [4, 2, 4], [3, 785, 13], [257, 129, 11], [128, 784, 128], [32, 30, 32], [64, 64, 100], [33, 100, 10], [1, 33, 257]];

        // Packed panels: depths of 2-3 blocks, not a multiple of the block or of 8; columns past a
        // multiple of 16; row counts that end in every tile size; a narrow C split by rows; a
        // weight gradient with few rows, which reads x in place.
        int[][] packing = [[300, 600, 40], [9, 513, 17], [14, 1030, 33], [1, 600, 70], [8, 300, 16], [2, 520, 100], [300, 64, 10], [40, 48, 12], [7, 257, 31], [600, 40, 3], [11, 16, 16], [5, 9, 95]];
        foreach (int[] s in odd.Concat(packing))
        {
            Add(s[0], s[1], s[2]);
        }

        return shapes;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void AllKernels_AnyShape_MatchDoubleReference(int batch, int inputs, int outputs)
    {
        var random = new Random((batch * 1_000_003) + (inputs * 1009) + outputs);
        float[] x = MatMulReference.Random(random, batch * inputs);
        float[] w = MatMulReference.Random(random, outputs * inputs);
        float[] bias = MatMulReference.Random(random, outputs);
        float[] dy = MatMulReference.Random(random, batch * outputs);
        const float scale = 0.37f;
        foreach (ComputeContext context in new[] { ComputeContext.SingleThreaded, s_two })
        {
            // Start from garbage: every kernel overwrites its output.
            float[] y = Filled(batch * outputs);
            float[] dx = Filled(batch * inputs);
            float[] dw = Filled(outputs * inputs);
            float[] db = Filled(outputs);

            MatMul.Forward(y, x, w, bias, batch, inputs, outputs, context);
            MatMul.BackwardInput(dx, dy, w, batch, inputs, outputs, context);
            MatMul.BackwardWeights(dw, db, dy, x, scale, batch, inputs, outputs, context);

            var (yRef, yAbs) = MatMulReference.Forward(x, w, bias, batch, inputs, outputs);
            MatMulReference.AssertClose(y, yRef, yAbs, inputs, nameof(MatMul.Forward));
            var (dxRef, dxAbs) = MatMulReference.BackwardInput(dy, w, batch, inputs, outputs);
            MatMulReference.AssertClose(dx, dxRef, dxAbs, outputs, nameof(MatMul.BackwardInput));
            var (dwRef, dwAbs, dbRef, dbAbs) = MatMulReference.BackwardWeights(dy, x, scale, batch, inputs, outputs);
            MatMulReference.AssertClose(dw, dwRef, dwAbs, batch, nameof(MatMul.BackwardWeights) + " dw");
            MatMulReference.AssertClose(db, dbRef, dbAbs, batch, nameof(MatMul.BackwardWeights) + " db");
        }
    }

    [Theory]
    [InlineData(0, 3, 2)]
    [InlineData(7, 0, 5)]
    [InlineData(6, 9, 0)]
    [InlineData(5, 17, 9)]
    [InlineData(31, 70, 33)]
    public void ScalarFallback_AnyShape_MatchesDoubleReference(int batch, int inputs, int outputs)
    {
        var random = new Random(7);
        float[] x = MatMulReference.Random(random, batch * inputs);
        float[] w = MatMulReference.Random(random, outputs * inputs);
        float[] bias = MatMulReference.Random(random, outputs);
        float[] dy = MatMulReference.Random(random, batch * outputs);
        float[] y = Filled(batch * outputs), dx = Filled(batch * inputs), dw = Filled(outputs * inputs), db = Filled(outputs);

        MatMul.ScalarForward(y, x, w, bias, batch, inputs, outputs);
        MatMul.ScalarBackwardInput(dx, dy, w, batch, inputs, outputs);
        MatMul.ScalarBackwardWeights(dw, db, dy, x, 0.5f, batch, inputs, outputs);

        var (yRef, yAbs) = MatMulReference.Forward(x, w, bias, batch, inputs, outputs);
        MatMulReference.AssertClose(y, yRef, yAbs, inputs, "y");
        var (dxRef, dxAbs) = MatMulReference.BackwardInput(dy, w, batch, inputs, outputs);
        MatMulReference.AssertClose(dx, dxRef, dxAbs, outputs, "dx");
        var (dwRef, dwAbs, dbRef, dbAbs) = MatMulReference.BackwardWeights(dy, x, 0.5f, batch, inputs, outputs);
        MatMulReference.AssertClose(dw, dwRef, dwAbs, batch, "dw");
        MatMulReference.AssertClose(db, dbRef, dbAbs, batch, "db");
    }

    [Theory]
    [InlineData(256, 784, 512)]
    [InlineData(32, 784, 512)]
    [InlineData(257, 129, 11)]
    [InlineData(128, 512, 10)]
    [InlineData(67, 785, 130)]
    [InlineData(300, 600, 40)]
    [InlineData(9, 513, 17)]
    [InlineData(1, 784, 512)]
    [InlineData(600, 40, 3)]
    [InlineData(14, 785, 131)]
    [InlineData(8, 600, 70)]
    [InlineData(98, 300, 40)]
    [InlineData(20, 600, 100)]
    [InlineData(1000, 1, 33)]
    [InlineData(50, 3000, 20)]
    public void AllKernels_OneTwoFourThreads_BitIdentical(int batch, int inputs, int outputs)
    {
        var random = new Random(42);
        float[] x = MatMulReference.Random(random, batch * inputs);
        float[] w = MatMulReference.Random(random, outputs * inputs);
        float[] bias = MatMulReference.Random(random, outputs);
        float[] dy = MatMulReference.Random(random, batch * outputs);
        float[][] first = Run(ComputeContext.SingleThreaded);
        foreach (ComputeContext context in new[] { s_two, s_four, new ComputeContext(8) })
        {
            float[][] other = Run(context);
            for (int i = 0; i < first.Length; i++)
            {
                Assert.True(
                    MemoryMarshal.AsBytes(first[i].AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(other[i].AsSpan())),
                    $"Output {i} differs between 1 and {context.MaxDegreeOfParallelism} threads.");
            }
        }

        float[][] Run(ComputeContext context)
        {
            float[] y = new float[batch * outputs], dx = new float[batch * inputs], dw = new float[outputs * inputs], db = new float[outputs];
            MatMul.Forward(y, x, w, bias, batch, inputs, outputs, context);
            MatMul.BackwardInput(dx, dy, w, batch, inputs, outputs, context);
            MatMul.BackwardWeights(dw, db, dy, x, 1f / batch, batch, inputs, outputs, context);
            return [y, dx, dw, db];
        }
    }

    // The single-row path (w transposed in registers) against the batch path (packed panels), for
    // depths that end in a partial 8 or a partial block, and outputs that end in a partial group of 32.
    [Theory]
    [InlineData(70, 785, 131)]
    [InlineData(13, 784, 512)]
    [InlineData(8, 512, 10)]
    [InlineData(7, 8, 32)]
    [InlineData(6, 7, 33)]
    [InlineData(9, 600, 65)]
    [InlineData(3, 1, 1)]
    public void Forward_RowScoredAlone_SameBitsAsInBatch(int batch, int inputs, int outputs)
    {
        var random = new Random(3);
        float[] x = MatMulReference.Random(random, batch * inputs);
        float[] w = MatMulReference.Random(random, outputs * inputs);
        float[] bias = MatMulReference.Random(random, outputs);
        float[] y = new float[batch * outputs], row = new float[outputs];
        MatMul.Forward(y, x, w, bias, batch, inputs, outputs, s_two);
        for (int r = 0; r < batch; r++)
        {
            foreach (ComputeContext context in new[] { ComputeContext.SingleThreaded, s_two })
            {
                MatMul.Forward(row, x.AsSpan(r * inputs, inputs), w, bias, 1, inputs, outputs, context);
                Assert.True(
                    MemoryMarshal.AsBytes(row.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(y.AsSpan(r * outputs, outputs))),
                    $"Row {r} differs ({context.MaxDegreeOfParallelism} threads).");
            }
        }
    }

    // Weights stored transposed: the same sums in the same order, whichever path (packed product,
    // the row walk over wT, a partial group of outputs) and thread count.
    [Theory]
    [InlineData(1, 784, 128)]
    [InlineData(1, 128, 10)]
    [InlineData(1, 785, 131)]
    [InlineData(1, 7, 64)]
    [InlineData(2, 300, 70)]
    [InlineData(70, 785, 131)]
    [InlineData(13, 600, 16)]
    public void ForwardTransposed_AnyShape_SameBitsAsForward(int batch, int inputs, int outputs)
    {
        var random = new Random(5);
        float[] x = MatMulReference.Random(random, batch * inputs);
        float[] w = MatMulReference.Random(random, outputs * inputs);
        float[] bias = MatMulReference.Random(random, outputs);
        float[] wT = new float[inputs * outputs];
        for (int o = 0; o < outputs; o++)
        {
            for (int i = 0; i < inputs; i++)
            {
                wT[(i * outputs) + o] = w[(o * inputs) + i];
            }
        }

        float[] expected = new float[batch * outputs], actual = new float[batch * outputs];
        MatMul.Forward(expected, x, w, bias, batch, inputs, outputs, ComputeContext.SingleThreaded);
        var (yRef, yAbs) = MatMulReference.Forward(x, w, bias, batch, inputs, outputs);
        MatMulReference.AssertClose(expected, yRef, yAbs, inputs, nameof(MatMul.Forward));
        foreach (ComputeContext context in new[] { ComputeContext.SingleThreaded, s_two })
        {
            actual.AsSpan().Fill(float.NaN);
            MatMul.ForwardTransposed(actual, x, wT, bias, batch, inputs, outputs, context);
            Assert.True(
                MemoryMarshal.AsBytes(expected.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(actual.AsSpan())),
                $"ForwardTransposed differs from Forward ({context.MaxDegreeOfParallelism} threads).");
        }

        float[] scalar = new float[batch * outputs];
        MatMul.ScalarForwardTransposed(scalar, x, wT, bias, batch, inputs, outputs);
        MatMulReference.AssertClose(scalar, yRef, yAbs, inputs, nameof(MatMul.ScalarForwardTransposed));
    }

    [Fact]
    public void AllKernels_ShortSpanOrNegativeSize_Throw()
    {
        float[] a = new float[12];
        Assert.Throws<ArgumentException>(() => MatMul.Forward(a.AsSpan(0, 5), a, a, a, 2, 3, 3));
        Assert.Throws<ArgumentException>(() => MatMul.BackwardInput(a, a.AsSpan(0, 5), a, 2, 3, 3));
        Assert.Throws<ArgumentException>(() => MatMul.BackwardWeights(a, a.AsSpan(0, 2), a, a, 1f, 2, 3, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => MatMul.Forward(a, a, a, a, -1, 3, 3));
    }

    private static float[] Filled(int length)
    {
        float[] values = new float[length];
        values.AsSpan().Fill(float.NaN);
        return values;
    }
}
