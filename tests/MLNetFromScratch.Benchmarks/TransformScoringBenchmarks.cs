using BenchmarkDotNet.Attributes;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetFromScratch.Benchmarks;

/// <summary>
/// <c>Transform</c> and a cursor over 2,000 rows (Score and PredictedLabel) of a 784-128-10 multiclass network, rows 25%
/// non-zero, against the direct forward pass of the same rows on arrays: on one cursor (the serial path a consumer gets
/// from <c>GetRowCursorSet(columns, 1)</c>) and on the cursor <c>GetRowCursor</c> gives (ML.NET splits the rows over
/// worker threads and merges them back), on the fitted transformer and on the model after <c>Model.Save</c> /
/// <c>Model.Load</c>. The per-row cost of the chain's stages is the serial figure less the direct one.
/// </summary>
[MemoryDiagnoser]
public class TransformScoringBenchmarks
{
    private const int Rows = 2000;
    private NeuralNetworkModelParameters _network = null!;
    private ITransformer _model = null!;
    private ITransformer _loaded = null!;
    private IDataView _data = null!;
    private float[][] _features = [];
    private float[] _outputs = [];

    [GlobalSetup]
    public void Setup()
    {
        var ml = new MLContext(seed: 1);
        var random = new Random(1);
        ScoringBenchmarks.Row[] rows = [.. Enumerable.Range(0, Rows).Select(i => new ScoringBenchmarks.Row
        {
            Features = [.. Enumerable.Range(0, 784).Select(_ => random.Next(4) == 0 ? random.NextSingle() : 0f)],
            Label = (uint)(i % 10),
        })];
        _data = ml.Data.LoadFromEnumerable(rows);
        NeuralNetworkPredictionTransformer model = ml.MulticlassClassification.Trainers.NeuralNetwork(
            new NeuralNetworkOptions { HiddenSize = 128, Epochs = 1, BatchSize = 128, Seed = 1 }).Fit(_data);
        _network = model.Model;
        _model = model;
        using var stream = new MemoryStream();
        ml.Model.Save(model, _data.Schema, stream);
        stream.Position = 0;
        _loaded = new MLContext(seed: 1).Model.Load(stream, out _);
        _features = [.. rows.Select(r => r.Features)];
        _outputs = new float[10];
    }

    /// <summary>The forward pass of every row on arrays, no ML.NET.</summary>
    [Benchmark(Baseline = true)]
    public float Direct()
    {
        float sum = 0;
        foreach (float[] row in _features)
        {
            _network.Score(row, _outputs);
            sum += _outputs[0];
        }

        return sum;
    }

    /// <summary>Transform and one cursor over every row.</summary>
    [Benchmark]
    public float TransformSerial() => Iterate(_model, parallel: false);

    /// <summary>Transform and the cursor <c>GetRowCursor</c> gives (worker threads).</summary>
    [Benchmark]
    public float TransformParallel() => Iterate(_model, parallel: true);

    /// <summary>As <see cref="TransformSerial"/>, on the model read back by Model.Load.</summary>
    [Benchmark]
    public float TransformSerialAfterLoad() => Iterate(_loaded, parallel: false);

    /// <summary>As <see cref="TransformParallel"/>, on the model read back by Model.Load.</summary>
    [Benchmark]
    public float TransformParallelAfterLoad() => Iterate(_loaded, parallel: true);

    private float Iterate(ITransformer model, bool parallel)
    {
        IDataView scored = model.Transform(_data);
        DataViewSchema.Column score = scored.Schema["Score"], label = scored.Schema["PredictedLabel"];
        using DataViewRowCursor cursor = parallel ? scored.GetRowCursor([score, label]) : scored.GetRowCursorSet([score, label], 1)[0];
        ValueGetter<VBuffer<float>> getScore = cursor.GetGetter<VBuffer<float>>(score);
        ValueGetter<uint> getLabel = cursor.GetGetter<uint>(label);
        VBuffer<float> scores = default;
        uint key = 0;
        float sum = 0;
        while (cursor.MoveNext())
        {
            getScore(ref scores);
            getLabel(ref key);
            sum += scores.GetValues()[0] + key;
        }

        return sum;
    }
}
