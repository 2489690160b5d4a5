using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using MLNetFromScratch.Persistence;
using MLNetFromScratch.Tests.Infrastructure;
using MLNetFromScratch.Tests.Trainers;
using static MLNetFromScratch.Tests.Infrastructure.ScoringChecks;

namespace MLNetFromScratch.Tests.Persistence;

/// <summary>
/// Version 4 of the scoring chain: the saved chain starts with a stateful mapping that writes a marker column ML.NET
/// cannot cache, and the stage that writes the last user column reads it, so that after <c>Model.Load</c> a single cursor
/// reads the input on the consumer's thread (ML.NET would otherwise split the rows over worker threads), with the
/// scores of the model before it was saved.
/// </summary>
public sealed class ScoringChainVersion4Tests
{
    [Theory]
    [InlineData("binary")]
    [InlineData("multiclass-text-classes")]
    [InlineData("multiclass-float-classes")]
    [InlineData("regression")]
    [InlineData("regression-two-targets")]
    public void Load_OneCursor_ReadsTheInputOnTheCallingThreadWithTheModelsScores(string task)
    {
        var context = new MLContext(seed: 1);
        (IDataView data, ITransformer model) = Fit(context, task);
        ITransformer loaded = SaveAndLoad(context, model, data);
        Assert.IsType<StatefulCustomMappingTransformer<ConstantKeyMappingFactory.NoColumns, SerialReadMappingFactory.MarkerRow, SerialReadMappingFactory.NoState>>(
            Stages(loaded).First());
        var recording = new ThreadRecordingView(data);
        IDataView scored = loaded.Transform(recording);
        Assert.Null(scored.Schema.GetColumnOrNull(StateColumns.SerialRead)); // dropped with the other temporary columns

        int[] bits = ReadScoreBits(scored, out int rows);

        Assert.Equal(CountRows(data), rows);
        Assert.Equal([Environment.CurrentManagedThreadId], recording.Threads);
        Assert.Equal(ColumnBits.Singles(model.Transform(data), "Score"), bits);
    }

    [Theory]
    [InlineData("binary")]
    [InlineData("multiclass-text-classes")]
    [InlineData("regression-two-targets")]
    public void Load_InAFreshProcess_ScoresAsTheModel(string task)
    {
        var context = new MLContext(seed: 1);
        (IDataView data, ITransformer model) = Fit(context, task);
        using var directory = new TempDirectory();
        string path = Path.Combine(directory.Path, "model.zip");
        context.Model.Save(model, data.Schema, path);

        // The marker's column type is registered by its attribute when the loader reads the mapping's row type.
        IDataView fresh = FreshProcess.Score(context, path, data, directory.Path);

        Assert.Equal(ColumnBits.Singles(model.Transform(data), "Score"), ColumnBits.Singles(fresh, "Score"));
    }

    [Fact]
    public void Load_CursorSetOfTwo_OneCursorWithTheRowsInOrder()
    {
        var context = new MLContext(seed: 1);
        (IDataView data, ITransformer model) = Fit(context, "multiclass-text-classes");
        ITransformer loaded = SaveAndLoad(context, model, data);
        IDataView scored = loaded.Transform(data);

        DataViewRowCursor[] set = scored.GetRowCursorSet([scored.Schema["Score"]], 2);
        Assert.Single(set);
        var bits = new List<int>();
        using (DataViewRowCursor cursor = set[0])
        {
            ValueGetter<VBuffer<float>> getter = cursor.GetGetter<VBuffer<float>>(scored.Schema["Score"]);
            VBuffer<float> value = default;
            while (cursor.MoveNext())
            {
                getter(ref value);
                bits.AddRange(value.DenseValues().Select(BitConverter.SingleToInt32Bits));
            }
        }

        Assert.Equal(ColumnBits.Singles(model.Transform(data), "Score"), bits);
    }

    [Fact]
    public void Fit_InMemoryChain_HoldsTheStatelessMarkerAndSavesTheStatefulOne()
    {
        var context = new MLContext(seed: 1);
        IDataView data = TrainerData.BreastCancer(context);
        NeuralNetworkPredictionTransformer model = context.BinaryClassification.Trainers.NeuralNetwork(Options()).Fit(data);

        Assert.IsType<CustomMappingTransformer<ConstantKeyMappingFactory.NoColumns, SerialReadMappingFactory.MarkerRow>>(model.InnerChain.First());
        Assert.IsType<StatefulCustomMappingTransformer<ConstantKeyMappingFactory.NoColumns, SerialReadMappingFactory.MarkerRow, SerialReadMappingFactory.NoState>>(
            Stages(SaveAndLoad(context, model, data)).First());
    }

