using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFromScratch.Tests.Infrastructure;
using static MLNetFromScratch.Tests.Reliability.ReliabilityData;

namespace MLNetFromScratch.Tests.Reliability;

/// <summary>
/// One loaded model scored from eight threads at once, through separate prediction engines and through parallel
/// Transform cursors, gives the bytes one thread gives: for every task and for Standardize and OneHot.
/// </summary>
public sealed class ConcurrencyTests
{
    private const int Threads = 8;
    private readonly MLContext _context = new(seed: 1);

    public static TheoryData<string> Models() => ["Binary", "Multiclass", "Regression", "Standardize", "OneHot"];

    [Theory]
    [MemberData(nameof(Models))]
    public void LoadedModel_EightThreadsOfEnginesAndCursors_SameBytesAsOneThread(string which)
    {
        (ITransformer model, IDataView data, string[] columns) = Fit(which);
        using var directory = new TempDirectory();
        _context.Model.Save(model, data.Schema, directory.File("m.zip"));
        ITransformer loaded = _context.Model.Load(directory.File("m.zip"), out _);
        string expected = Bits(loaded.Transform(data), columns);
        var rows = _context.Data.CreateEnumerable<InputRow>(data, reuseRowObject: false).ToArray();
        string expectedRows = string.Join(";", Engine(loaded, which, rows, 0, columns));

        var transforms = new string[Threads];
        var engines = new string[Threads];
        using var start = new Barrier(Threads);
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, i =>
        {
            start.SignalAndWait();
            // Engines: each thread its own, each starting at a different row so the threads interleave.
            engines[i] = string.Join(";", Engine(loaded, which, rows, i * 7, columns));
            transforms[i] = Bits(loaded.Transform(data), columns);
        });

        Assert.All(transforms, t => Assert.Equal(expected, t));
        Assert.All(engines, e => Assert.Equal(expectedRows, e));
    }

    private (ITransformer Model, IDataView Data, string[] Columns) Fit(string which)
    {
        IDataView rows = _context.Data.LoadFromEnumerable(Rows(400).Select(r => new InputRow
        {
            Features = r.Features, Label = r.Label, Target = r.Features[0] - r.Features[3], Category = (int)MathF.Floor(r.Features[1] * 2) + 4,
            Class = r.Features[0] < -0.5f ? "low" : r.Features[0] < 0.5f ? "mid" : "high",
        }));
        IEstimator<ITransformer> pipeline = which switch
        {
            "Binary" => _context.Transforms.Conversion.ConvertType("Label", outputKind: DataKind.Boolean)
                .Append(_context.BinaryClassification.Trainers.NeuralNetwork(Options())),
            "Multiclass" => _context.Transforms.Conversion.MapValueToKey("Label", "Class")
                .Append(_context.MulticlassClassification.Trainers.NeuralNetwork(Options())),
            "Regression" => _context.Regression.Trainers.NeuralNetwork(new NeuralNetworkOptions { LabelColumnName = "Target", HiddenSize = 8, Epochs = 3, Seed = 1 }),
            "Standardize" => _context.Transforms.Standardize("Scaled", "Features"),
            _ => _context.Transforms.OneHot("Encoded", "Category"),
        };
        string[] columns = which switch
        {
            "Binary" => ["Score", "Probability"],
            "Multiclass" => ["Score", "PredictedLabel"],
            "Regression" => ["Score"],
            "Standardize" => ["Scaled"],
            _ => ["Encoded"],
        };
        return (pipeline.Fit(rows), rows, columns);
    }

    private static string Bits(IDataView scored, string[] columns) => string.Join("|", columns.Select(c =>
        scored.Schema[c].Type is KeyDataViewType ? string.Join(",", ColumnBits.Keys(scored, c)) : string.Join(",", ColumnBits.Singles(scored, c))));

    /// <summary>Every row scored by a new engine, starting at <paramref name="offset"/>, reported in row order.</summary>
    private string[] Engine(ITransformer model, string which, InputRow[] rows, int offset, string[] columns) => which switch
    {
        "Binary" => Engine<ScalarScore>(model, rows, offset, o => Bits(o.Score)),
        "Regression" => Engine<ScalarScore>(model, rows, offset, o => Bits(o.Score)),
        "Multiclass" => Engine<VectorScore>(model, rows, offset, o => Bits(o.Score)),
        "Standardize" => Engine<ScaledRow>(model, rows, offset, o => Bits(o.Scaled)),
        _ => Engine<EncodedRow>(model, rows, offset, o => Bits(o.Encoded)),
    };

    private string[] Engine<TOut>(ITransformer model, InputRow[] rows, int offset, Func<TOut, string> read)
        where TOut : class, new()
    {
        var results = new string[rows.Length];
        using PredictionEngine<InputRow, TOut> engine = _context.Model.CreatePredictionEngine<InputRow, TOut>(model);
        for (int n = 0; n < rows.Length; n++)
        {
            int r = (n + offset) % rows.Length;
            results[r] = read(engine.Predict(rows[r]));
        }

        return results;
    }

    private static string Bits(params float[] values) => string.Join(",", values.Select(BitConverter.SingleToInt32Bits));

    public sealed class InputRow
    {
        [VectorType(FeatureCount)]
        public float[] Features { get; set; } = [];

        public float Label { get; set; }

        public float Target { get; set; }

        public int Category { get; set; }

        public string Class { get; set; } = "";
    }

    public sealed class ScalarScore
    {
        public float Score { get; set; }
    }

    public sealed class VectorScore
    {
        public float[] Score { get; set; } = [];
    }

    public sealed class ScaledRow
    {
        public float[] Scaled { get; set; } = [];
    }

    public sealed class EncodedRow
    {
        public float[] Encoded { get; set; } = [];
    }
}
