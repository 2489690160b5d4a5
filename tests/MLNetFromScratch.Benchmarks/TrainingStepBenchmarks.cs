using BenchmarkDotNet.Attributes;
using MLNetFromScratch.Core.Kernels;
using MLNetFromScratch.Core.Network;
using MLNetFromScratch.Core.Optimizers;

namespace MLNetFromScratch.Benchmarks;

/// <summary>
/// One training step of the MNIST network 784-128-10 (ReLU, softmax, batch 128): the forward and backward pass
/// (<see cref="TwoLayerNetwork.ComputeGradients"/>), the Adam update over its 101,770 parameters, and both, on one
/// and two threads (the trainer's update, chunked on the same context). A step must allocate nothing (see the
/// Allocated column).
/// </summary>
[MemoryDiagnoser]
public class TrainingStepBenchmarks
{
    private const int Batch = 128;
    private TwoLayerNetwork _network = null!;
    private NetworkWorkspace _workspace = null!;
    private float[] _gradients = [];
    private Optimizer _adam = null!;
    private ComputeContext _context = ComputeContext.SingleThreaded;

    /// <summary>Kernel threads.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var shape = new NetworkShape(784, 128, 10, Activation.Relu, NetworkHead.Softmax);
        _network = TwoLayerNetwork.Create(shape, new Rng(1));
        _workspace = new NetworkWorkspace(shape, Batch);
        var random = new Random(1);
        for (int i = 0; i < _workspace.Inputs.Length; i++)
        {
            _workspace.Inputs[i] = random.Next(4) == 0 ? random.NextSingle() : 0f; // MNIST-like: mostly zero pixels
        }

        for (int r = 0; r < Batch; r++)
        {
            _workspace.Targets[(r * 10) + random.Next(10)] = 1f;
        }

        _gradients = new float[shape.ParameterCount];
        _adam = new AdamOptimizer(shape.ParameterCount, 0.9f, 0.999f, 1e-8f);
        _context = new ComputeContext(Threads);
    }

    /// <summary>Forward and backward pass of one batch.</summary>
    [Benchmark]
    public double ComputeGradients() => _network.ComputeGradients(_workspace, Batch, 1e-4f, 0f, null, _gradients, _context);

    /// <summary>The Adam update of every parameter.</summary>
    [Benchmark]
    public void AdamStep() => _adam.Step(_network.Parameters, _gradients, 1e-6f, _context);

    /// <summary>A whole step: gradients, then the update.</summary>
    [Benchmark]
    public double TrainingStep()
    {
        double cost = _network.ComputeGradients(_workspace, Batch, 1e-4f, 0f, null, _gradients, _context);
        _adam.Step(_network.Parameters, _gradients, 1e-6f, _context);
        return cost;
    }
}
