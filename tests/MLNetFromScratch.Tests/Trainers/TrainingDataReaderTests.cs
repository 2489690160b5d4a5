using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFromScratch.Core.Training;

namespace MLNetFromScratch.Tests.Trainers;

/// <summary>
/// The reader's arrays against the rows they came from: dense and sparse vectors give the same bits, rows held out
/// for validation land in their own arrays in the view's order, and a view that miscounts its rows is split as if
/// it had counted right.
/// </summary>
public sealed class TrainingDataReaderTests
{
    private const int Slots = 5;
    private const int RowCount = 37;
    private readonly MLContext _context = new(seed: 1);

    public static TheoryData<NeuralNetworkTask, string> Labels() => new()
    {
        { NeuralNetworkTask.BinaryClassification, nameof(VectorRow.Positive) },
        { NeuralNetworkTask.BinaryClassification, nameof(VectorRow.ZeroOne) },
        { NeuralNetworkTask.MulticlassClassification, nameof(VectorRow.Class) },
        { NeuralNetworkTask.Regression, nameof(VectorRow.Target) },
        { NeuralNetworkTask.Regression, nameof(VectorRow.Targets) },
    };

    [Theory]
    [MemberData(nameof(Labels))]
    public void Read_SparseAndDenseVectors_SameArraysAsTheDenseRows(NeuralNetworkTask task, string label)
    {
        float[][] features = Features(RowCount);
        float[][] targets = [.. features.Select(x => new[] { x[0] * 2, 1 - x[4] })];

        TrainingDataReader.Result dense = Read(task, label, Rows(features, targets, sparse: false), NoHoldOut);
        TrainingDataReader.Result sparse = Read(task, label, Rows(features, targets, sparse: true), NoHoldOut);

        float[] expectedFeatures = [.. features.SelectMany(x => x)];
        Assert.Equal(Bits(expectedFeatures), Bits(Dense(dense.Kept)));
        Assert.Equal(Bits(expectedFeatures), Bits(Dense(sparse.Kept)));
        Assert.Equal(Bits(Targets(dense.Kept)), Bits(Targets(sparse.Kept)));
        Assert.Equal(RowCount, sparse.Rows);
        Assert.Null(sparse.HeldOut);
        if (label == nameof(VectorRow.Targets))
        {
            Assert.Equal(Bits([.. targets.SelectMany(y => y)]), Bits(Targets(sparse.Kept)));
        }
    }

    [Fact]
    public void Read_ScalarFeatureColumn_OneInputPerRow()
    {
        float[][] features = Features(RowCount);
        IDataView scalar = _context.Data.LoadFromEnumerable(features.Select(x => new ScalarRow { Feature = x[3], Target = x[1] }));

        TrainingDataReader.Result result = TrainingDataReader.Read(
            scalar, NeuralNetworkTask.Regression, nameof(ScalarRow.Target), nameof(ScalarRow.Feature), 0, NoHoldOut, CancellationToken.None);

        Assert.Equal(1, result.Inputs);
        Assert.Equal(Bits([.. features.Select(x => x[3])]), Bits(Dense(result.Kept)));
        Assert.Equal(Bits([.. features.Select(x => x[1])]), Bits(Targets(result.Kept)));
    }

