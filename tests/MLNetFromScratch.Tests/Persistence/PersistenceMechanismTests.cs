using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFromScratch.Persistence;
using MLNetFromScratch.Tests.Infrastructure;

namespace MLNetFromScratch.Tests.Persistence;

public class PersistenceMechanismTests
{
    private const int Size = 5;

    public sealed class Row
    {
        [VectorType(Size)]
        public float[] Features { get; set; } = [];
    }

    public sealed class Prediction
    {
        [VectorType(Size)]
        public float[] Score { get; set; } = [];

        public uint PredictedLabel { get; set; }
    }

    private static IDataView MakeData(MLContext context, int rows = 200)
    {
        var random = new Random(1);
        Row[] data = [.. Enumerable.Range(0, rows).Select(_ => new Row
        {
            Features = [.. Enumerable.Range(0, Size).Select(_ => (float)(random.NextDouble() * 4 - 2))],
        })];
        return context.Data.LoadFromEnumerable(data);
    }

    private static (MLContext Context, IDataView Data, ITransformer Model) FitPipeline()
    {
        var context = new MLContext(seed: 1);
        IDataView data = MakeData(context);
        var pipeline = context.Transforms.CopyColumns("Features2", "Features")
            .Append(new AffineEstimator(context, "Features", scale: 0.5f, offset: 0.25f));
        return (context, data, pipeline.Fit(data));
    }

