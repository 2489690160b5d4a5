using BenchmarkDotNet.Attributes;
using MLNetFromScratch.Core.Kernels;

namespace MLNetFromScratch.Benchmarks;

/// <summary>
/// The L2 work of a training step on W1 of the MNIST network (128 × 784 weights): the gradient gains (λ/m)·W and the
/// cost needs ΣW². Two passes (<see cref="VectorKernels.AddScaled"/>, then <see cref="VectorKernels.SumOfSquares"/>)
/// against the fused sweep <see cref="VectorKernels.AddScaledSumOfSquares"/> on one and two threads.
/// </summary>
[MemoryDiagnoser]
public class L2RegularizationBenchmarks
{
    private const int Weights = 784 * 128;
    private float[] _weights = [];
    private float[] _gradients = [];
    private ComputeContext _context = ComputeContext.SingleThreaded;

    /// <summary>Kernel threads (the two-pass version uses one whatever this says).</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _weights = new float[Weights];
        _gradients = new float[Weights];
        for (int i = 0; i < Weights; i++)
        {
            _weights[i] = random.NextSingle() - 0.5f;
        }

        _context = new ComputeContext(Threads);
    }

    /// <summary>The decay, then the sum of squares: two sweeps over the weights.</summary>
    [Benchmark(Baseline = true)]
    public double TwoPasses()
    {
        VectorKernels.AddScaled(_gradients, _weights, 1e-9f);
        return VectorKernels.SumOfSquares(_weights);
    }

    /// <summary>Both in one sweep.</summary>
    [Benchmark]
    public double Fused() => VectorKernels.AddScaledSumOfSquares(_gradients, _weights, 1e-9f, _context);
}