    [Theory]
    [InlineData(false, float.NaN, "NaN")]
    [InlineData(true, float.NaN, "NaN")]
    [InlineData(true, float.NegativeInfinity, "-Infinity")]
    public void Read_NonFiniteFeatureDenseOrSparse_SameMessageNamingRowAndSlot(bool sparse, float bad, string shown)
    {
        float[][] features = Features(RowCount);
        features[9][3] = bad;

        var e = Assert.Throws<InvalidDataException>(() =>
            Read(NeuralNetworkTask.Regression, nameof(VectorRow.Target), Rows(features, [], sparse), NoHoldOut));

        Assert.StartsWith($"Feature column 'Features' holds {shown} at row 9, slot 3. The network needs finite values", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NonFiniteSparseVectorLabel_MessageNamingRowAndSlot()
    {
        float[][] features = Features(RowCount);
        float[][] targets = [.. features.Select(x => new[] { 0f, x[0] })];
        targets[4][1] = float.PositiveInfinity;

        var e = Assert.Throws<InvalidDataException>(() =>
            Read(NeuralNetworkTask.Regression, nameof(VectorRow.Targets), Rows(features, targets, sparse: true), NoHoldOut));

        Assert.Equal("Label column 'Targets' holds Infinity at row 4, slot 1; regression targets must be finite.", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Read_HoldOut_EachPartHoldsItsRowsInTheViewsOrder(bool sparse)
    {
        float[][] features = Features(RowCount);
        bool[] mask = [.. Enumerable.Range(0, RowCount).Select(r => r % 3 == 1 || r == 0)];

        TrainingDataReader.Result result = Read(
            NeuralNetworkTask.Regression, nameof(VectorRow.Target), Rows(features, [], sparse), rows => rows == RowCount ? mask : null);

        Assert.Equal(mask, result.HeldOutMask);
        Assert.Equal(RowCount, result.Rows);
        Assert.Equal(Bits([.. features.Where((_, r) => !mask[r]).SelectMany(x => x)]), Bits(Dense(result.Kept)));
        Assert.Equal(Bits([.. features.Where((_, r) => mask[r]).SelectMany(x => x)]), Bits(Dense(result.HeldOut!)));
        Assert.Equal(Bits([.. features.Where((_, r) => mask[r]).Select(x => x[0] + x[1])]), Bits(Targets(result.HeldOut!)));
        Assert.Equal(mask.Count(h => !h), result.Kept.Rows);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(20)]
    [InlineData(RowCount + 15)]
    public void Read_ViewMiscountsItsRows_PartsAsForTheRowsItYields(long reportedCount)
    {
        float[][] features = Features(RowCount);
        IDataView rows = Rows(features, [], sparse: false);
        static bool[]? EveryFourth(int rows) => rows < 2 ? null : [.. Enumerable.Range(0, rows).Select(r => r % 4 == 2)];

        TrainingDataReader.Result right = Read(NeuralNetworkTask.Regression, nameof(VectorRow.Target), rows, EveryFourth);
        TrainingDataReader.Result wrong = Read(NeuralNetworkTask.Regression, nameof(VectorRow.Target), new MiscountedView(rows, reportedCount), EveryFourth);

        Assert.Equal(EveryFourth(RowCount), wrong.HeldOutMask);
        Assert.Equal(Bits(Dense(right.Kept)), Bits(Dense(wrong.Kept)));
        Assert.Equal(Bits(Targets(right.Kept)), Bits(Targets(wrong.Kept)));
        Assert.Equal(Bits(Dense(right.HeldOut!)), Bits(Dense(wrong.HeldOut!)));
        Assert.Equal(Bits(Targets(right.HeldOut!)), Bits(Targets(wrong.HeldOut!)));
        Assert.Equal(Bits([.. features.Where((_, r) => r % 4 == 2).SelectMany(x => x)]), Bits(Dense(right.HeldOut!)));
    }

    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 0)]
    [InlineData(false, 1)]
    [InlineData(true, 20)]
    [InlineData(false, RowCount + 15)]
    public void Read_MulticlassLabels_ClassIndicesInEachPartInTheViewsOrder(bool sparse, long reportedCount)
    {
        float[][] features = Features(RowCount);
        IDataView rows = Rows(features, [], sparse);
        static bool[]? EveryFourth(int rows) => rows < 2 ? null : [.. Enumerable.Range(0, rows).Select(r => r % 4 == 2)];

        TrainingDataReader.Result result = Read(
            NeuralNetworkTask.MulticlassClassification, nameof(VectorRow.Class), reportedCount == 0 ? rows : new MiscountedView(rows, reportedCount), EveryFourth);

        // The classes are held as bytes, never as one-hot floats.
        int[] classes = [.. Enumerable.Range(0, RowCount).Select(r => (r + 1) % 3)];
        foreach ((TrainingData part, bool held) in new[] { (result.Kept, false), (result.HeldOut!, true) })
        {
            int[] expected = [.. classes.Where((_, r) => (r % 4 == 2) == held)];
            Assert.Null(part.Targets);
            Assert.Equal(1, part.ClassTargets!.BytesPerRow);
            Assert.Equal(3, part.Outputs);
            Assert.Equal(expected, Enumerable.Range(0, part.Rows).Select(r => part.ClassTargets[r]));
            Assert.Equal(Bits([.. expected.SelectMany(c => Enumerable.Range(0, 3).Select(k => k == c ? 1f : 0f))]), Bits(Targets(part)));
            Assert.Equal(Bits([.. features.Where((_, r) => (r % 4 == 2) == held).SelectMany(x => x)]), Bits(Dense(part)));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Read_MulticlassMissingKeyInEitherPart_MessageNamingTheViewsRow(bool heldOut)
    {
        // MapValueToKey fitted on the first rows maps a class it never saw to the missing key 0.
        float[][] features = Features(RowCount);
        TextLabelRow[] rows = [.. features.Select((x, r) => new TextLabelRow { Features = x, Species = r == 30 ? "unseen" : ((char)('a' + (r % 3))).ToString() })];
        IDataView data = _context.Data.LoadFromEnumerable(rows);
        IDataView keyed = _context.Transforms.Conversion.MapValueToKey(nameof(VectorRow.Class), nameof(TextLabelRow.Species))
            .Fit(_context.Data.TakeRows(data, 10)).Transform(data);
        bool[] mask = [.. Enumerable.Range(0, RowCount).Select(r => r % 4 == (heldOut ? 2 : 3))];

        var e = Assert.Throws<InvalidDataException>(() => TrainingDataReader.Read(
            keyed, NeuralNetworkTask.MulticlassClassification, nameof(VectorRow.Class), nameof(TextLabelRow.Features), 3, _ => mask, CancellationToken.None));

        Assert.StartsWith("Label column 'Class' holds the missing key at row 30 (a value MapValueToKey did not know when it was fitted)", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Read_MostlyZeroFeatures_HeldSparseWithTheSameRows(bool sparseVectors, bool holdOut)
    {
        float[][] features = Features(RowCount, zeros: 0.85);
        bool[] mask = [.. Enumerable.Range(0, RowCount).Select(r => r % 3 == 1)];

        TrainingDataReader.Result result = Read(
            NeuralNetworkTask.Regression, nameof(VectorRow.Target), Rows(features, [], sparseVectors), rows => holdOut ? mask : null);

        Assert.NotNull(result.Kept.SparseFeatures);
        Assert.Null(result.Kept.Features);
        Assert.Equal(Bits([.. features.Where((_, r) => !holdOut || !mask[r]).SelectMany(x => x)]), Bits(Dense(result.Kept)));
        if (holdOut)
        {
            Assert.NotNull(result.HeldOut!.SparseFeatures);
            Assert.Equal(Bits([.. features.Where((_, r) => mask[r]).SelectMany(x => x)]), Bits(Dense(result.HeldOut)));
        }
    }

    [Fact]
    public void Read_HalfZeroFeatures_HeldDense()
    {
        TrainingDataReader.Result result = Read(NeuralNetworkTask.Regression, nameof(VectorRow.Target), Rows(Features(RowCount), [], sparse: true), NoHoldOut);

        Assert.NotNull(result.Kept.Features);
        Assert.Null(result.Kept.SparseFeatures);
    }

    [Fact]
    public void Read_MostlyZeroScalarFeature_HeldSparseInOneColumn()
    {
        float[] values = [.. Enumerable.Range(0, RowCount).Select(r => r % 5 == 0 ? r * 0.5f : 0f)];
        IDataView scalar = _context.Data.LoadFromEnumerable(values.Select(v => new ScalarRow { Feature = v, Target = 1 }));

        TrainingDataReader.Result result = TrainingDataReader.Read(
            scalar, NeuralNetworkTask.Regression, nameof(ScalarRow.Target), nameof(ScalarRow.Feature), 0, NoHoldOut, CancellationToken.None);

        Assert.Equal(1, result.Kept.SparseFeatures!.Columns);
        Assert.Equal(Bits(values), Bits(Dense(result.Kept)));
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    [InlineData(false, true)]
    public void Read_DensityOfTheFirstRowsMisleads_PartsConvertedOnceWithTheSameRows(bool denseFirst, bool sparseVectors)
    {
        // The first 1,024 rows (the sample the form is chosen on) have another density than the whole: 1,100 rows,
        // then rows of the other kind. Dense first, then 5,000 rows 3 % non-zero: about 0.2 in all, held sparse.
        // Sparse first (3 %), then 3,000 rows without zeros: about 0.74, held dense.
        int first = TrainingDataReader.SampleRows + 76, rest = denseFirst ? 5000 : 3000;
        float[][] features = [.. Features(first, denseFirst ? 0.0 : 0.97, seed: 1), .. Features(rest, denseFirst ? 0.97 : 0.0, seed: 2)];
        bool[] mask = [.. Enumerable.Range(0, features.Length).Select(r => r % 5 == 3)];

        TrainingDataReader.Result result = Read(
            NeuralNetworkTask.Regression, nameof(VectorRow.Target), Rows(features, [], sparseVectors), rows => rows == features.Length ? mask : null);

        Assert.Equal(denseFirst, result.Kept.SparseFeatures is not null);
        Assert.Equal(denseFirst, result.HeldOut!.SparseFeatures is not null);
        Assert.Equal(Bits([.. features.Where((_, r) => !mask[r]).SelectMany(x => x)]), Bits(Dense(result.Kept)));
        Assert.Equal(Bits([.. features.Where((_, r) => mask[r]).SelectMany(x => x)]), Bits(Dense(result.HeldOut)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(20)]
    [InlineData(RowCount + 15)]
    public void Read_ViewMiscountsItsRowsOfMostlyZeroFeatures_SparsePartsAsForTheRowsItYields(long reportedCount)
    {
        float[][] features = Features(RowCount, zeros: 0.9);
        IDataView rows = Rows(features, [], sparse: true);
        static bool[]? EveryFourth(int rows) => rows < 2 ? null : [.. Enumerable.Range(0, rows).Select(r => r % 4 == 2)];

        TrainingDataReader.Result wrong = Read(NeuralNetworkTask.Regression, nameof(VectorRow.Target), new MiscountedView(rows, reportedCount), EveryFourth);

        Assert.Equal(EveryFourth(RowCount), wrong.HeldOutMask);
        Assert.NotNull(wrong.Kept.SparseFeatures);
        Assert.NotNull(wrong.HeldOut!.SparseFeatures);
        Assert.Equal(Bits([.. features.Where((_, r) => r % 4 != 2).SelectMany(x => x)]), Bits(Dense(wrong.Kept)));
        Assert.Equal(Bits([.. features.Where((_, r) => r % 4 == 2).SelectMany(x => x)]), Bits(Dense(wrong.HeldOut)));
    }

    [Theory]
    [InlineData(10, 0.2f, 2)]
    [InlineData(10, 0.01f, 1)]
    [InlineData(10, 0.99f, 9)]
    [InlineData(2, 0.5f, 1)]
    [InlineData(1001, 0.25f, 250)]
    public void HoldOutMask_Fraction_HoldsRoundedShareAtLeastOneLeavingOne(int rows, float fraction, int expected)
    {
        bool[] mask = NeuralNetworkTrainer.HoldOutMask(rows, fraction, seed: 3)!;

        Assert.Equal(rows, mask.Length);
        Assert.Equal(expected, mask.Count(h => h));
        Assert.Equal(mask, NeuralNetworkTrainer.HoldOutMask(rows, fraction, seed: 3));
    }

    [Fact]
    public void HoldOutMask_NoFractionOrOneRow_Null()
    {
        Assert.Null(NeuralNetworkTrainer.HoldOutMask(100, 0f, seed: 3));
        Assert.Null(NeuralNetworkTrainer.HoldOutMask(1, 0.5f, seed: 3));
        Assert.NotEqual(NeuralNetworkTrainer.HoldOutMask(100, 0.3f, seed: 3), NeuralNetworkTrainer.HoldOutMask(100, 0.3f, seed: 4));
    }

    [Theory]
    [InlineData(NeuralNetworkTask.Regression, nameof(VectorRow.Targets))]
    [InlineData(NeuralNetworkTask.MulticlassClassification, nameof(VectorRow.Class))]
    public void Fit_ValidationFractionOnAMiscountingView_SameModelAsOnTheView(NeuralNetworkTask task, string label)
    {
        IDataView rows = Rows(Features(RowCount), [.. Features(RowCount).Select(x => new[] { x[0] * 3, x[1] - x[2] })], sparse: false);
        var options = new NeuralNetworkOptions { LabelColumnName = label, HiddenSize = 4, Epochs = 3, BatchSize = 8, Seed = 5, ValidationFraction = 0.3f };

        NeuralNetworkModelParameters right = Fit(task, options, rows);
        NeuralNetworkModelParameters wrong = Fit(task, options, new MiscountedView(rows, 7));

        Assert.Equal(Bits(right.HiddenWeights.ToArray()), Bits(wrong.HiddenWeights.ToArray()));
        Assert.Equal(Bits(right.OutputWeights.ToArray()), Bits(wrong.OutputWeights.ToArray()));
        Assert.Equal(right.TargetMeans, wrong.TargetMeans);
        Assert.Equal(right.TargetScales, wrong.TargetScales);
        Assert.Equal(right.TrainingHistory.Select(h => h.ValidationLoss), wrong.TrainingHistory.Select(h => h.ValidationLoss));
        Assert.All(right.TrainingHistory, h => Assert.NotNull(h.ValidationLoss));
    }

    private static bool[]? NoHoldOut(int rows) => null;

    private static int[] Bits(float[] values) => [.. values.Select(BitConverter.SingleToInt32Bits)];

    /// <summary>The targets of every row, as float rows whichever form holds them.</summary>
    private static float[] Targets(TrainingData data)
    {
        var targets = new float[data.Rows * data.Outputs];
        for (int r = 0; r < data.Rows; r++)
        {
            data.CopyTargetRow(r, targets.AsSpan(r * data.Outputs, data.Outputs));
        }

        return targets;
    }

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

    /// <summary>Seeded features with zeros in about <paramref name="zeros"/> of the slots (half: too dense to be held sparse), and row 2 all zeros.</summary>
    private static float[][] Features(int count, double zeros = 0.5, int seed = 11)
    {
        var random = new Random(seed);
        float[][] rows = [.. Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, Slots).Select(_ => random.NextDouble() < zeros ? 0f : (float)(random.NextDouble() * 4) - 2).ToArray())];
        Array.Clear(rows[2]);
        return rows;
    }

    private NeuralNetworkModelParameters Fit(NeuralNetworkTask task, NeuralNetworkOptions options, IDataView data) => task switch
    {
        NeuralNetworkTask.MulticlassClassification => _context.MulticlassClassification.Trainers.NeuralNetwork(options).Fit(data).Model,
        _ => _context.Regression.Trainers.NeuralNetwork(options).Fit(data).Model,
    };

    private static TrainingDataReader.Result Read(NeuralNetworkTask task, string label, IDataView data, Func<int, bool[]?> holdOut) =>
        TrainingDataReader.Read(data, task, label, nameof(VectorRow.Features), task == NeuralNetworkTask.MulticlassClassification ? 3 : 0, holdOut, CancellationToken.None);

    /// <summary>The rows as a view; <paramref name="sparse"/> stores every vector with only its non-zero slots.</summary>
    private IDataView Rows(float[][] features, float[][] targets, bool sparse)
    {
        VectorRow[] rows = [.. features.Select((x, r) => new VectorRow
        {
            Features = Vector(x, sparse),
            Positive = x[0] > 0,
            ZeroOne = x[1] > 0 ? 1f : 0f,
            Class = (uint)((r + 1) % 3), // LoadFromEnumerable stores the key value + 1: class (r + 1) % 3, row 0 not of class 0
            Target = x[0] + x[1],
            Targets = Vector(r < targets.Length ? targets[r] : [x[2], x[3]], sparse),
        })];
        return _context.Data.LoadFromEnumerable(rows);
    }

    private static VBuffer<float> Vector(float[] dense, bool sparse)
    {
        if (!sparse)
        {
            return new VBuffer<float>(dense.Length, (float[])dense.Clone());
        }

        int[] indices = [.. Enumerable.Range(0, dense.Length).Where(i => dense[i] != 0)];
        return new VBuffer<float>(dense.Length, indices.Length, [.. indices.Select(i => dense[i])], indices);
    }

    public sealed class VectorRow
    {
        [VectorType(Slots)]
        public VBuffer<float> Features { get; set; }

        public bool Positive { get; set; }

        public float ZeroOne { get; set; }

        [KeyType(3)]
        public uint Class { get; set; }

        public float Target { get; set; }

        [VectorType(2)]
        public VBuffer<float> Targets { get; set; }
    }

    public sealed class TextLabelRow
    {
        [VectorType(Slots)]
        public float[] Features { get; set; } = [];

        public string Species { get; set; } = "";
    }

    public sealed class ScalarRow
    {
        public float Feature { get; set; }

        public float Target { get; set; }
    }

    /// <summary>A view that reports another row count than it yields, as a buggy or changing source might.</summary>
    private sealed class MiscountedView(IDataView inner, long reportedCount) : IDataView
    {
        public bool CanShuffle => inner.CanShuffle;

        public DataViewSchema Schema => inner.Schema;

        public long? GetRowCount() => reportedCount;

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
            inner.GetRowCursor(columnsNeeded, rand);

        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
            inner.GetRowCursorSet(columnsNeeded, n, rand);
    }
}
