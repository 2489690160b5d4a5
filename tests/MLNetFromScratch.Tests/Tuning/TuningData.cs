using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetFromScratch.Tests.Tuning;

/// <summary>The real data sets of the tuning tests, loaded with ML.NET's text loader.</summary>
internal static class TuningData
{
    private static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "Data", file);

    /// <summary>Digits 8x8: Features (64 floats), Digit (float 0..9); 1797 rows.</summary>
    public static IDataView Digits(MLContext ml) => ml.Data.LoadFromTextFile(PathOf("digits-8x8.csv"),
        [new TextLoader.Column("Features", DataKind.Single, 0, 63), new TextLoader.Column("Digit", DataKind.Single, 64)],
        separatorChar: ',', hasHeader: true);

    /// <summary>Iris: Features (4 floats), Species (text); 150 rows.</summary>
    public static IDataView Iris(MLContext ml) => ml.Data.LoadFromTextFile(PathOf("iris.csv"),
        [new TextLoader.Column("Features", DataKind.Single, 0, 3), new TextLoader.Column("Species", DataKind.String, 4)],
        separatorChar: ',', hasHeader: true);

    /// <summary>Breast cancer (WDBC): Features (30 floats), Label (Boolean, from Malignant 0/1); 569 rows.</summary>
    public static IDataView BreastCancer(MLContext ml) => ml.Data.LoadFromTextFile(PathOf("breast-cancer-wdbc.csv"),
        [new TextLoader.Column("Features", DataKind.Single, 0, 29), new TextLoader.Column("Label", DataKind.Boolean, 30)],
        separatorChar: ',', hasHeader: true);

    /// <summary>Diabetes: Features (10 floats), Label (Progression); 442 rows.</summary>
    public static IDataView Diabetes(MLContext ml) => ml.Data.LoadFromTextFile(PathOf("diabetes.csv"),
        [new TextLoader.Column("Features", DataKind.Single, 0, 9), new TextLoader.Column("Label", DataKind.Single, 10)],
        separatorChar: ',', hasHeader: true);

    /// <summary>Reads a float column into an array, in row order.</summary>
    public static float[] Floats(IDataView data, string column) => [.. data.GetColumn<float>(column)];
}
