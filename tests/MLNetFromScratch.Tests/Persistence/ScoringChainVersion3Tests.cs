using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using MLNetFromScratch.Tests.Infrastructure;
using MLNetFromScratch.Tests.Trainers;
using static MLNetFromScratch.Tests.Infrastructure.ScoringChecks;

namespace MLNetFromScratch.Tests.Persistence;

/// <summary>
/// The scoring chain of version 3, whose properties version 4 keeps: the state comes from a compiled expression, text
/// class names become the key through ML.NET's term lookup (other class values still through a value lookup), the
/// features are read as the cursor's vector, dense or sparse. Its outputs are those of the chain before (same key type
/// and key values, same bits), and a row scored through it allocates nothing. Models saved by version 3 keep loading
/// and scoring as their networks do.
/// </summary>
public sealed class ScoringChainVersion3Tests
{
    private static readonly string[] IrisClasses = ["setosa", "versicolor", "virginica"];

    [Theory]
    [InlineData("binary-breast-cancer-chain3.zip")]
    [InlineData("multiclass-iris-chain3.zip")]
    [InlineData("multiclass-digits-float-classes-chain3.zip")]
    [InlineData("regression-diabetes-chain3.zip")]
    public void Load_ModelOfChainVersion3_ScoresAsItsNetworkHereAndInAFreshProcess(string file)
    {
        var context = new MLContext(seed: 1);
        string path = Path.Combine(AppContext.BaseDirectory, "Persistence", "Models", file);
        ITransformer loaded = context.Model.Load(path, out _);
        // Version 3: the state in an expression, no serial-read marker (version 4).
        Assert.Contains(Stages(loaded), t => t is ExpressionTransformer);
        Assert.DoesNotContain(Stages(loaded), t => t.GetType().Name.StartsWith("StatefulCustomMappingTransformer", StringComparison.Ordinal));
        IDataView data = file switch
        {
            "binary-breast-cancer-chain3.zip" => TrainerData.BreastCancer(context),
            "multiclass-iris-chain3.zip" => TrainerData.Iris(context),
            "multiclass-digits-float-classes-chain3.zip" => TrainerData.Digits(context),
            _ => TrainerData.Diabetes(context),
        };
        NeuralNetworkModelParameters network = NeuralNetworkModelParameters.FromModel(loaded);

        IDataView scored = loaded.Transform(data);

        float[][] direct = [.. data.GetColumn<float[]>("Features").Select(f => Score(network, f))];
        Assert.Equal(direct.SelectMany(Bits), ColumnBits.Singles(scored, "Score"));
        if (file.StartsWith("multiclass", StringComparison.Ordinal))
        {
            Assert.Equal(direct.Select(s => (uint)ArgMax(s) + 1), ColumnBits.Keys(scored, "PredictedLabel"));
        }

        using var directory = new TempDirectory();
        Assert.Equal(direct.SelectMany(Bits), ColumnBits.Singles(FreshProcess.Score(context, path, data, directory.Path), "Score"));
    }

    [Fact]
    public void Multiclass_TextClasses_KeyFromTermLookupWithTheLabelsKeyValuesBeforeAndAfterLoad()
    {
        var context = new MLContext(seed: 1);
        IDataView data = TrainerData.Iris(context);
        TransformerChain<NeuralNetworkPredictionTransformer> model = context.Transforms.Conversion.MapValueToKey("Label", "Species")
            .Append(context.MulticlassClassification.Trainers.NeuralNetwork(new NeuralNetworkOptions { HiddenSize = 8, Epochs = 20, Seed = 1 }))
            .Fit(data);
        NeuralNetworkPredictionTransformer network = model.LastTransformer;
        Assert.Contains(network.InnerChain, t => t is ValueToKeyMappingTransformer);
        Assert.DoesNotContain(network.InnerChain, t => t is ValueMappingTransformer);
        ITransformer loaded = SaveAndLoad(context, model, data);
        // In memory the state is written by a mapping; the saved model carries it in an expression, and has no value lookup.
        Assert.Contains(Stages(loaded), t => t is ExpressionTransformer);
        Assert.DoesNotContain(Stages(loaded), t => t is ValueMappingTransformer);

        foreach (IDataView scored in new[] { model.Transform(data), loaded.Transform(data) })
        {
            DataViewSchema.Column label = scored.Schema["Label"], predicted = scored.Schema["PredictedLabel"];
            Assert.Equal(label.Type, predicted.Type);
            Assert.Equal(["KeyValues"], predicted.Annotations.Schema.Select(a => a.Name));
            Assert.Equal(label.Annotations.Schema["KeyValues"].Type, predicted.Annotations.Schema["KeyValues"].Type);
            Assert.Equal(IrisClasses, ColumnBits.KeyValues(predicted));
            float[][] scores = [.. scored.GetColumn<float[]>("Score")];
            Assert.Equal(scores.Select(s => (uint)ArgMax(s) + 1), ColumnBits.Keys(scored, "PredictedLabel"));
        }

        Assert.Equal(ColumnBits.Singles(model.Transform(data), "Score"), ColumnBits.Singles(loaded.Transform(data), "Score"));
    }