    [Theory]
    [InlineData("binary")]
    [InlineData("multiclass-text-classes")]
    [InlineData("multiclass-float-classes")]
    [InlineData("multiclass-four-classes")]
    [InlineData("regression")]
    [InlineData("regression-two-targets")]
    public void Fit_InMemoryChain_NoStageReadsTheMarkerOrStateAndTheOutputIsTheLoadedChains(string task)
    {
        // In memory a single cursor is kept on the calling thread by the transformer's view; a stage reading the marker
        // would cost every row the marker's mapping (and a vector Score a custom mapping), and one reading the state the
        // state's mapping: the in-memory chain scores with the trained network instead, and must give the loaded chain's
        // columns, in its order, with its types, annotations and values.
        var context = new MLContext(seed: 1);
        (IDataView data, ITransformer model) = Fit(context, task);
        NeuralNetworkPredictionTransformer network = (NeuralNetworkPredictionTransformer)model;
        ITransformer loaded = SaveAndLoad(context, model, data);

        Assert.DoesNotContain(network.InnerChain, stage => Reads(stage, StateColumns.SerialRead));
        Assert.DoesNotContain(network.InnerChain, stage => Reads(stage, StateColumns.State));
        Assert.Contains(Stages(loaded), stage => Reads(stage, StateColumns.SerialRead));
        Assert.Contains(Stages(loaded), stage => Reads(stage, StateColumns.State));
        IDataView before = model.Transform(data), after = loaded.Transform(data);
        Assert.Equal(Describe(after.Schema), Describe(before.Schema));
        Assert.Equal(ColumnBits.Singles(after, "Score"), ColumnBits.Singles(before, "Score"));
        if (before.Schema.GetColumnOrNull("PredictedLabel") is { Type: KeyDataViewType })
        {
            Assert.Equal(ColumnBits.Keys(after, "PredictedLabel"), ColumnBits.Keys(before, "PredictedLabel"));
        }
    }

    [Fact]
    public void Multiclass_MoreClassesThanExactScoreSizes_TrimsAsVersion3AndRoundTrips()
    {
        const int Classes = 40;
        var context = new MLContext(seed: 1);
        var rows = new List<ManyClassRow>();
        for (int i = 0; i < 400; i++)
        {
            rows.Add(new ManyClassRow { Features = [i % Classes, (i * 7 % 11) - 5f], Label = i % Classes });
        }

        IDataView data = context.Transforms.Conversion.MapValueToKey("Label").Fit(context.Data.LoadFromEnumerable(rows))
            .Transform(context.Data.LoadFromEnumerable(rows));
        NeuralNetworkPredictionTransformer model = context.MulticlassClassification.Trainers.NeuralNetwork(Options()).Fit(data);
        Assert.Contains(model.InnerChain, t => t.GetType().Name == "SlotsDroppingTransformer"); // an internal type of ML.NET
        ITransformer loaded = SaveAndLoad(context, model, data);

        int[] expected = ColumnBits.Singles(model.Transform(data), "Score");
        Assert.Equal(Classes * rows.Count, expected.Length);
        Assert.Equal(expected, ColumnBits.Singles(loaded.Transform(data), "Score"));
        Assert.Equal(ColumnBits.Keys(model.Transform(data), "PredictedLabel"), ColumnBits.Keys(loaded.Transform(data), "PredictedLabel"));
    }

    private static NeuralNetworkOptions Options() => new() { HiddenSize = 8, Epochs = 2, Seed = 1 };

