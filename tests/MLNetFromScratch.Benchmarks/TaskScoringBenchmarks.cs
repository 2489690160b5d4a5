using BenchmarkDotNet.Attributes;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetFromScratch.Benchmarks;

/// <summary>
/// Scoring one row through ML.NET for the tasks other than multiclass (which <see cref="ScoringBenchmarks"/> covers):
/// binary (logit, probability, label), single-target regression and three-target regression (a vector Score), each a
/// 784-128-k network on a 25%-non-zero row. <see cref="PredictionEngine{TSrc, TDst}"/> on the fitted transformer and on
/// the model after <c>Model.Save</c> / <c>Model.Load</c>, against the direct forward pass on arrays.
/// </summary>
[MemoryDiagnoser]
public class TaskScoringBenchmarks
{
    private NeuralNetworkModelParameters _network = null!;
    private Func<float> _engine = null!;
    private Func<float> _loadedEngine = null!;
    private IDisposable[] _engines = [];
    private float[] _features = [];
    private float[] _outputs = [];

    /// <summary>The task: Binary, Regression (one target) or Regression3 (three targets).</summary>
    [Params("Binary", "Regression", "Regression3")]
    public string Task { get; set; } = "Binary";

    [GlobalSetup]
    public void Setup()
    {
        var ml = new MLContext(seed: 1);
        var random = new Random(1);
        Row[] rows = [.. Enumerable.Range(0, 256).Select(i =>
        {
            float[] features = [.. Enumerable.Range(0, 784).Select(_ => random.Next(4) == 0 ? random.NextSingle() : 0f)];
            return new Row { Features = features, Flag = i % 2 == 0, Target = features[0] + features[1], Targets = [features[0], features[1], features[2]] };
        })];
        IDataView data = ml.Data.LoadFromEnumerable(rows);
        var options = new NeuralNetworkOptions { HiddenSize = 128, Epochs = 1, BatchSize = 128, Seed = 1 };
        NeuralNetworkPredictionTransformer model = Task switch
        {
            "Binary" => ml.BinaryClassification.Trainers.NeuralNetwork(WithLabel(options, nameof(Row.Flag))).Fit(data),
            "Regression" => ml.Regression.Trainers.NeuralNetwork(WithLabel(options, nameof(Row.Target))).Fit(data),
            _ => ml.Regression.Trainers.NeuralNetwork(WithLabel(options, nameof(Row.Targets))).Fit(data),
        };
        _network = model.Model;
        _features = rows[3].Features;
        _outputs = new float[_network.OutputCount];
        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        stream.Position = 0;
        var fresh = new MLContext(seed: 1);
        ITransformer loaded = fresh.Model.Load(stream, out _);
        _engine = Engine(ml, model, rows[3]);
        _loadedEngine = Engine(fresh, loaded, rows[3]);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (IDisposable engine in _engines)
        {
            engine.Dispose();
        }
    }

    /// <summary>The forward pass on arrays, no ML.NET.</summary>
    [Benchmark(Baseline = true)]
    public float Direct()
    {
        _network.Score(_features, _outputs);
        return _outputs[0];
    }

    /// <summary>PredictionEngine on the fitted transformer, reusing the output object.</summary>
    [Benchmark]
    public float PredictionEngine() => _engine();

    /// <summary>PredictionEngine on the model read back by Model.Load.</summary>
    [Benchmark]
    public float PredictionEngineAfterLoad() => _loadedEngine();

    private static NeuralNetworkOptions WithLabel(NeuralNetworkOptions options, string label) => new()
    {
        HiddenSize = options.HiddenSize, Epochs = options.Epochs, BatchSize = options.BatchSize, Seed = options.Seed, LabelColumnName = label,
    };

    private Func<float> Engine(MLContext context, ITransformer model, Row row)
    {
        if (Task == "Regression3")
        {
            PredictionEngine<Row, VectorScore> vector = context.Model.CreatePredictionEngine<Row, VectorScore>(model);
            _engines = [.. _engines, vector];
            var prediction = new VectorScore();
            return () =>
            {
                vector.Predict(row, ref prediction);
                return prediction.Score[0];
            };
        }

        PredictionEngine<Row, ScalarScore> scalar = context.Model.CreatePredictionEngine<Row, ScalarScore>(model);
        _engines = [.. _engines, scalar];
        var output = new ScalarScore();
        return () =>
        {
            scalar.Predict(row, ref output);
            return output.Score;
        };
    }

    /// <summary>An input row with a label for each task.</summary>
    public sealed class Row
    {
        /// <summary>784 features.</summary>
        [VectorType(784)]
        public float[] Features { get; set; } = [];

        /// <summary>The binary label.</summary>
        public bool Flag { get; set; }

        /// <summary>The single regression target.</summary>
        public float Target { get; set; }

        /// <summary>Three regression targets.</summary>
        [VectorType(3)]
        public float[] Targets { get; set; } = [];
    }

    /// <summary>A single Score (binary: the logit; regression: the value).</summary>
    public sealed class ScalarScore
    {
        /// <summary>The score.</summary>
        public float Score { get; set; }
    }

    /// <summary>Three regression values.</summary>
    public sealed class VectorScore
    {
        /// <summary>The scores.</summary>
        [VectorType(3)]
        public float[] Score { get; set; } = [];
    }
}