    [Fact]
    public void Multiclass_NaNFeature_PredictsTheMissingKeyBeforeAndAfterLoad()
    {
        var context = new MLContext(seed: 1);
        var rows = new List<ClassRow>();
        for (int i = 0; i < 60; i++)
        {
            rows.Add(new ClassRow { Features = [i % 3, (i * 7 % 5) - 2f], Name = IrisClasses[i % 3] });
        }

        IDataView train = context.Data.LoadFromEnumerable(rows);
        ITransformer model = context.Transforms.Conversion.MapValueToKey("Label", nameof(ClassRow.Name))
            .Append(context.MulticlassClassification.Trainers.NeuralNetwork(new NeuralNetworkOptions { HiddenSize = 4, Epochs = 5, Seed = 1 }))
            .Fit(train);
        ITransformer loaded = SaveAndLoad(context, model, train);
        IDataView test = context.Data.LoadFromEnumerable<ClassRow>(
            [new() { Features = [1f, float.NaN], Name = "setosa" }, new() { Features = [1f, 0f], Name = "setosa" }]);

        foreach (ITransformer scorer in new[] { model, loaded })
        {
            uint[] keys = ColumnBits.Keys(scorer.Transform(test), "PredictedLabel");
            Assert.Equal(0u, keys[0]);
            Assert.InRange(keys[1], 1u, 3u);
        }
    }

    [Fact]
    public void Multiclass_SparseFeatureRows_SameBitsAsTheDenseRows()
    {
        var context = new MLContext(seed: 1);
        IDataView data = context.Transforms.Conversion.MapValueToKey("Label", "Digit").Fit(TrainerData.Digits(context)).Transform(TrainerData.Digits(context));
        ITransformer model = context.MulticlassClassification.Trainers.NeuralNetwork(new NeuralNetworkOptions { HiddenSize = 16, Epochs = 2, Seed = 1 }).Fit(data);
        DigitsRow[] dense = [.. context.Data.CreateEnumerable<DigitsRow>(data, reuseRowObject: false).Take(200)];
        SparseDigitsRow[] sparse = [.. dense.Select(SparseDigitsRow.From)];
        Assert.True(sparse.Average(r => r.Features.GetValues().Length) < 48, "the rows are not sparse");
        IDataView denseView = context.Data.LoadFromEnumerable(dense), sparseView = context.Data.LoadFromEnumerable(sparse);
        ITransformer loaded = SaveAndLoad(context, model, data);

        int[] expected = ColumnBits.Singles(model.Transform(denseView), "Score");
        Assert.Equal(expected, ColumnBits.Singles(model.Transform(sparseView), "Score"));
        Assert.Equal(expected, ColumnBits.Singles(loaded.Transform(sparseView), "Score"));
        Assert.Equal(ColumnBits.Keys(model.Transform(denseView), "PredictedLabel"), ColumnBits.Keys(loaded.Transform(sparseView), "PredictedLabel"));
    }

