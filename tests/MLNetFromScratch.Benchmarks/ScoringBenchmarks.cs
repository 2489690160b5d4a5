using BenchmarkDotNet.Attributes;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetFromScratch.Benchmarks;

/// <summary>
/// Scoring one row of a 784-128-10 multiclass network: the direct forward pass on arrays
/// (<see cref="NeuralNetworkModelParameters.Score"/>) against ML.NET's <see cref="PredictionEngine{TSrc, TDst}"/>,
/// on the fitted transformer and on the model after <c>Model.Save</c> / <c>Model.Load</c>.
/// </summary>
[MemoryDiagnoser]
public class ScoringBenchmarks
{
    private NeuralNetworkModelParameters _network = null!;
    private PredictionEngine<Row, Prediction> _engine = null!;
    private PredictionEngine<Row, Prediction> _loadedEngine = null!;
    private Row _row = new();
    private Prediction _prediction = new();
    private float[] _outputs = [];

    [GlobalSetup]
    public void Setup()
    {
        var ml = new MLContext(seed: 1);
        var random = new Random(1);
        Row[] rows = [.. Enumerable.Range(0, 256).Select(i => new Row
        {
            Features = [.. Enumerable.Range(0, 784).Select(_ => random.Next(4) == 0 ? random.NextSingle() : 0f)],
            Label = (uint)(i % 10),
        })];
        IDataView data = ml.Data.LoadFromEnumerable(rows);
        NeuralNetworkPredictionTransformer model = ml.MulticlassClassification.Trainers.NeuralNetwork(
            new NeuralNetworkOptions { HiddenSize = 128, Epochs = 1, BatchSize = 128, Seed = 1 }).Fit(data);
        _network = model.Model;
        _engine = ml.Model.CreatePredictionEngine<Row, Prediction>(model);
        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        stream.Position = 0;
        var fresh = new MLContext(seed: 1);
        _loadedEngine = fresh.Model.CreatePredictionEngine<Row, Prediction>(fresh.Model.Load(stream, out _));
        _row = rows[3];
        _outputs = new float[10];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _engine.Dispose();
        _loadedEngine.Dispose();
    }

    /// <summary>The forward pass on arrays, no ML.NET.</summary>
    [Benchmark(Baseline = true)]
    public float Direct()
    {
        _network.Score(_row.Features, _outputs);
        return _outputs[0];
    }

    /// <summary>PredictionEngine on the fitted transformer, reusing the output object.</summary>
    [Benchmark]
    public uint PredictionEngine()
    {
        _engine.Predict(_row, ref _prediction);
        return _prediction.PredictedLabel;
    }

    /// <summary>PredictionEngine on the model read back by Model.Load.</summary>
    [Benchmark]
    public uint PredictionEngineAfterLoad()
    {
        _loadedEngine.Predict(_row, ref _prediction);
        return _prediction.PredictedLabel;
    }

    /// <summary>An input row.</summary>
    public sealed class Row
    {
        /// <summary>784 pixels.</summary>
        [VectorType(784)]
        public float[] Features { get; set; } = [];

        /// <summary>The class 0..9 (a key of 10 values).</summary>
        [KeyType(10)]
        public uint Label { get; set; }
    }

    /// <summary>What the network adds.</summary>
    public sealed class Prediction
    {
        /// <summary>Class probabilities.</summary>
        [VectorType(10)]
        public float[] Score { get; set; } = [];

        /// <summary>The predicted class.</summary>
        [KeyType(10)]
        public uint PredictedLabel { get; set; }
    }
}
