using BenchmarkDotNet.Attributes;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFromScratch.Core.Kernels;
using MLNetFromScratch.Core.Network;

namespace MLNetFromScratch.Benchmarks;

/// <summary>
/// Scoring one row of a 784-128-10 multiclass network: the direct forward pass on arrays
/// (<see cref="NeuralNetworkModelParameters.Score"/>) against ML.NET's <see cref="PredictionEngine{TSrc, TDst}"/>,
/// on the fitted transformer and on the model after <c>Model.Save</c> / <c>Model.Load</c>. The row is 25% non-zero
/// (MNIST test rows are 19%); the dense row has no zeros. The MatMul rows score the same row with the batch kernels
/// (<see cref="TwoLayerNetwork.Logits"/>), the single-row path before the zero-skipping layer.
/// </summary>
[MemoryDiagnoser]
public class ScoringBenchmarks
{
    private NeuralNetworkModelParameters _network = null!;
    private PredictionEngine<Row, Prediction> _engine = null!;
    private PredictionEngine<Row, Prediction> _loadedEngine = null!;
    private TwoLayerNetwork _batchNetwork = null!;
    private Row _row = new();
    private float[] _denseRow = [];
    private Prediction _prediction = new();
    private float[] _outputs = [];
    private float[] _hidden = [];

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
        _denseRow = [.. _row.Features.Select(v => v == 0 ? 1e-3f : v)];
        _outputs = new float[10];
        _hidden = new float[128];
        var shape = new NetworkShape(784, 128, 10, Activation.Relu, NetworkHead.Softmax);
        _batchNetwork = new TwoLayerNetwork(shape, [
            .. _network.HiddenWeights.ToArray(), .. _network.HiddenBiases.ToArray(), .. _network.OutputWeights.ToArray(), .. _network.OutputBiases.ToArray()]);
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

    /// <summary>The forward pass on a row without zeros.</summary>
    [Benchmark]
    public float DirectDenseRow()
    {
        _network.Score(_denseRow, _outputs);
        return _outputs[0];
    }

    /// <summary>The same row through the batch kernels (MatMul), single-threaded, as a batch of one.</summary>
    [Benchmark]
    public float MatMulRow()
    {
        _batchNetwork.Predict(_row.Features, 1, _hidden, _outputs, ComputeContext.SingleThreaded);
        return _outputs[0];
    }

    /// <summary>The dense row through the batch kernels.</summary>
    [Benchmark]
    public float MatMulDenseRow()
    {
        _batchNetwork.Predict(_denseRow, 1, _hidden, _outputs, ComputeContext.SingleThreaded);
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
