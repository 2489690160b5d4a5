using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetFromScratch.Tests.Reliability;

/// <summary>Small synthetic data sets (seeded) for the reliability tests: four features, a label per task.</summary>
internal static class ReliabilityData
{
    public const int FeatureCount = 4;

    public static NeuralNetworkOptions Options(int epochs = 3, int? seed = 1) => new()
    {
        HiddenSize = 8, Epochs = epochs, BatchSize = 16, LearningRate = 0.01f, Seed = seed,
    };

    /// <summary>Rows whose features are standard normal; the binary label is x0 + x1 &gt; 0, the class sorts x0.</summary>
    public static FloatRow[] Rows(int count = 64, int seed = 7)
    {
        var random = new Random(seed);
        var rows = new FloatRow[count];
        for (int i = 0; i < count; i++)
        {
            float[] x = [.. Enumerable.Range(0, FeatureCount).Select(_ => Normal(random))];
            rows[i] = new FloatRow { Features = x, Label = x[0] + x[1] > 0 ? 1f : 0f };
        }

        return rows;
    }

    public static IDataView Binary(MLContext context, FloatRow[]? rows = null) =>
        context.Data.LoadFromEnumerable((rows ?? Rows()).Select(r => new BoolRow { Features = r.Features, Label = r.Label == 1f }));

    public static IDataView BinarySingle(MLContext context, FloatRow[]? rows = null) => context.Data.LoadFromEnumerable(rows ?? Rows());

    public static IDataView Regression(MLContext context, FloatRow[]? rows = null) =>
        context.Data.LoadFromEnumerable((rows ?? Rows()).Select(r => new FloatRow { Features = r.Features, Label = (2 * r.Features[0]) - r.Features[2] + 1 }));

    /// <summary>Three classes by x0 ("low", "mid", "high"), as a key column fitted by MapValueToKey on <paramref name="keyRows"/> (default: all rows).</summary>
    public static IDataView Multiclass(MLContext context, FloatRow[]? rows = null, FloatRow[]? keyRows = null)
    {
        IDataView view = context.Data.LoadFromEnumerable((rows ?? Rows()).Select(r => new ClassRow { Features = r.Features, Class = ClassOf(r.Features[0]) }));
        IDataView keys = keyRows is null ? view : context.Data.LoadFromEnumerable(keyRows.Select(r => new ClassRow { Features = r.Features, Class = ClassOf(r.Features[0]) }));
        return context.Transforms.Conversion.MapValueToKey("Label", "Class").Fit(keys).Transform(view);
    }

    public static string ClassOf(float x0) => x0 < -0.5f ? "low" : x0 < 0.5f ? "mid" : "high";

    /// <summary>The same rows with their features replaced (labels kept for binary; recomputed from the new features otherwise).</summary>
    public static FloatRow[] ReplaceFeatures(FloatRow[] rows, Func<float[], float[]> replace) =>
        [.. rows.Select(r => new FloatRow { Features = replace(r.Features), Label = r.Label })];

    public static IDataView For(MLContext context, NeuralNetworkTask task, FloatRow[]? rows = null) => task switch
    {
        NeuralNetworkTask.BinaryClassification => Binary(context, rows),
        NeuralNetworkTask.MulticlassClassification => Multiclass(context, rows),
        _ => Regression(context, rows),
    };

    public static NeuralNetworkTrainer Trainer(MLContext context, NeuralNetworkTask task, NeuralNetworkOptions options) => task switch
    {
        NeuralNetworkTask.BinaryClassification => context.BinaryClassification.Trainers.NeuralNetwork(options),
        NeuralNetworkTask.MulticlassClassification => context.MulticlassClassification.Trainers.NeuralNetwork(options),
        _ => context.Regression.Trainers.NeuralNetwork(options),
    };

    private static float Normal(Random random) =>
        (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));

    public sealed class FloatRow
    {
        [VectorType(FeatureCount)]
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }

    public sealed class BoolRow
    {
        [VectorType(FeatureCount)]
        public float[] Features { get; set; } = [];

        public bool Label { get; set; }
    }

    public sealed class ClassRow
    {
        [VectorType(FeatureCount)]
        public float[] Features { get; set; } = [];

        public string Class { get; set; } = "";
    }
}
