using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using MLNetFromScratch.Core.Kernels;

namespace MLNetFromScratch.Benchmarks;

/// <summary>
/// The three dense-layer products for the layers of 784-512-10 (batch 256 and 32) and 784-128-10
/// (batch 128), on one and two threads. Shape is "batch x inputs x outputs".
/// </summary>
[MemoryDiagnoser]
[Config(typeof(GflopsConfig))]
public class MatMulBenchmarks
{
    private float[] _x = [], _w = [], _bias = [], _y = [], _dy = [], _dx = [], _dw = [], _db = [];
    private int _batch, _inputs, _outputs;
    private ComputeContext _context = ComputeContext.SingleThreaded;

    [Params("256x784x512", "256x512x10", "32x784x512", "32x512x10", "128x784x128", "128x128x10")]
    public string Shape { get; set; } = "";

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (_batch, _inputs, _outputs) = GflopsColumn.ParseShape(Shape);
        var random = new Random(1);
        _x = Random(random, _batch * _inputs);
        _w = Random(random, _outputs * _inputs);
        _bias = Random(random, _outputs);
        _dy = Random(random, _batch * _outputs);
        _y = new float[_batch * _outputs];
        _dx = new float[_batch * _inputs];
        _dw = new float[_outputs * _inputs];
        _db = new float[_outputs];
        _context = new ComputeContext(Threads);
    }

    [Benchmark]
    public void Forward() => MatMul.Forward(_y, _x, _w, _bias, _batch, _inputs, _outputs, _context);

    [Benchmark]
    public void BackwardInput() => MatMul.BackwardInput(_dx, _dy, _w, _batch, _inputs, _outputs, _context);

    [Benchmark]
    public void BackwardWeights() => MatMul.BackwardWeights(_dw, _db, _dy, _x, 1f / _batch, _batch, _inputs, _outputs, _context);

    private static float[] Random(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return values;
    }

}

/// <summary>The single-core FMA peak in the same run, as a benchmark: GFLOP/s = FlopsPerLoop / mean.</summary>
[Config(typeof(GflopsConfig))]
public class MatMulFmaPeakBenchmark
{
    [Benchmark]
    public float FmaPeak() => Benchmarks.FmaPeak.Loop(1f);
}

/// <summary>Adds the GFLOP/s and % of peak columns.</summary>
public sealed class GflopsConfig : ManualConfig
{
    /// <summary>Creates the config.</summary>
    public GflopsConfig()
    {
        AddColumn(new GflopsColumn(percentOfPeak: false), new GflopsColumn(percentOfPeak: true));
    }
}
