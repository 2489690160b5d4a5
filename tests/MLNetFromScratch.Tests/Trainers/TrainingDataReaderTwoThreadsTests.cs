using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFromScratch.Core.Kernels;
using MLNetFromScratch.Core.Training;

namespace MLNetFromScratch.Tests.Trainers;

/// <summary>
/// Reading on two threads against reading on one, on views of every kind: the same parts bit for bit (the sparse
/// encoding included) and the rows of the view, the same first error in the view's order whichever thread meets it,
/// the view's own exceptions unchanged, cancellation at the same row, and no thread left behind.
/// </summary>
public sealed class TrainingDataReaderTwoThreadsTests
{
    private const int Slots = 8;
    private const int WideSlots = 600;
    private const int Classes = 4;
    private const int RowCount = TrainingDataReader.PipelineMinimumRows + 904;
    private readonly MLContext _context = new(seed: 1);

    public static TheoryData<string> Views() =>
    [
        "dense vectors, mostly zero, coded values, multiclass, held out",
        "sparse vectors, mostly zero, any values, Boolean label",
        "sparse vectors, half zero (going dense), 0/1 label",
        "dense vectors, no zero, vector regression label, held out",
        "scalar feature, mostly zero, regression label",
        "dense first rows, mostly zero after (sparse at the end), held out",
        "mostly zero first rows, dense after (dense at the end), held out",
        "wide sparse vectors (columns more than 256 apart), multiclass",
        "counts fewer rows than it yields, held out",
        "counts more rows than it yields, held out",
        "does not know its row count, multiclass, held out",
    ];

    [Theory]
    [MemberData(nameof(Views))]
    public void Read_TwoThreads_SamePartsAsOneThread(string view)
    {
        (IDataView data, NeuralNetworkTask task, string label, string features, float[][] rows, bool sparse, bool holdOut) = View(view);
        Func<int, bool[]?> mask = holdOut ? EveryFifth : NoHoldOut;
        int inputs = rows[0].Length;
        Assert.True(TrainingDataReader.ReadsOnTwoThreads(2, data.GetRowCount() ?? RowCount, inputs, task == NeuralNetworkTask.MulticlassClassification ? Classes : 2));

        TrainingDataReader.Result one = Read(data, task, label, features, threads: 1, mask);
        TrainingDataReader.Result two = Read(data, task, label, features, threads: 2, mask);

        AssertSame(one, two);
        Assert.Equal(sparse, two.Kept.SparseFeatures is not null);
        bool[] held = EveryFifth(RowCount)!;
        Assert.Equal(Bits([.. rows.Where((_, r) => !holdOut || !held[r]).SelectMany(x => x)]), Bits(Dense(two.Kept)));
        if (holdOut)
        {
            Assert.Equal(held, two.HeldOutMask);
            Assert.Equal(Bits([.. rows.Where((_, r) => held[r]).SelectMany(x => x)]), Bits(Dense(two.HeldOut!)));
        }
    }

