using BenchmarkDotNet.Attributes;
using MLNetFromScratch.Core.Kernels;
using MLNetFromScratch.Core.Network;
using MLNetFromScratch.Core.Optimizers;

namespace MLNetFromScratch.Benchmarks;

/// <summary>
/// The forward and backward pass of one batch of the MNIST network 784-128-10 (ReLU, softmax, batch 128, L2 1e-4)
/// on inputs of a given density of non-zeros: the dense path (<see cref="TwoLayerNetwork.ComputeGradients"/>, after
/// gathering the batch's rows) against the sparse first layer (<see cref="SparseInputGradients"/>, which reads the rows
/// in place). MNIST's pixels / 255 are 19% non-zero. The crossover sets the trainer's density threshold. Then a whole
/// step of the sparse path with Adam, as a caller of the public API takes it (the pass, then the optimizer's step) and
/// as the trainer takes it (the update fused into the backward pass).
/// </summary>
[MemoryDiagnoser]
public class SparseFirstLayerBenchmarks
{
    private const int Batch = 128, Pool = 4096, Inputs = 784;
    private TwoLayerNetwork _network = null!;
    private SparseInputGradients _sparse = null!;
    private NetworkWorkspace _workspace = null!;
    private float[] _dense = [];
    private float[] _gradients = [];
    private int[] _order = [];
    private int _next;
    private ComputeContext _context = ComputeContext.SingleThreaded;
    private Optimizer _optimizer = null!;

    /// <summary>Fraction of non-zero inputs.</summary>
    [Params(0.05, 0.19, 0.3, 0.5)]
    public double Density { get; set; }

    /// <summary>Kernel threads.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var shape = new NetworkShape(Inputs, 128, 10, Activation.Relu, NetworkHead.Softmax);
        _network = TwoLayerNetwork.Create(shape, new Rng(1));
        _workspace = new NetworkWorkspace(shape, Batch);
        var random = new Random(1);
        _dense = new float[Pool * Inputs];
        for (int i = 0; i < _dense.Length; i++)
        {
            _dense[i] = random.NextDouble() < Density ? random.NextSingle() : 0f;
        }

        for (int r = 0; r < Batch; r++)
        {
            _workspace.Targets[(r * 10) + random.Next(10)] = 1f;
        }

        _sparse = new SparseInputGradients(shape, SparseRows.FromDense(_dense, Pool, Inputs), Batch);
        _sparse.CopyFrom(_network);
        _gradients = new float[shape.ParameterCount];
        _order = [.. Enumerable.Range(0, Pool).OrderBy(_ => random.Next())];
        _context = new ComputeContext(Threads);
        _optimizer = Optimizer.Create(OptimizerKind.Adam, shape.ParameterCount, new OptimizerSettings());
    }

    /// <summary>Gather the batch's rows, then the dense pass.</summary>
    [Benchmark(Baseline = true)]
    public double Dense()
    {
        ReadOnlySpan<int> rows = NextBatch();
        for (int r = 0; r < Batch; r++)
        {
            _dense.AsSpan(rows[r] * Inputs, Inputs).CopyTo(_workspace.Inputs.AsSpan(r * Inputs));
        }

        return _network.ComputeGradients(_workspace, Batch, 1e-4f, 0f, null, _gradients, _context);
    }

    /// <summary>The sparse pass on the same kind of batch.</summary>
    [Benchmark]
    public double Sparse() => _sparse.ComputeGradients(_workspace, NextBatch(), 1e-4f, 0f, null, _gradients, _context);

    /// <summary>The sparse pass, then a separate Adam step over all the parameters.</summary>
    [Benchmark]
    public double SparseThenStep()
    {
        double cost = _sparse.ComputeGradients(_workspace, NextBatch(), 1e-4f, 0f, null, _gradients, _context);
        _optimizer.Step(_sparse.Parameters, _gradients, 1e-4f, _context);
        return cost;
    }

    /// <summary>The trainer's step: the sparse pass with the Adam update fused into its backward part (the same bits).</summary>
    [Benchmark]
    public double SparseFusedStep() =>
        _sparse.ComputeGradientsAndStep(_workspace, NextBatch(), 1e-4f, 0f, null, _gradients, _optimizer, 1e-4f, _context);

    private ReadOnlySpan<int> NextBatch()
    {
        _next = (_next + Batch) % (Pool - Batch);
        return _order.AsSpan(_next, Batch);
    }
}
