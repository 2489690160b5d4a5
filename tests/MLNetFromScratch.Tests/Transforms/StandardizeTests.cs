using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFromScratch.Tests.Infrastructure;
using MLNetFromScratch.Transforms;

namespace MLNetFromScratch.Tests.Transforms;

public class StandardizeTests
{
    private static string DataPath(string name) => Path.Combine(AppContext.BaseDirectory, "Data", name);

    private static IDataView LoadWdbc(MLContext context) =>
        context.Data.LoadFromTextFile(DataPath("breast-cancer-wdbc.csv"),
            [new TextLoader.Column("Features", DataKind.Single, 0, 29), new TextLoader.Column("Radius", DataKind.Single, 0)],
            separatorChar: ',', hasHeader: true);

    private static IDataView LoadWithMissing(MLContext context) =>
        context.Data.LoadFromTextFile(DataPath("breast-cancer-with-missing.tsv"),
            [new TextLoader.Column("Features", DataKind.Single, 1, 9)], separatorChar: '\t', hasHeader: false);

    private static float[] Values(IDataView data, string column) =>
        [.. ColumnBits.Singles(data, column).Select(BitConverter.Int32BitsToSingle)];

    [Fact]
    public void Transform_Wdbc_MatchesMLNetNormalizeMeanVariance()
    {
        // ML.NET's mean-variance normalizer uses the population variance unless asked for the sample one
        // (NormalizeColumnDbl.cs, useSampleVariance = false by default), as we do. Both accumulate in double and
        // map in float: ML.NET as (x - μ) * (1/σ), we as (x - μ) / σ, so values differ by a few float ulps.
        // |z| < 13 on this data; 1e-5 absolute is ~30 ulps at that magnitude.
        var context = new MLContext(seed: 1);
        IDataView data = LoadWdbc(context);
        float[] ours = Values(context.Transforms.Standardize("Z", "Features").Fit(data).Transform(data), "Z");
        float[] oracle = Values(context.Transforms.NormalizeMeanVariance("Z", "Features", fixZero: false).Fit(data).Transform(data), "Z");

        Assert.Equal(569 * 30, ours.Length);
        for (int i = 0; i < ours.Length; i++)
        {
            Assert.True(Math.Abs(ours[i] - oracle[i]) <= 1e-5f, $"value {i}: ours {ours[i]}, ML.NET {oracle[i]}");
        }
    }

    [Fact]
    public void Fit_Wdbc_ParametersMatchTwoPassDoubleReference()
    {
        var context = new MLContext(seed: 1);
        IDataView data = LoadWdbc(context);
        StandardizeParameters parameters = context.Transforms.Standardize("Z", "Features").Fit(data).Parameters;
        float[] x = Values(data, "Features");
        int n = x.Length / 30;

        for (int j = 0; j < 30; j++)
        {
            double mean = Enumerable.Range(0, n).Average(r => (double)x[r * 30 + j]);
            double variance = Enumerable.Range(0, n).Average(r => Math.Pow(x[r * 30 + j] - mean, 2));
            Assert.Equal((float)mean, parameters.Means[j]);
            Assert.Equal((float)Math.Sqrt(variance), parameters.StandardDeviations[j], 6);
        }
    }

    [Fact]
    public void Transform_ScalarColumn_StaysScalarAndStandardized()
    {
        var context = new MLContext(seed: 1);
        IDataView data = LoadWdbc(context);
        IDataView result = context.Transforms.Standardize("Radius").Fit(data).Transform(data);

        Assert.Equal(NumberDataViewType.Single, result.Schema["Radius"].Type);
        float[] z = Values(result, "Radius");
        Assert.Equal(0, z.Average(v => (double)v), 5);
        Assert.Equal(1, Math.Sqrt(z.Average(v => (double)v * v)), 5);
    }

    [Fact]
    public void Transform_MissingValues_LeftOutOfFitAndMappedToZero()
    {
        var context = new MLContext(seed: 1);
        IDataView data = LoadWithMissing(context);
        float[] x = Values(data, "Features");
        Assert.Equal(16, x.Count(float.IsNaN)); // ML.NET's text loader reads '?' as NaN for Single columns

        StandardizeTransformer model = context.Transforms.Standardize("Features").Fit(data);
        float[] z = Values(model.Transform(data), "Features");

        double[] present = [.. Enumerable.Range(0, x.Length / 9).Select(r => x[r * 9 + 5]).Where(v => !float.IsNaN(v)).Select(v => (double)v)];
        Assert.Equal((float)present.Average(), model.Parameters.Means[5]);
        for (int i = 0; i < x.Length; i++)
        {
            if (float.IsNaN(x[i]))
            {
                Assert.Equal(0f, z[i]);
            }
        }

        Assert.DoesNotContain(z, float.IsNaN);
    }