    [Theory]
    [InlineData("unordered indices", 3, 5, typeof(ArgumentException))] // met by the appending thread, at an earlier row
    [InlineData("unordered indices", 5, 5, typeof(ArgumentException))] // the same row: its features are appended before its label is read
    [InlineData("unordered indices", 6, 5, typeof(InvalidDataException))]
    [InlineData("unordered indices", 3000, 3001, typeof(ArgumentException))]
    [InlineData("unordered indices", 3001, 3000, typeof(InvalidDataException))]
    [InlineData("NaN", 3, 5, typeof(InvalidDataException))]
    [InlineData("NaN", 5, 3, typeof(InvalidDataException))]
    [InlineData("index past the end, dense", 2000, 2500, typeof(IndexOutOfRangeException))]
    [InlineData("index past the end, dense", 2500, 2000, typeof(InvalidDataException))]
    public void Read_BadFeaturesAndBadLabel_TheFirstInTheViewsOrderWinsAsOnOneThread(string fault, int featureRow, int labelRow, Type expected)
    {
        bool dense = fault.EndsWith("dense", StringComparison.Ordinal);
        float[][] features = Features(RowCount, dense ? 0.0 : 0.85, seed: 3);
        VBuffer<float>[] vectors = [.. features.Select(x => Sparse(x))];
        vectors[featureRow] = fault switch
        {
            "unordered indices" => new VBuffer<float>(Slots, 2, [1f, 2f], [5, 2]),
            "NaN" => new VBuffer<float>(Slots, 2, [1f, float.NaN], [2, 5]),
            _ => new VBuffer<float>(Slots, 2, [1f, 2f], [3, Slots]),
        };
        float[] targets = [.. features.Select(x => x[0])];
        targets[labelRow] = float.NaN;
        IDataView data = Load(vectors, targets);

        Exception one = Assert.ThrowsAny<Exception>(() => Read(data, NeuralNetworkTask.Regression, nameof(Row.Target), nameof(Row.Features), 1, NoHoldOut));
        Exception two = Assert.ThrowsAny<Exception>(() => Read(data, NeuralNetworkTask.Regression, nameof(Row.Target), nameof(Row.Features), 2, NoHoldOut));

        Assert.IsType(expected, one);
        Assert.IsType(expected, two);
        Assert.Equal(one.Message, two.Message);
        if (expected == typeof(InvalidDataException))
        {
            Assert.Contains($"at row {Math.Min(featureRow, labelRow)}", two.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(nameof(Row.Features), -1, typeof(ViewFailure))]
    [InlineData(nameof(Row.Target), -1, typeof(ViewFailure))]
    [InlineData(nameof(Row.Target), 3000, typeof(ArgumentException))] // the row's features were appended first, and failed
    [InlineData(nameof(Row.Target), 2999, typeof(ArgumentException))]
    [InlineData(nameof(Row.Target), 3001, typeof(ViewFailure))]
    public void Read_ViewThrowsAtRow3000_ItsExceptionUnwrappedUnlessAnEarlierRowFailed(string column, int badIndicesRow, Type expected)
    {
        float[][] features = Features(RowCount, 0.85, seed: 4);
        VBuffer<float>[] vectors = [.. features.Select(x => Sparse(x))];
        if (badIndicesRow >= 0)
        {
            vectors[badIndicesRow] = new VBuffer<float>(Slots, 2, [1f, 2f], [5, 2]);
        }

        var failure = new ViewFailure();
        var data = new HookedView(Load(vectors, [.. features.Select(x => x[1])]), (name, row) =>
        {
            if (name == column && row == 3000)
            {
                throw failure;
            }
        });

        foreach (int threads in (int[])[1, 2])
        {
            Exception e = Assert.ThrowsAny<Exception>(() => Read(data, NeuralNetworkTask.Regression, nameof(Row.Target), nameof(Row.Features), threads, NoHoldOut));

            Assert.IsType(expected, e);
            if (expected == typeof(ViewFailure))
            {
                Assert.Same(failure, e);
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Read_CancelledAtRow2000_ThrowsAtRow2048BeforeReadingIt(int threads)
    {
        using var cancellation = new CancellationTokenSource();
        long lastRead = -1;
        var data = new HookedView(Load([.. Features(RowCount, 0.85, seed: 5).Select(x => Sparse(x))], new float[RowCount]), (name, row) =>
        {
            if (name == nameof(Row.Features))
            {
                lastRead = row;
                if (row == 2000)
                {
                    cancellation.Cancel();
                }
            }
        });

        Assert.Throws<OperationCanceledException>(() =>
            Read(data, NeuralNetworkTask.Regression, nameof(Row.Target), nameof(Row.Features), threads, NoHoldOut, cancellation.Token));

        Assert.Equal(2047, lastRead);
    }

    [Fact]
    public void Read_TwoThreadsManyTimesFailingOrNot_LeavesNoThreadBehind()
    {
        float[][] features = Features(RowCount, 0.85, seed: 6);
        VBuffer<float>[] vectors = [.. features.Select(x => Sparse(x))];
        vectors[4000] = new VBuffer<float>(Slots, 2, [1f, 2f], [5, 2]);
        IDataView badIndices = Load(vectors, new float[RowCount]);
        float[] targets = new float[RowCount];
        targets[4000] = float.NaN;
        IDataView badLabel = Load([.. features.Select(x => Sparse(x))], targets);
        IDataView good = Load([.. features.Select(x => Sparse(x))], new float[RowCount]);
        var throwing = new HookedView(good, (_, row) =>
        {
            if (row == 4000)
            {
                throw new ViewFailure();
            }
        });
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        void ReadAll()
        {
            Assert.Equal(RowCount, Read(good, NeuralNetworkTask.Regression, nameof(Row.Target), nameof(Row.Features), 2, EveryFifth).Rows);
            Assert.Throws<ArgumentException>(() => Read(badIndices, NeuralNetworkTask.Regression, nameof(Row.Target), nameof(Row.Features), 2, NoHoldOut));
            Assert.Throws<InvalidDataException>(() => Read(badLabel, NeuralNetworkTask.Regression, nameof(Row.Target), nameof(Row.Features), 2, NoHoldOut));
            Assert.Throws<ViewFailure>(() => Read(throwing, NeuralNetworkTask.Regression, nameof(Row.Target), nameof(Row.Features), 2, NoHoldOut));
            Assert.Throws<OperationCanceledException>(() =>
                Read(good, NeuralNetworkTask.Regression, nameof(Row.Target), nameof(Row.Features), 2, NoHoldOut, cancelled.Token));
        }

        ReadAll();
        int before = Process.GetCurrentProcess().Threads.Count;
        for (int i = 0; i < 8; i++)
        {
            ReadAll();
        }

        // 40 reads on two threads: a second thread left running or waiting by each would be 40 more.
        int after = Process.GetCurrentProcess().Threads.Count;
        Assert.True(after - before < 12, $"{before} threads before, {after} after");
    }

    [Fact]
    public void ReadsOnTwoThreads_TwoThreadsManyRowsSmallRowsOnly()
    {
        Assert.True(TrainingDataReader.ReadsOnTwoThreads(2, TrainingDataReader.PipelineMinimumRows, 784, 10));
        Assert.True(TrainingDataReader.ReadsOnTwoThreads(16, 60_000, 1, 1));
        Assert.False(TrainingDataReader.ReadsOnTwoThreads(1, 60_000, 784, 10));
        Assert.False(TrainingDataReader.ReadsOnTwoThreads(2, TrainingDataReader.PipelineMinimumRows - 1, 784, 10));
        Assert.False(TrainingDataReader.ReadsOnTwoThreads(2, 60_000, 100_000, 1)); // a few such rows would be megabytes
    }

    [Fact]
    public void Fit_ContextOfTwoThreads_SameModelAsOfOne()
    {
        IDataView data = Rows(Features(RowCount, 0.85, seed: 7), sparseVectors: false);
        NeuralNetworkModelParameters Fit(int threads) => _context.MulticlassClassification.Trainers.NeuralNetwork(new NeuralNetworkOptions
        {
            LabelColumnName = nameof(Row.Class), HiddenSize = 6, Epochs = 2, BatchSize = 64, Seed = 3, ValidationFraction = 0.2f,
            Compute = new ComputeContext(threads),
        }).Fit(data).Model;

        NeuralNetworkModelParameters one = Fit(1), two = Fit(2);

        Assert.Equal(Bits(one.HiddenWeights.ToArray()), Bits(two.HiddenWeights.ToArray()));
        Assert.Equal(Bits(one.OutputWeights.ToArray()), Bits(two.OutputWeights.ToArray()));
        Assert.Equal(one.TrainingHistory.Select(h => h.ValidationLoss), two.TrainingHistory.Select(h => h.ValidationLoss));
    }

    /// <summary>The view, its task and columns, its feature rows as floats, whether they are held sparse, whether rows are held out.</summary>
    private (IDataView Data, NeuralNetworkTask Task, string Label, string Features, float[][] Rows, bool Sparse, bool HoldOut) View(string name)
    {
        const NeuralNetworkTask Multiclass = NeuralNetworkTask.MulticlassClassification, Binary = NeuralNetworkTask.BinaryClassification, Regression = NeuralNetworkTask.Regression;
        float[][] mostlyZero = Features(RowCount, 0.85, seed: 1, distinct: 40);
        switch (name)
        {
            case "dense vectors, mostly zero, coded values, multiclass, held out":
                return (Rows(mostlyZero, sparseVectors: false), Multiclass, nameof(Row.Class), nameof(Row.Features), mostlyZero, true, true);
            case "sparse vectors, mostly zero, any values, Boolean label":
                float[][] anyValues = Features(RowCount, 0.85, seed: 2);
                return (Rows(anyValues, sparseVectors: true), Binary, nameof(Row.Positive), nameof(Row.Features), anyValues, true, false);
            case "sparse vectors, half zero (going dense), 0/1 label":
                float[][] halfZero = Features(RowCount, 0.5, seed: 3);
                return (Rows(halfZero, sparseVectors: true), Binary, nameof(Row.ZeroOne), nameof(Row.Features), halfZero, false, false);
            case "dense vectors, no zero, vector regression label, held out":
                float[][] noZero = Features(RowCount, 0.0, seed: 4);
                return (Rows(noZero, sparseVectors: false), Regression, nameof(Row.Targets), nameof(Row.Features), noZero, false, true);
            case "scalar feature, mostly zero, regression label":
                IDataView scalar = _context.Data.LoadFromEnumerable(mostlyZero.Select(x => new ScalarRow { Feature = x[0], Target = x[1] }));
                return (scalar, Regression, nameof(ScalarRow.Target), nameof(ScalarRow.Feature), [.. mostlyZero.Select(x => new[] { x[0] })], true, false);
            case "dense first rows, mostly zero after (sparse at the end), held out":
                float[][] denseFirst = [.. Features(1100, 0.0, seed: 5), .. Features(RowCount - 1100, 0.97, seed: 6)];
                return (Rows(denseFirst, sparseVectors: false), Regression, nameof(Row.Target), nameof(Row.Features), denseFirst, true, true);
            case "mostly zero first rows, dense after (dense at the end), held out":
                float[][] sparseFirst = [.. Features(1100, 0.97, seed: 7), .. Features(RowCount - 1100, 0.0, seed: 8)];
                return (Rows(sparseFirst, sparseVectors: true), Regression, nameof(Row.Target), nameof(Row.Features), sparseFirst, false, true);
            case "wide sparse vectors (columns more than 256 apart), multiclass":
                float[][] wide = Features(RowCount, 0.99, seed: 9, slots: WideSlots, distinct: 20);
                IDataView wideRows = _context.Data.LoadFromEnumerable(wide.Select((x, r) => new WideRow { Features = Sparse(x), Class = (uint)(r % Classes) }));
                return (wideRows, Multiclass, nameof(WideRow.Class), nameof(WideRow.Features), wide, true, false);
            case "counts fewer rows than it yields, held out":
                return (new HookedView(Rows(mostlyZero, sparseVectors: true), count: RowCount - 400), Regression, nameof(Row.Target), nameof(Row.Features), mostlyZero, true, true);
            case "counts more rows than it yields, held out":
                return (new HookedView(Rows(mostlyZero, sparseVectors: false), count: RowCount + 3000), Regression, nameof(Row.Targets), nameof(Row.Features), mostlyZero, true, true);
            default:
                return (new HookedView(Rows(mostlyZero, sparseVectors: false), countKnown: false), Multiclass, nameof(Row.Class), nameof(Row.Features), mostlyZero, true, true);
        }
    }

    private static TrainingDataReader.Result Read(
        IDataView data, NeuralNetworkTask task, string label, string features, int threads, Func<int, bool[]?> holdOut, CancellationToken cancellationToken = default) =>
        TrainingDataReader.Read(data, task, label, features, task == NeuralNetworkTask.MulticlassClassification ? Classes : 0, holdOut, cancellationToken, threads);

    private static void AssertSame(TrainingDataReader.Result expected, TrainingDataReader.Result actual)
    {
        Assert.Equal(expected.Inputs, actual.Inputs);
        Assert.Equal(expected.Outputs, actual.Outputs);
        Assert.Equal(expected.HeldOutMask, actual.HeldOutMask);
        AssertSame(expected.Kept, actual.Kept);
        Assert.Equal(expected.HeldOut is null, actual.HeldOut is null);
        if (expected.HeldOut is not null)
        {
            AssertSame(expected.HeldOut, actual.HeldOut!);
        }
    }

    private static void AssertSame(TrainingData expected, TrainingData actual)
    {
        Assert.Equal((expected.Rows, expected.Inputs, expected.Outputs), (actual.Rows, actual.Inputs, actual.Outputs));
        Assert.Equal(expected.Features is null, actual.Features is null);
        if (expected.Features is not null)
        {
            Assert.Equal(Bits(expected.Features), Bits(actual.Features!));
        }

        Assert.Equal(expected.SparseFeatures is null, actual.SparseFeatures is null);
        if (expected.SparseFeatures is { } x)
        {
            SparseRows y = actual.SparseFeatures!;
            Assert.Equal(x.RowStarts, y.RowStarts);
            Assert.Equal((x.MaxRowLength, x.IndexBytes, x.HasValueCodes, x.StorageBytes), (y.MaxRowLength, y.IndexBytes, y.HasValueCodes, y.StorageBytes));
            Assert.Equal(Bits(x.ValueTable.ToArray()), Bits(y.ValueTable.ToArray()));
            Assert.Equal(Enumerable.Range(0, x.Count).Select(x.ColumnAt), Enumerable.Range(0, y.Count).Select(y.ColumnAt));
            Assert.Equal(Enumerable.Range(0, x.Count).Select(e => BitConverter.SingleToInt32Bits(x.ValueAt(e))), Enumerable.Range(0, y.Count).Select(e => BitConverter.SingleToInt32Bits(y.ValueAt(e))));
        }

        Assert.Equal(expected.Targets is null ? null : Bits(expected.Targets), actual.Targets is null ? null : Bits(actual.Targets));
        Assert.Equal(expected.ClassTargets is null, actual.ClassTargets is null);
        if (expected.ClassTargets is { } c)
        {
            ClassIndices d = actual.ClassTargets!;
            Assert.Equal((c.Count, c.Classes, c.BytesPerRow), (d.Count, d.Classes, d.BytesPerRow));
            Assert.Equal(Enumerable.Range(0, c.Count).Select(r => c[r]), Enumerable.Range(0, d.Count).Select(r => d[r]));
        }
    }

    private static bool[]? NoHoldOut(int rows) => null;

    private static bool[]? EveryFifth(int rows) => rows < 2 ? null : [.. Enumerable.Range(0, rows).Select(r => r % 5 == 3)];

    private static int[] Bits(float[] values) => [.. values.Select(BitConverter.SingleToInt32Bits)];

    /// <summary>The features of every row, decoded densely whichever form holds them.</summary>
    private static float[] Dense(TrainingData data)
    {
        var features = new float[data.Rows * data.Inputs];
        for (int r = 0; r < data.Rows; r++)
        {
            data.CopyFeatureRow(r, features.AsSpan(r * data.Inputs, data.Inputs));
        }

        return features;
    }

    /// <summary>
    /// Seeded rows with zeros in about <paramref name="zeros"/> of the slots; the other values any floats in [-2, 2), or,
    /// with <paramref name="distinct"/>, one of that many (so the sparse rows code them in bytes).
    /// </summary>
    private static float[][] Features(int count, double zeros, int seed, int slots = Slots, int distinct = 0)
    {
        var random = new Random(seed);
        float Value() => distinct > 0 ? (random.Next(distinct) + 1) / 8f : (float)(random.NextDouble() * 4) - 2;
        return [.. Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, slots).Select(_ => random.NextDouble() < zeros ? 0f : Value()).ToArray())];
    }

    private static VBuffer<float> Sparse(float[] dense)
    {
        int[] indices = [.. Enumerable.Range(0, dense.Length).Where(i => dense[i] != 0)];
        return new VBuffer<float>(dense.Length, indices.Length, [.. indices.Select(i => dense[i])], indices);
    }

    /// <summary>The rows as a view with every kind of label; <paramref name="sparseVectors"/> stores the vectors with only their non-zero slots.</summary>
    private IDataView Rows(float[][] features, bool sparseVectors) =>
        _context.Data.LoadFromEnumerable(features.Select((x, r) => new Row
        {
            Features = sparseVectors ? Sparse(x) : new VBuffer<float>(x.Length, (float[])x.Clone()),
            Positive = x[0] + x[1] > 0,
            ZeroOne = x[2] > 0 ? 1f : 0f,
            Class = (uint)(((r * 7) + (x[3] > 0 ? 1 : 0)) % Classes), // LoadFromEnumerable stores the class index as the key index + 1
            Target = x[0] - x[1],
            Targets = new VBuffer<float>(2, [x[0] * 2, x[4]]),
        }));

    private IDataView Load(VBuffer<float>[] features, float[] targets) =>
        _context.Data.LoadFromEnumerable(features.Select((x, r) => new Row { Features = x, Target = targets[r], Targets = new VBuffer<float>(2, new float[2]) }));

    public sealed class Row
    {
        [VectorType(Slots)]
        public VBuffer<float> Features { get; set; }

        public bool Positive { get; set; }

        public float ZeroOne { get; set; }

        [KeyType(Classes)]
        public uint Class { get; set; }

        public float Target { get; set; }

        [VectorType(2)]
        public VBuffer<float> Targets { get; set; }
    }

    public sealed class WideRow
    {
        [VectorType(WideSlots)]
        public VBuffer<float> Features { get; set; }

        [KeyType(Classes)]
        public uint Class { get; set; }
    }

    public sealed class ScalarRow
    {
        public float Feature { get; set; }

        public float Target { get; set; }
    }

    /// <summary>What a view's getter throws in these tests.</summary>
    private sealed class ViewFailure : Exception;

    /// <summary>
    /// A view over another that calls <c>beforeGet(column, row)</c> before each value its getters give, and may report
    /// another row count than it yields, or none.
    /// </summary>
    private sealed class HookedView(IDataView inner, Action<string, long>? beforeGet = null, long? count = null, bool countKnown = true) : IDataView
    {
        public bool CanShuffle => false;

        public DataViewSchema Schema => inner.Schema;

        public long? GetRowCount() => countKnown ? count ?? inner.GetRowCount() : null;

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
            new Cursor(inner.GetRowCursor(columnsNeeded), beforeGet);

        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
            [GetRowCursor(columnsNeeded)];

        private sealed class Cursor(DataViewRowCursor inner, Action<string, long>? beforeGet) : DataViewRowCursor
        {
            public override DataViewSchema Schema => inner.Schema;

            public override long Position => inner.Position;

            public override long Batch => inner.Batch;

            public override bool MoveNext() => inner.MoveNext();

            public override ValueGetter<DataViewRowId> GetIdGetter() => inner.GetIdGetter();

            public override bool IsColumnActive(DataViewSchema.Column column) => inner.IsColumnActive(column);

            public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
            {
                ValueGetter<TValue> getter = inner.GetGetter<TValue>(column);
                if (beforeGet is null)
                {
                    return getter;
                }

                return (ref TValue value) =>
                {
                    beforeGet(column.Name, inner.Position);
                    getter(ref value);
                };
            }

            protected override void Dispose(bool disposing)
            {
                if (disposing)
                {
                    inner.Dispose();
                }

                base.Dispose(disposing);
            }
        }
    }
}
