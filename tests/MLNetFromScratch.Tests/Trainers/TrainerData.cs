using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFromScratch.Tests.Infrastructure;

namespace MLNetFromScratch.Tests.Trainers;

/// <summary>The repository's real data sets, loaded with ML.NET's own text loader, with fixed splits.</summary>
internal static class TrainerData
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Data", name);

    public static IDataView BreastCancer(MLContext context) => context.Data.LoadFromTextFile(
        PathOf("breast-cancer-wdbc.csv"),
        [new TextLoader.Column("Features", DataKind.Single, 0, 29), new TextLoader.Column("Label", DataKind.Boolean, 30)],
        separatorChar: ',', hasHeader: true);

    public static IDataView Iris(MLContext context) => context.Data.LoadFromTextFile(
        PathOf("iris.csv"),
        [new TextLoader.Column("Features", DataKind.Single, 0, 3), new TextLoader.Column("Species", DataKind.String, 4)],
        separatorChar: ',', hasHeader: true);

    public static IDataView Digits(MLContext context) => context.Data.LoadFromTextFile(
        PathOf("digits-8x8.csv"),
        [new TextLoader.Column("Features", DataKind.Single, 0, 63), new TextLoader.Column("Digit", DataKind.Single, 64)],
        separatorChar: ',', hasHeader: true);

    public static IDataView Diabetes(MLContext context) => context.Data.LoadFromTextFile(
        PathOf("diabetes.csv"),
        [new TextLoader.Column("Features", DataKind.Single, 0, 9), new TextLoader.Column("Label", DataKind.Single, 10)],
        separatorChar: ',', hasHeader: true);

    public static DataOperationsCatalog.TrainTestData Split(MLContext context, IDataView data) =>
        context.Data.TrainTestSplit(data, testFraction: 0.2, seed: 1);

    public sealed class BreastCancerShape
    {
        [VectorType(30)]
        public float[] Features { get; set; } = [];

        public bool Label { get; set; }
    }

    public sealed class NumericShape
    {
        [VectorType(10)]
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }

    public sealed class IrisShape
    {
        [VectorType(4)]
        public float[] Features { get; set; } = [];

        public string Species { get; set; } = "";
    }

    public static SchemaShape ShapeOf<TRow>(MLContext context)
        where TRow : class, new() => Shapes.Of<TRow>(context);
}