    [Fact]
    public void Transform_FittedComponent_HasKnownSizeScoreAndKeyLabelWithClassNames()
    {
        (_, IDataView data, ITransformer model) = FitPipeline();
        DataViewSchema schema = model.Transform(data).Schema;

        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, Size), schema["Score"].Type);
        Assert.Equal(new KeyDataViewType(typeof(uint), Size), schema["PredictedLabel"].Type);
        Assert.Equal([.. Enumerable.Range(0, Size).Select(i => $"class{i}")], ColumnBits.KeyValues(schema["PredictedLabel"]));
        Assert.DoesNotContain(schema, c => c.Name.StartsWith(StateColumns.ReservedPrefix, StringComparison.Ordinal));
    }

    [Fact]
    public void Transform_Score_IsTheComponentsFormula()
    {
        (_, IDataView data, ITransformer model) = FitPipeline();
        int[] input = ColumnBits.Singles(data, "Features");
        int[] score = ColumnBits.Singles(model.Transform(data), "Score");
        uint[] keys = ColumnBits.Keys(model.Transform(data), "PredictedLabel");

        for (int n = 0; n < input.Length; n++)
        {
            int i = n % Size;
            float expected = BitConverter.Int32BitsToSingle(input[n]) * (0.5f * (i + 1)) + (0.25f - i);
            Assert.Equal(expected, BitConverter.Int32BitsToSingle(score[n]));
        }

        for (int r = 0; r < keys.Length; r++)
        {
            float[] row = [.. score.Skip(r * Size).Take(Size).Select(BitConverter.Int32BitsToSingle)];
            Assert.Equal((uint)Array.IndexOf(row, row.Max()) + 1, keys[r]);
        }
    }

    [Fact]
    public void GetOutputSchema_AgreesWithFittedTransformer()
    {
        var context = new MLContext(seed: 1);
        IDataView data = MakeData(context);
        var estimator = new AffineEstimator(context, "Features", 1f, 0f);
        SchemaShape shape = estimator.GetOutputSchema(Shapes.Of<Row>(context));
        DataViewSchema schema = estimator.Fit(data).GetOutputSchema(data.Schema);

        Assert.Equal(schema.Select(c => c.Name).Order(), shape.Select(c => c.Name).Order());
        SchemaShape.Column score = shape.Single(c => c.Name == "Score");
        Assert.Equal(SchemaShape.Column.VectorKind.Vector, score.Kind);
        Assert.True(shape.Single(c => c.Name == "PredictedLabel").IsKey);
    }

    [Fact]
    public void SaveLoad_SameProcess_BitIdenticalAndKeyValuesKept()
    {
        (MLContext context, IDataView data, ITransformer model) = FitPipeline();
        using var temp = new TempDirectory();
        context.Model.Save(model, data.Schema, temp.File("model.zip"));
        ITransformer loaded = new MLContext(seed: 2).Model.Load(temp.File("model.zip"), out _);

        IDataView before = model.Transform(data);
        IDataView after = loaded.Transform(data);
        Assert.Equal(ColumnBits.Singles(before, "Score"), ColumnBits.Singles(after, "Score"));
        Assert.Equal(ColumnBits.Keys(before, "PredictedLabel"), ColumnBits.Keys(after, "PredictedLabel"));
        Assert.Equal(ColumnBits.KeyValues(before.Schema["PredictedLabel"]), ColumnBits.KeyValues(after.Schema["PredictedLabel"]));
        Assert.Equal(before.Schema["Score"].Type, after.Schema["Score"].Type);
    }

    [Fact]
    public void SaveLoad_FreshProcess_BitIdentical()
    {
        (MLContext context, IDataView data, ITransformer model) = FitPipeline();
        using var temp = new TempDirectory();
        context.Model.Save(model, data.Schema, temp.File("model.zip"));

        IDataView before = model.Transform(data);
        IDataView after = FreshProcess.Score(context, temp.File("model.zip"), data, temp.Path);

        Assert.Equal(ColumnBits.Singles(before, "Score"), ColumnBits.Singles(after, "Score"));
        Assert.Equal(ColumnBits.Keys(before, "PredictedLabel"), ColumnBits.Keys(after, "PredictedLabel"));
        Assert.Equal(ColumnBits.KeyValues(before.Schema["PredictedLabel"]), ColumnBits.KeyValues(after.Schema["PredictedLabel"]));
    }

    [Fact]
    public void PredictionEngine_BeforeAndAfterLoad_AgreesWithTransform()
    {
        (MLContext context, IDataView data, ITransformer model) = FitPipeline();
        using var temp = new TempDirectory();
        context.Model.Save(model, data.Schema, temp.File("model.zip"));
        ITransformer loaded = context.Model.Load(temp.File("model.zip"), out _);
        int[] expected = ColumnBits.Singles(model.Transform(data), "Score");
        uint[] expectedKeys = ColumnBits.Keys(model.Transform(data), "PredictedLabel");

        foreach (ITransformer candidate in new[] { model, loaded })
        {
            using PredictionEngine<Row, Prediction> engine = context.Model.CreatePredictionEngine<Row, Prediction>(candidate);
            Row[] rows = [.. context.Data.CreateEnumerable<Row>(data, reuseRowObject: false)];
            for (int r = 0; r < rows.Length; r++)
            {
                Prediction p = engine.Predict(rows[r]);
                Assert.Equal(expected.AsSpan(r * Size, Size).ToArray(), p.Score.Select(BitConverter.SingleToInt32Bits).ToArray());
                Assert.Equal(expectedKeys[r], p.PredictedLabel);
            }
        }
    }

    [Fact]
    public void Transform_LoadedModelOnManyThreads_SameBytes()
    {
        (MLContext context, IDataView data, ITransformer model) = FitPipeline();
        using var temp = new TempDirectory();
        context.Model.Save(model, data.Schema, temp.File("model.zip"));
        ITransformer loaded = context.Model.Load(temp.File("model.zip"), out _);
        IDataView cached = context.Data.Cache(MakeData(context, rows: 5000));
        int[] expected = ColumnBits.Singles(model.Transform(cached), "Score");

        int[][] results = new int[4][];
        Parallel.For(0, results.Length, t => results[t] = ColumnBits.Singles(loaded.Transform(cached), "Score"));

        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Fact]
    public void ReadStates_LoadedPipelineWithTwoComponents_ReturnsBothInOrder()
    {
        var context = new MLContext(seed: 1);
        IDataView data = MakeData(context);
        var pipeline = new AffineEstimator(context, "Features", 1f, 0f)
            .Append(context.Transforms.CopyColumns("FirstScore", "Score"))
            .Append(new AffineEstimator(context, "FirstScore", 2f, 1f));
        ITransformer model = pipeline.Fit(data);
        using var temp = new TempDirectory();
        context.Model.Save(model, data.Schema, temp.File("model.zip"));
        ITransformer loaded = context.Model.Load(temp.File("model.zip"), out _);

        foreach (ITransformer candidate in new[] { model, loaded })
        {
            IReadOnlyList<string> states = ModelStateReader.ReadStates(candidate, AffineState.Kind);
            Assert.Equal(2, states.Count);
            Assert.Equal(1f * 2, AffineState.Decode(states[0].AsMemory()).Scale[1]);
            Assert.Equal(2f * 2, AffineState.Decode(states[1].AsMemory()).Scale[1]);
            Assert.False(ModelStateReader.TryReadState(candidate, "NoSuchKind", out _));
        }
    }

    [Fact]
    public void BuildChain_DeferredState_SameScoresSchemaAndSavedStateAsTheStateAppendedFirst()
    {
        var context = new MLContext(seed: 1);
        IDataView data = MakeData(context);
        var state = new AffineState([1f, -2f, 3f, 0.5f, 4f], [0f, 1f, -1f, 2f, 0.25f], ["a", "b", "c", "d", "e"]);
        string text = state.Encode();
        ChainBuilder first = AffineEstimator.AppendStages(
            context, ChainBuilder.ForData(context.Transforms, data).AppendState(text), "Features", Size, state.ClassNames);
        ChainBuilder deferred = AffineEstimator.AppendStages(
            context, ChainBuilder.ForData(context.Transforms, data).AppendDeferredState(), "Features", Size, state.ClassNames);

        ITransformer expected = first.BuildChain();
        ITransformer actual = deferred.BuildChain(text);
        using var temp = new TempDirectory();
        context.Model.Save(actual, data.Schema, temp.File("model.zip"));
        ITransformer loaded = new MLContext(seed: 2).Model.Load(temp.File("model.zip"), out _);

        foreach (ITransformer model in new[] { actual, loaded })
        {
            IDataView scored = model.Transform(data);
            Assert.Equal(ColumnBits.Singles(expected.Transform(data), "Score"), ColumnBits.Singles(scored, "Score"));
            Assert.Equal(ColumnBits.Keys(expected.Transform(data), "PredictedLabel"), ColumnBits.Keys(scored, "PredictedLabel"));
            Assert.Equal(expected.GetOutputSchema(data.Schema).Select(c => (c.Name, c.Type)), scored.Schema.Select(c => (c.Name, c.Type)));
            Assert.Equal([text], ModelStateReader.ReadStates(model, AffineState.Kind));
        }
    }

    [Fact]
    public void BuildChainWithInMemoryState_ScoresAndSavesAsTheChainWithTheLookup()
    {
        var context = new MLContext(seed: 1);
        IDataView data = MakeData(context);
        var state = new AffineState([1f, -2f, 3f, 0.5f, 4f], [0f, 1f, -1f, 2f, 0.25f], ["a", "b", "c", "d", "e"]);
        string text = state.Encode();
        ChainBuilder builder = AffineEstimator.AppendStages(
            context, ChainBuilder.ForData(context.Transforms, data).AppendDeferredState(), "Features", Size, state.ClassNames);

        ITransformer expected = builder.BuildChain(text);
        (TransformerChain<ITransformer> actual, Func<TransformerChain<ITransformer>> saveable) = builder.BuildChainWithInMemoryState(text);
        using var temp = new TempDirectory();
        context.Model.Save(expected, data.Schema, temp.File("expected.zip"));
        context.Model.Save(saveable(), data.Schema, temp.File("actual.zip"));
        ITransformer loaded = new MLContext(seed: 2).Model.Load(temp.File("actual.zip"), out _);

        foreach (ITransformer model in new ITransformer[] { actual, loaded })
        {
            IDataView scored = model.Transform(data);
            Assert.Equal(ColumnBits.Singles(expected.Transform(data), "Score"), ColumnBits.Singles(scored, "Score"));
            Assert.Equal(ColumnBits.Keys(expected.Transform(data), "PredictedLabel"), ColumnBits.Keys(scored, "PredictedLabel"));
            Assert.Equal(expected.GetOutputSchema(data.Schema).Select(c => (c.Name, c.Type)), scored.Schema.Select(c => (c.Name, c.Type)));
            Assert.Equal([text], ModelStateReader.ReadStates(model, AffineState.Kind));
        }

        // The same entries, each stage's bytes the same. A lookup's table (*.idv) is compared by what it loads as
        // (above): two constructions of the same MapValue now and then give tables of different bytes (seen with
        // ML.NET's MapValue alone, nothing of ours).
        List<(string Name, string Bytes)> expectedEntries = ZipEntries(temp.File("expected.zip"));
        List<(string Name, string Bytes)> actualEntries = ZipEntries(temp.File("actual.zip"));
        Assert.Equal(expectedEntries.Select(e => e.Name), actualEntries.Select(e => e.Name));
        Assert.Equal(expectedEntries.Where(e => !e.Name.EndsWith(".idv", StringComparison.Ordinal)), actualEntries.Where(e => !e.Name.EndsWith(".idv", StringComparison.Ordinal)));
    }

    [Fact]
    public void BuildChainWithInMemoryState_LongState_AllocatesFarLessThanTheText()
    {
        // The value lookup would serialize the text on construction (over 10 bytes of garbage a character).
        var context = new MLContext(seed: 1);
        IDataView data = MakeData(context);
        string text = new('A', 1_000_000);
        ChainBuilder builder = ChainBuilder.ForData(context.Transforms, data).AppendDeferredState();
        _ = ChainBuilder.ForData(context.Transforms, data).AppendDeferredState().BuildChainWithInMemoryState("warm-up");

        long before = GC.GetAllocatedBytesForCurrentThread();
        _ = builder.BuildChainWithInMemoryState(text);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < text.Length / 4, $"Building the chain allocated {allocated} bytes for a state of {text.Length} characters.");
    }

    // Each entry of a model file as its name and its bytes in hexadecimal.
    private static List<(string Name, string Bytes)> ZipEntries(string path)
    {
        using System.IO.Compression.ZipArchive zip = System.IO.Compression.ZipFile.OpenRead(path);
        var entries = new List<(string, string)>();
        foreach (System.IO.Compression.ZipArchiveEntry entry in zip.Entries.OrderBy(e => e.FullName, StringComparer.Ordinal))
        {
            using Stream stream = entry.Open();
            using var bytes = new MemoryStream();
            stream.CopyTo(bytes);
            entries.Add((entry.FullName, Convert.ToHexString(bytes.ToArray())));
        }

        return entries;
    }

    [Fact]
    public void AppendState_ShapeMode_SameShapeAsTheStateLookupWithoutConstructingIt()
    {
        var context = new MLContext(seed: 1);
        SchemaShape input = Shapes.Of<Row>(context);
        SchemaShape withKey = context.Transforms.CustomMapping(new ConstantKeyMappingFactory().GetMapping(), contractName: null).GetOutputSchema(input);
        SchemaShape expected = context.Transforms.Conversion.MapValue(
            StateColumns.State, [new KeyValuePair<float, string>(ConstantKeyMappingFactory.Key, "state")], StateColumns.StateKey).GetOutputSchema(withKey);

        Assert.Equal(Describe(expected), Describe(ChainBuilder.ForShape(context.Transforms, input).AppendState("state").OutputShape));
        Assert.Equal(Describe(expected), Describe(ChainBuilder.ForShape(context.Transforms, input).AppendDeferredState().OutputShape));
        Assert.Contains(expected, c => c.Name == StateColumns.State);
    }

    [Fact]
    public void BuildChain_DeferredStateMisused_InvalidOperation()
    {
        var context = new MLContext(seed: 1);
        IDataView data = MakeData(context);
        ChainBuilder deferred = ChainBuilder.ForData(context.Transforms, data).AppendDeferredState();
        ChainBuilder appended = ChainBuilder.ForData(context.Transforms, data).AppendState(new AffineState([1f], [0f], ["a"]).Encode());

        Assert.Throws<InvalidOperationException>(deferred.BuildChain); // would save the empty placeholder
        Assert.Throws<InvalidOperationException>(() => appended.BuildChain("state"));
        Assert.Throws<InvalidOperationException>(() => deferred.AppendDeferredState());
        Assert.Throws<InvalidOperationException>(() => ChainBuilder.ForShape(context.Transforms, Shapes.Of<Row>(context)).AppendDeferredState().BuildChain("state"));
    }

    [Fact]
    public void AppendPaddedVectorMapping_AboveLargestTier_ThrowsNamingSize()
    {
        IPaddedVectorStage[] tiers = [new Affine4(), new Affine16()];
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => PaddedVectorTiers.Select(tiers, 17, "TestAffine"));
        Assert.Contains("17", e.Message, StringComparison.Ordinal);
        Assert.Contains("16", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_InputWithReservedColumnName_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() =>
        {
            var context = new MLContext();
            IDataView data = context.Transforms.CopyColumns(StateColumns.Input, "Features").Fit(MakeData(context)).Transform(MakeData(context));
            StateColumns.CheckNoReservedColumns(data.Schema, "TestAffine");
        });
        Assert.Contains(StateColumns.Input, e.Message, StringComparison.Ordinal);
    }

    private static string[] Describe(SchemaShape shape) =>
        [.. shape.Select(c => $"{c.Name} {c.Kind} {c.ItemType} key={c.IsKey} [{string.Join(",", c.Annotations.Select(a => $"{a.Name} {a.Kind} {a.ItemType}"))}]").Order()];
}
