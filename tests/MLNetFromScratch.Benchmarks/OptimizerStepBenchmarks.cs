using BenchmarkDotNet.Attributes;
using MLNetFromScratch.Core.Kernels;
using MLNetFromScratch.Core.Optimizers;

namespace MLNetFromScratch.Benchmarks;

/// <summary>
/// One optimizer step over the 101,770 parameters of the MNIST network 784-128-10, on one and two threads
/// (the step is split into fixed chunks, so both give the same bits). A step must allocate nothing.
/// </summary>
[MemoryDiagnoser]
public class OptimizerStepBenchmarks
{
    private const int ParameterCount = 101_770;
    private float[] _parameters = [];
    private float[] _gradients = [];
    private Optimizer _optimizer = null!;
    private ComputeContext _context = ComputeContext.SingleThreaded;

    /// <summary>The update rule.</summary>
    [Params(OptimizerKind.Sgd, OptimizerKind.Momentum, OptimizerKind.Adam)]
    public OptimizerKind Kind { get; set; }

    /// <summary>Kernel threads.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _parameters = new float[ParameterCount];
        _gradients = new float[ParameterCount];
        for (int i = 0; i < ParameterCount; i++)
        {
            _parameters[i] = random.NextSingle() - 0.5f;
            _gradients[i] = (random.NextSingle() - 0.5f) * 1e-3f;
        }

        _optimizer = Optimizer.Create(Kind, ParameterCount, new OptimizerSettings());
        _context = new ComputeContext(Threads);
    }

    /// <summary>One update of every parameter (a tiny rate keeps the weights where they are).</summary>
    [Benchmark]
    public void Step() => _optimizer.Step(_parameters, _gradients, 1e-9f, _context);
}