    private static (IDataView Data, ITransformer Model) Fit(MLContext context, string task)
    {
        switch (task)
        {
            case "binary":
                {
                    IDataView data = TrainerData.BreastCancer(context);
                    return (data, context.BinaryClassification.Trainers.NeuralNetwork(Options()).Fit(data));
                }

            case "multiclass-text-classes":
                {
                    IDataView data = context.Transforms.Conversion.MapValueToKey("Label", "Species").Fit(TrainerData.Iris(context)).Transform(TrainerData.Iris(context));
                    return (data, context.MulticlassClassification.Trainers.NeuralNetwork(Options()).Fit(data));
                }

            case "multiclass-four-classes":
                {
                    // Four classes fill the smallest padded tier: no trim, Score is the whole padded vector.
                    IDataView digits = context.Data.FilterRowsByColumn(TrainerData.Digits(context), "Digit", upperBound: 4);
                    IDataView data = context.Transforms.Conversion.MapValueToKey("Label", "Digit").Fit(digits).Transform(digits);
                    return (data, context.MulticlassClassification.Trainers.NeuralNetwork(Options()).Fit(data));
                }

            case "multiclass-float-classes":
                {
                    IDataView data = context.Transforms.Conversion.MapValueToKey("Label", "Digit").Fit(TrainerData.Digits(context)).Transform(TrainerData.Digits(context));
                    return (data, context.MulticlassClassification.Trainers.NeuralNetwork(Options()).Fit(data));
                }

            case "regression":
                {
                    IDataView data = TrainerData.Diabetes(context);
                    return (data, context.Regression.Trainers.NeuralNetwork(Options()).Fit(data));
                }

            default:
                {
                    var rows = new List<TwoTargetRow>();
                    for (int i = 0; i < 120; i++)
                    {
                        float a = (i % 12) / 6f, b = (i * 5 % 13) / 6.5f;
                        rows.Add(new TwoTargetRow { Features = [a, b], Label = [a + b, a - (2 * b)] });
                    }

                    IDataView data = context.Data.LoadFromEnumerable(rows);
                    return (data, context.Regression.Trainers.NeuralNetwork(Options()).Fit(data));
                }
        }
    }

    // Whether a stage is a custom mapping (stateless or stateful) whose input row binds the column.
    private static bool Reads(ITransformer stage, string column) =>
        stage.GetType() is { IsGenericType: true } type
        && type.Name.Contains("CustomMappingTransformer", StringComparison.Ordinal)
        && SchemaDefinition.Create(type.GetGenericArguments()[0], SchemaDefinition.Direction.Read).Any(c => c.ColumnName == column);

    // Every column, hidden ones included, in order: name, type, and each annotation's name, type and (for text vectors:
    // slot names, key values) values.
    private static string[] Describe(DataViewSchema schema) =>
    [
        .. schema.Select(column => string.Join(
            " ",
            [
                column.Index.ToString(System.Globalization.CultureInfo.InvariantCulture), column.Name, column.IsHidden ? "hidden" : "", column.Type.ToString(),
                .. column.Annotations.Schema.Select(a => $"{a.Name}:{a.Type}={AnnotationText(column.Annotations, a)}"),
            ])),
    ];

    private static string AnnotationText(DataViewSchema.Annotations annotations, DataViewSchema.Column annotation)
    {
        if (annotation.Type is VectorDataViewType { ItemType: TextDataViewType })
        {
            VBuffer<ReadOnlyMemory<char>> values = default;
            annotations.GetValue(annotation.Name, ref values);
            return string.Join(",", values.DenseValues());
        }

        return "?";
    }

    // Every Score value, read through one cursor asked for every user column the scorer adds.
    private static int[] ReadScoreBits(IDataView scored, out int rows)
    {
        DataViewSchema.Column score = scored.Schema["Score"];
        DataViewSchema.Column[] columns = [.. new[] { "Score", "Probability", "PredictedLabel" }
            .Select(name => scored.Schema.GetColumnOrNull(name)).OfType<DataViewSchema.Column>()];
        var bits = new List<int>();
        rows = 0;
        using DataViewRowCursor cursor = scored.GetRowCursor(columns);
        if (score.Type is VectorDataViewType)
        {
            ValueGetter<VBuffer<float>> getter = cursor.GetGetter<VBuffer<float>>(score);
            VBuffer<float> value = default;
            while (cursor.MoveNext())
            {
                rows++;
                getter(ref value);
                bits.AddRange(value.DenseValues().Select(BitConverter.SingleToInt32Bits));
            }
        }
        else
        {
            ValueGetter<float> getter = cursor.GetGetter<float>(score);
            float value = 0;
            while (cursor.MoveNext())
            {
                rows++;
                getter(ref value);
                bits.Add(BitConverter.SingleToInt32Bits(value));
            }
        }

        return [.. bits];
    }

    private static int CountRows(IDataView data)
    {
        int rows = 0;
        using DataViewRowCursor cursor = data.GetRowCursor([]);
        while (cursor.MoveNext())
        {
            rows++;
        }

        return rows;
    }

    private static ITransformer SaveAndLoad(MLContext context, ITransformer model, IDataView data)
    {
        using var stream = new MemoryStream();
        context.Model.Save(model, data.Schema, stream);
        stream.Position = 0;
        return new MLContext(seed: 1).Model.Load(stream, out _);
    }

    private sealed class TwoTargetRow
    {
        [VectorType(2)]
        public float[] Features { get; set; } = [];

        [VectorType(2)]
        public float[] Label { get; set; } = [];
    }

    private sealed class ManyClassRow
    {
        [VectorType(2)]
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }
}
