using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using MLNetFromScratch.Tests.Infrastructure;
using MLNetFromScratch.Transforms;

namespace MLNetFromScratch.Tests.Transforms;

// Oracle: ML.NET 5.0.1's Categorical.OneHotEncoding with OutputKind.Indicator, which is MapValueToKey followed
// by ML.NET's own key-to-indicator vector. One-hot codes are exact 0/1, so the comparison is bit for bit.
public class OneHotTests
{
    private static string DataPath(string name) => Path.Combine(AppContext.BaseDirectory, "Data", name);

    private static IDataView LoadIris(MLContext context) =>
        context.Data.LoadFromTextFile(DataPath("iris.csv"), [new TextLoader.Column("Species", DataKind.String, 4)], separatorChar: ',', hasHeader: true);

    private static IDataView LoadDigits(MLContext context, DataKind kind = DataKind.Single) =>
        context.Data.LoadFromTextFile(DataPath("digits-8x8.csv"), [new TextLoader.Column("Digit", kind, 64)], separatorChar: ',', hasHeader: true);

    private static IDataView Ints(MLContext context, params int[] values) =>
        context.Data.LoadFromEnumerable(values.Select(v => new IntRow { X = v }));

    [Fact]
    public void Transform_IrisSpeciesKey_MatchesMLNetOneHotEncoding()
    {
        var context = new MLContext(seed: 1);
        IDataView data = LoadIris(context);
        IDataView ours = context.Transforms.Conversion.MapValueToKey("Key", "Species")
            .Append(context.Transforms.OneHot("Hot", "Key")).Fit(data).Transform(data);
        IDataView oracle = context.Transforms.Categorical.OneHotEncoding("Hot", "Species", OneHotEncodingEstimator.OutputKind.Indicator)
            .Fit(data).Transform(data);

        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 3), ours.Schema["Hot"].Type);
        Assert.Equal(oracle.Schema["Hot"].Type, ours.Schema["Hot"].Type);
        Assert.Equal(ColumnBits.Singles(oracle, "Hot"), ColumnBits.Singles(ours, "Hot"));
    }

    [Theory]
    [InlineData(DataKind.Single)]
    [InlineData(DataKind.Double)]
    [InlineData(DataKind.Int32)]
    [InlineData(DataKind.Int64)]
    [InlineData(DataKind.UInt32)]
    public void Transform_DigitsWholeNumbers_MatchesMLNetOneHotEncodingByValue(DataKind kind)
    {
        var context = new MLContext(seed: 1);
        IDataView data = LoadDigits(context, kind);
        OneHotTransformer model = context.Transforms.OneHot("Hot", "Digit").Fit(data);
        IDataView oracle = context.Transforms.Categorical.OneHotEncoding("Hot", "Digit", OneHotEncodingEstimator.OutputKind.Indicator,
            keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue).Fit(data).Transform(data);

        Assert.Equal(Enumerable.Range(0, 10).Select(i => (double)i), model.Parameters.Categories);
        Assert.Equal(10, model.Parameters.SlotCount);
        Assert.False(model.Parameters.IsKey);
        Assert.Equal(ColumnBits.Singles(oracle, "Hot"), ColumnBits.Singles(model.Transform(data), "Hot"));
    }

    [Fact]
    public void Transform_SparseValues_SlotsAreSortedDistinctValues()
    {
        var context = new MLContext(seed: 1);
        OneHotTransformer model = context.Transforms.OneHot("X").Fit(Ints(context, 40, -3, 7, 40, 0));
        Assert.Equal([-3d, 0, 7, 40], model.Parameters.Categories);
        float[] hot = Values(model.Transform(Ints(context, 7, 40, -3)), "X");
        Assert.Equal([0f, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0], hot);
    }

    [Fact]
    public void Transform_BooleanColumn_FalseThenTrue()
    {
        var context = new MLContext(seed: 1);
        IDataView data = context.Data.LoadFromEnumerable(new[] { true, false, true }.Select(b => new BoolRow { B = b }));
        OneHotTransformer model = context.Transforms.OneHot("Hot", "B").Fit(data);
        Assert.Equal([0d, 1], model.Parameters.Categories);
        Assert.Equal([0f, 1, 1, 0, 0, 1], Values(model.Transform(data), "Hot"));
    }

    [Fact]
    public void Transform_UnseenValueOrMissingKey_MapsToZerosByDefault()
    {
        var context = new MLContext(seed: 1);
        Assert.Equal([0f, 1, 0, 0, 0, 0], Values(context.Transforms.OneHot("X").Fit(Ints(context, 1, 3, 5)).Transform(Ints(context, 3, 4)), "X"));

        (IDataView train, IDataView test) = SpeciesSplit(context);
        IDataView keyed = context.Transforms.Conversion.MapValueToKey("Key", "Species").Append(context.Transforms.OneHot("Hot", "Key"))
            .Fit(train).Transform(test);
        Assert.Equal([1f, 0, 0, 0], Values(keyed, "Hot")); // "a" is key 1; "c" was never seen: the missing key 0
    }

    [Fact]
    public void Transform_UnseenValueOrMissingKey_ThrowsNamingColumnAndValueWhenAsked()
    {
        var context = new MLContext(seed: 1);
        OneHotTransformer numbers = context.Transforms.OneHot("Hot", "X", treatUnknownAsError: true).Fit(Ints(context, 1, 3, 5));
        InvalidDataException e = ThrowsWithin<InvalidDataException>(() => Values(numbers.Transform(Ints(context, 3, 4)), "Hot"));
        Assert.Contains("'X'", e.Message, StringComparison.Ordinal);
        Assert.Contains("value 4", e.Message, StringComparison.Ordinal);

        (IDataView train, IDataView test) = SpeciesSplit(context);
        var keyed = context.Transforms.Conversion.MapValueToKey("Key", "Species")
            .Append(context.Transforms.OneHot(new OneHotOptions { OutputColumnName = "Hot", InputColumnName = "Key", TreatUnknownAsError = true }))
            .Fit(train);
        e = ThrowsWithin<InvalidDataException>(() => Values(keyed.Transform(test), "Hot"));
        Assert.Contains("'Key'", e.Message, StringComparison.Ordinal);
        Assert.Contains("missing key (0)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_NonWholeOrMissingValue_ThrowsNamingColumnAndRow()
    {
        var context = new MLContext(seed: 1);
        IDataView data = context.Data.LoadFromEnumerable(new[] { 1f, float.NaN, 2.5f }.Select(v => new FloatRow { F = v }));
        var e = Assert.Throws<InvalidDataException>(() => context.Transforms.OneHot("Hot", "F").Fit(data));
        Assert.Contains("'F'", e.Message, StringComparison.Ordinal);
        Assert.Contains("2.5 in row 2", e.Message, StringComparison.Ordinal);

        e = Assert.Throws<InvalidDataException>(() => context.Transforms.OneHot("Hot", "F", treatUnknownAsError: true).Fit(data));
        Assert.Contains("NaN) in row 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_WrongColumnType_ThrowsNamingColumn()
    {
        var context = new MLContext(seed: 1);
        IDataView data = LoadIris(context);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => context.Transforms.OneHot("Hot", "Species").Fit(data));
        Assert.Contains("'Species'", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => context.Transforms.OneHot("Hot", "Species").GetOutputSchema(Shapes.Of<TextRow>(context)));
        Assert.Contains("'Species'", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => context.Transforms.OneHot("Hot", "Nope").Fit(data));
        Assert.Contains("'Nope'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Transform_ColumnOfOtherTypeThanFitted_ThrowsNamingColumn()
    {
        var context = new MLContext(seed: 1);
        OneHotTransformer model = context.Transforms.OneHot("Hot", "Digit").Fit(LoadDigits(context, DataKind.Int32));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => model.Transform(LoadDigits(context, DataKind.Single)));
        Assert.Contains("'Digit'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetOutputSchema_AgreesWithFittedSchema()
    {
        var context = new MLContext(seed: 1);
        IDataView data = context.Transforms.Conversion.MapValueToKey("Key", "Species").Fit(LoadIris(context)).Transform(LoadIris(context));
        SchemaShape input = Shapes.Of<KeyShapeRow>(context);
        OneHotEstimator estimator = context.Transforms.OneHot("Hot", "Key");
        SchemaShape.Column hot = estimator.GetOutputSchema(input).Single(c => c.Name == "Hot");
        DataViewSchema fitted = estimator.Fit(data).GetOutputSchema(data.Schema);
        Assert.Equal(SchemaShape.Column.VectorKind.Vector, hot.Kind);
        Assert.Equal(NumberDataViewType.Single, hot.ItemType);
        Assert.False(hot.IsKey);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 3), fitted["Hot"].Type);
        Assert.Equal(data.Schema.Count + 1, fitted.Count);
        Assert.Equal(input.Count + 1, estimator.GetOutputSchema(input).Count);

        IDataView digits = LoadDigits(context, DataKind.Int32);
        OneHotEstimator numbers = context.Transforms.OneHot("Hot", "Digit");
        Assert.Equal(SchemaShape.Column.VectorKind.Vector, numbers.GetOutputSchema(Shapes.Of<IntShapeRow>(context)).Single(c => c.Name == "Hot").Kind);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 10), numbers.Fit(digits).GetOutputSchema(digits.Schema)["Hot"].Type);
    }

    [Fact]
    public void SaveLoad_FreshProcess_BitIdenticalAndParametersReadable()
    {
        var context = new MLContext(seed: 1);
        IDataView data = LoadDigits(context);
        var model = context.Transforms.OneHot("Hot", "Digit")
            .Append(context.Transforms.Conversion.MapValueToKey("Key", "Digit"))
            .Append(context.Transforms.OneHot("KeyHot", "Key", treatUnknownAsError: true))
            .Fit(data);
        using var temp = new TempDirectory();
        context.Model.Save(model, data.Schema, temp.File("model.zip"));

        IDataView after = FreshProcess.Score(context, temp.File("model.zip"), data, temp.Path);
        IDataView before = model.Transform(data);
        Assert.Equal(ColumnBits.Singles(before, "Hot"), ColumnBits.Singles(after, "Hot"));
        Assert.Equal(ColumnBits.Singles(before, "KeyHot"), ColumnBits.Singles(after, "KeyHot"));
        Assert.Equal(before.Schema["KeyHot"].Type, after.Schema["KeyHot"].Type);

        ITransformer loaded = context.Model.Load(temp.File("model.zip"), out _);
        IReadOnlyList<OneHotParameters> read = OneHotParameters.ReadFrom(loaded);
        Assert.Equal(2, read.Count);
        Assert.Equal(OneHotParameters.ReadFrom(model)[0].Categories, read[0].Categories);
        Assert.True(read[1].IsKey);
        Assert.Equal(10, read[1].SlotCount);
        Assert.True(read[1].TreatUnknownAsError);
        Assert.Equal("KeyHot", read[1].OutputColumnName);
    }

    private static (IDataView Train, IDataView Test) SpeciesSplit(MLContext context) =>
        (context.Data.LoadFromEnumerable(new[] { "a", "b", "a" }.Select(s => new TextRow { Species = s })),
         context.Data.LoadFromEnumerable(new[] { "a", "c" }.Select(s => new TextRow { Species = s })));

    // A cursor may read through ML.NET's parallel splitter, which wraps a mapping's exception in an
    // InvalidOperationException ("Splitter/consolidator worker encountered exception ..."): look inside.
    private static T ThrowsWithin<T>(Action action)
        where T : Exception
    {
        Exception thrown = Assert.ThrowsAny<Exception>(action);
        for (Exception? e = thrown; e is not null; e = e.InnerException)
        {
            if (e is T match)
            {
                return match;
            }
        }

        throw new Xunit.Sdk.XunitException($"Expected {typeof(T).Name} within the exception chain, got {thrown}");
    }

    private static float[] Values(IDataView data, string column) =>
        [.. ColumnBits.Singles(data, column).Select(BitConverter.Int32BitsToSingle)];

    public sealed class IntRow
    {
        public int X { get; set; }
    }

    public sealed class FloatRow
    {
        public float F { get; set; }
    }

    public sealed class BoolRow
    {
        public bool B { get; set; }
    }

    public sealed class KeyShapeRow
    {
        [KeyType(3)]
        public uint Key { get; set; }

        public string Species { get; set; } = string.Empty;
    }

    public sealed class IntShapeRow
    {
        public int Digit { get; set; }
    }

    public sealed class TextRow
    {
        public string Species { get; set; } = string.Empty;
    }
}