    [Fact]
    public void Fit_MissingValueAsError_ThrowsNamingColumnRowAndSlot()
    {
        var context = new MLContext(seed: 1);
        IDataView data = LoadWithMissing(context);
        var e = Assert.Throws<InvalidDataException>(() => context.Transforms.Standardize("Features", treatMissingAsError: true).Fit(data));
        Assert.Contains("'Features'", e.Message, StringComparison.Ordinal);
        Assert.Contains("row 23", e.Message, StringComparison.Ordinal);
        Assert.Contains("slot 5", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_InfiniteValue_ThrowsNamingColumnAndRow()
    {
        var context = new MLContext(seed: 1);
        IDataView data = context.Data.LoadFromEnumerable(new[] { 1f, 2f, float.PositiveInfinity, 3f }.Select(v => new ScalarRow { X = v }));
        var e = Assert.Throws<InvalidDataException>(() => context.Transforms.Standardize("X").Fit(data));
        Assert.Contains("'X'", e.Message, StringComparison.Ordinal);
        Assert.Contains("row 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Transform_ConstantSlot_MapsToZero()
    {
        var context = new MLContext(seed: 1);
        IDataView data = context.Data.LoadFromEnumerable(new[] { 5f, 5f, 5f }.Select(v => new ScalarRow { X = v }));
        StandardizeTransformer model = context.Transforms.Standardize("X").Fit(data);
        Assert.Equal(0f, model.Parameters.StandardDeviations[0]);
        Assert.All(Values(model.Transform(data), "X"), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void GetOutputSchema_AgreesWithFittedSchema()
    {
        var context = new MLContext(seed: 1);
        IDataView data = LoadWdbc(context);
        StandardizeEstimator estimator = context.Transforms.Standardize("Z", "Features");
        SchemaShape shape = estimator.GetOutputSchema(Shapes.Of<WdbcShapeRow>(context));
        DataViewSchema schema = estimator.Fit(data).GetOutputSchema(data.Schema);

        SchemaShape.Column z = shape.Single(c => c.Name == "Z");
        Assert.Equal(SchemaShape.Column.VectorKind.Vector, z.Kind);
        Assert.Equal(NumberDataViewType.Single, z.ItemType);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 30), schema["Z"].Type);
        Assert.Throws<ArgumentOutOfRangeException>(() => context.Transforms.Standardize("Z", "Nope").GetOutputSchema(shape));
    }

    [Fact]
    public void SaveLoad_FreshProcess_BitIdenticalAndParametersReadable()
    {
        var context = new MLContext(seed: 1);
        IDataView data = LoadWithMissing(context);
        var model = context.Transforms.Standardize("Features").Append(context.Transforms.Standardize("Second", "Features")).Fit(data);
        using var temp = new TempDirectory();
        context.Model.Save(model, data.Schema, temp.File("model.zip"));

        IDataView after = FreshProcess.Score(context, temp.File("model.zip"), data, temp.Path);
        IDataView before = model.Transform(data);
        Assert.Equal(ColumnBits.Singles(before, "Features"), ColumnBits.Singles(after, "Features"));
        Assert.Equal(ColumnBits.Singles(before, "Second"), ColumnBits.Singles(after, "Second"));

        ITransformer loaded = context.Model.Load(temp.File("model.zip"), out _);
        IReadOnlyList<StandardizeParameters> read = StandardizeParameters.ReadFrom(loaded);
        Assert.Equal(2, read.Count);
        Assert.Equal(StandardizeParameters.ReadFrom(model)[0].Means, read[0].Means);
        Assert.Equal("Second", read[1].OutputColumnName);
    }

    public sealed class ScalarRow
    {
        public float X { get; set; }
    }

    public sealed class WdbcShapeRow
    {
        [VectorType(30)]
        public float[] Features { get; set; } = [];
    }
}