    [Theory]
    [InlineData(NeuralNetworkTask.BinaryClassification)]
    [InlineData(NeuralNetworkTask.MulticlassClassification)]
    [InlineData(NeuralNetworkTask.Regression)]
    public void Transform_SerialCursor_AllocatesNothingPerRowBeforeAndAfterLoad(NeuralNetworkTask task)
    {
        var context = new MLContext(seed: 1);
        (IDataView data, IEstimator<ITransformer> trainer) = task switch
        {
            NeuralNetworkTask.BinaryClassification => (TrainerData.BreastCancer(context), (IEstimator<ITransformer>)context.BinaryClassification.Trainers.NeuralNetwork(Options())),
            // The label is keyed in the data, not by a stage of the model: after Load, the stages before the network's
            // (ML.NET's own) are asked for a single cursor, and may split it over threads themselves (see
            // SerialReadMappingFactory); this test is about the network's stages.
            NeuralNetworkTask.MulticlassClassification => (context.Transforms.Conversion.MapValueToKey("Label", "Species").Fit(TrainerData.Iris(context)).Transform(TrainerData.Iris(context)),
                context.MulticlassClassification.Trainers.NeuralNetwork(Options())),
            _ => (TrainerData.Diabetes(context), context.Regression.Trainers.NeuralNetwork(Options())),
        };
        ITransformer model = trainer.Fit(data);
        ITransformer loaded = SaveAndLoad(context, model, data);
        string[] outputs = task switch
        {
            NeuralNetworkTask.BinaryClassification => ["Score", "Probability", "PredictedLabel"],
            NeuralNetworkTask.MulticlassClassification => ["Score", "PredictedLabel"],
            _ => ["Score"],
        };

        foreach (ITransformer scorer in new[] { model, loaded })
        {
            // The data is cached so that the source allocates nothing either; the first rows warm the cursor up.
            IDataView scored = scorer.Transform(context.Data.Cache(data));
            long allocated = AllocatedWhileIterating(scored, outputs, warmUpRows: 20, out int rows);
            Assert.True(rows > 100, $"{rows} rows");
            // Less than the smallest object (24 bytes) a row: nothing is allocated per row (the value lookups did 180 bytes).
            Assert.True(allocated < 8 * rows, $"{task}: {allocated} bytes allocated for {rows} rows");
        }
    }

    private static NeuralNetworkOptions Options() => new() { HiddenSize = 8, Epochs = 2, Seed = 1 };

    /// <summary>Bytes this thread allocated while a single cursor served every row after the first <paramref name="warmUpRows"/>.</summary>
    private static long AllocatedWhileIterating(IDataView scored, string[] columnNames, int warmUpRows, out int rows)
    {
        DataViewSchema.Column[] columns = [.. columnNames.Select(n => scored.Schema[n])];
        using DataViewRowCursor cursor = scored.GetRowCursorSet(columns, 1)[0];
        Action[] getters = [.. columns.Select(c => Getter(cursor, c))];
        rows = 0;
        long start = 0;
        while (cursor.MoveNext())
        {
            if (rows++ == warmUpRows)
            {
                start = GC.GetAllocatedBytesForCurrentThread();
            }

            foreach (Action getter in getters)
            {
                getter();
            }
        }

        rows -= warmUpRows;
        return GC.GetAllocatedBytesForCurrentThread() - start;
    }

    private static Action Getter(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        switch (column.Type)
        {
            case VectorDataViewType:
                {
                    ValueGetter<VBuffer<float>> getter = cursor.GetGetter<VBuffer<float>>(column);
                    VBuffer<float> value = default;
                    return () => getter(ref value);
                }

            case KeyDataViewType:
                {
                    ValueGetter<uint> getter = cursor.GetGetter<uint>(column);
                    uint value = 0;
                    return () => getter(ref value);
                }

            case BooleanDataViewType:
                {
                    ValueGetter<bool> getter = cursor.GetGetter<bool>(column);
                    bool value = false;
                    return () => getter(ref value);
                }

            default:
                {
                    ValueGetter<float> getter = cursor.GetGetter<float>(column);
                    float value = 0;
                    return () => getter(ref value);
                }
        }
    }

    private static ITransformer SaveAndLoad(MLContext context, ITransformer model, IDataView data)
    {
        using var stream = new MemoryStream();
        context.Model.Save(model, data.Schema, stream);
        stream.Position = 0;
        return new MLContext(seed: 1).Model.Load(stream, out _);
    }

    private sealed class ClassRow
    {
        [VectorType(2)]
        public float[] Features { get; set; } = [];

        public string Name { get; set; } = "";
    }

    private sealed class DigitsRow
    {
        [VectorType(64)]
        public float[] Features { get; set; } = [];
    }

    private sealed class SparseDigitsRow
    {
        [VectorType(64)]
        public VBuffer<float> Features { get; set; }

        public static SparseDigitsRow From(DigitsRow row)
        {
            int[] indices = [.. Enumerable.Range(0, row.Features.Length).Where(i => row.Features[i] != 0)];
            return new SparseDigitsRow { Features = new VBuffer<float>(row.Features.Length, indices.Length, [.. indices.Select(i => row.Features[i])], indices) };
        }
    }
}
