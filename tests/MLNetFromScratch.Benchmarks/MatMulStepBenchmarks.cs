using BenchmarkDotNet.Attributes;
using MLNetFromScratch.Core.Kernels;

namespace MLNetFromScratch.Benchmarks;

/// <summary>
/// The dense products of one training step of a 784-512-10 network, as the trainer calls them:
/// Forward 784→512 and 512→10, the weight gradients of both layers and the input gradient of
/// layer 2 (layer 1's input needs none), at batch 256 and 32 on one and two threads. One row
/// reports them together as GFLOP/s and % of the single-core FMA peak (run with the
/// <see cref="MatMulFmaPeakBenchmark"/> and --join). Shape is "batch x inputs x hidden x outputs".
/// </summary>
[MemoryDiagnoser]
[Config(typeof(GflopsConfig))]
public class MatMulStepBenchmarks
{
    private float[] _x = [], _w1 = [], _b1 = [], _z1 = [], _h = [], _w2 = [], _b2 = [], _z2 = [];
    private float[] _dz2 = [], _dw2 = [], _db2 = [], _dh = [], _dz1 = [], _dw1 = [], _db1 = [];
    private int _batch, _inputs, _hidden, _outputs;
    private ComputeContext _context = ComputeContext.SingleThreaded;

    [Params("256x784x512x10", "32x784x512x10")]
    public string Shape { get; set; } = "";

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        int[] parts = Array.ConvertAll(Shape.Split('x'), int.Parse);
        (_batch, _inputs, _hidden, _outputs) = (parts[0], parts[1], parts[2], parts[3]);
        var random = new Random(1);
        _x = Random(random, _batch * _inputs);
        _w1 = Random(random, _hidden * _inputs);
        _b1 = Random(random, _hidden);
        _z1 = new float[_batch * _hidden];
        _h = Random(random, _batch * _hidden);
        _w2 = Random(random, _outputs * _hidden);
        _b2 = Random(random, _outputs);
        _z2 = new float[_batch * _outputs];
        _dz2 = Random(random, _batch * _outputs);
        _dw2 = new float[_outputs * _hidden];
        _db2 = new float[_outputs];
        _dh = new float[_batch * _hidden];
        _dz1 = Random(random, _batch * _hidden);
        _dw1 = new float[_hidden * _inputs];
        _db1 = new float[_hidden];
        _context = new ComputeContext(Threads);
    }

    [Benchmark]
    public void TrainingStepProducts()
    {
        float scale = 1f / _batch;
        MatMul.Forward(_z1, _x, _w1, _b1, _batch, _inputs, _hidden, _context);
        MatMul.Forward(_z2, _h, _w2, _b2, _batch, _hidden, _outputs, _context);
        MatMul.BackwardWeights(_dw2, _db2, _dz2, _h, scale, _batch, _hidden, _outputs, _context);
        MatMul.BackwardInput(_dh, _dz2, _w2, _batch, _hidden, _outputs, _context);
        MatMul.BackwardWeights(_dw1, _db1, _dz1, _x, scale, _batch, _inputs, _hidden, _context);
    }

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
