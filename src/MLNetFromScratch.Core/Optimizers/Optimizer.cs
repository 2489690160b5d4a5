using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using MLNetFromScratch.Core.Kernels;

namespace MLNetFromScratch.Core.Optimizers;

/// <summary>
/// Updates the flat parameter vector from its gradient. Optimizers never know what a layer is; their
/// state (velocities, moments) is allocated once, at construction, for a fixed parameter count.
/// </summary>
/// <remarks>
/// An update is elementwise: parameter i and its state change from gradient i alone. A step splits the vector
/// into fixed chunks of elements (the split depends on the length only) and may run them on the threads of a
/// <see cref="ComputeContext"/>, so the result has the same bits for any number of threads.
/// </remarks>
public abstract unsafe class Optimizer
{
    /// <summary>Creates an optimizer for <paramref name="parameterCount"/> parameters.</summary>
    protected Optimizer(int parameterCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parameterCount, 1);
        ParameterCount = parameterCount;
    }

    /// <summary>The length of the vectors <see cref="Step(Span{float}, ReadOnlySpan{float}, float)"/> takes.</summary>
    public int ParameterCount { get; }

    /// <summary>
    /// Applies one update to <paramref name="parameters"/> with learning rate <paramref name="learningRate"/>,
    /// on the calling thread. Allocates nothing.
    /// </summary>
    /// <exception cref="ArgumentException">When a span's length is not <see cref="ParameterCount"/>.</exception>
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients, float learningRate) =>
        Step(parameters, gradients, learningRate, ComputeContext.SingleThreaded);

    // Fully optimized at first call, like every method a training step runs (see TwoLayerNetwork.ComputeGradients).
    /// <summary>
    /// Applies one update to <paramref name="parameters"/> with learning rate <paramref name="learningRate"/>,
    /// on the threads of <paramref name="context"/> (<see langword="null"/> for <see cref="ComputeContext.Default"/>);
    /// the bits are those of the single-threaded step. Allocates nothing.
    /// </summary>
    /// <exception cref="ArgumentException">When a span's length is not <see cref="ParameterCount"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients, float learningRate, ComputeContext? context)
    {
        if (parameters.Length != ParameterCount || gradients.Length != ParameterCount)
        {
            throw new ArgumentException(
                $"Expected {ParameterCount} parameters and gradients, got {parameters.Length} and {gradients.Length}.", nameof(parameters));
        }

        BeginStep();
        fixed (float* p = parameters, g = gradients)
        {
            var job = new StepJob(this, p, g, parameters.Length, learningRate);

            // The job lives on this stack frame, which stays put until Run returns, so the helpers may hold its address.
            (context ?? ComputeContext.Default).Run(ElementwiseChunks.Count(job.Length), &RunChunk, Unsafe.AsPointer(ref job));
            if (job.Error is not null)
            {
                ExceptionDispatchInfo.Throw(job.Error);
            }
        }
    }

    /// <summary>Creates the optimizer <paramref name="kind"/> with the hyperparameters of <paramref name="settings"/>.</summary>
    public static Optimizer Create(OptimizerKind kind, int parameterCount, OptimizerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return kind switch
        {
            OptimizerKind.Sgd => new GradientDescent(parameterCount),
            OptimizerKind.Momentum => new MomentumOptimizer(parameterCount, settings.Momentum, settings.Nesterov),
            OptimizerKind.Adam => new AdamOptimizer(parameterCount, settings.Beta1, settings.Beta2, settings.Epsilon),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown optimizer."),
        };
    }

    // The two halves of a step for a caller that runs the updates itself, range by range, as soon as a range's gradient is
    // final (SparseInputGradients fuses the step into its backward pass): once a step, before any range.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void StartStep() => BeginStep();

    // The update of elements [offset, offset + length) of the whole vectors, whose first elements parameters and gradients
    // point at; ranges of one step must be disjoint and may run at the same time on several threads. The bits are those of
    // Step: an update is elementwise, so how the vector is cut into ranges does not matter.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void UpdateRange(float* parameters, float* gradients, int length, float learningRate, int offset) =>
        Update(new Span<float>(parameters, length), new ReadOnlySpan<float>(gradients, length), learningRate, offset);

    /// <summary>Called once a step, before any <see cref="Update"/>: advances what the whole step shares (Adam's t).</summary>
    protected virtual void BeginStep()
    {
    }

    /// <summary>
    /// The update of one range: <paramref name="parameters"/> and <paramref name="gradients"/> are elements
    /// [<paramref name="offset"/>, offset + length) of the whole vectors, and the state of those elements is
    /// at the same offsets. Ranges are disjoint and may be updated at the same time on several threads.
    /// </summary>
    protected abstract void Update(Span<float> parameters, ReadOnlySpan<float> gradients, float learningRate, int offset);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunChunk(void* state, int chunk)
    {
        ref StepJob job = ref Unsafe.AsRef<StepJob>(state);
        int start = ElementwiseChunks.Start(chunk), length = ElementwiseChunks.LengthOf(chunk, job.Length);
        try
        {
            job.Optimizer.Update(
                new Span<float>(job.Parameters + start, length), new ReadOnlySpan<float>(job.Gradients + start, length), job.LearningRate, start);
        }
        catch (Exception e) // a chunk must never throw on a helper thread: the step rethrows on the caller
        {
            Interlocked.CompareExchange(ref job.Error, e, null);
        }
    }

    private struct StepJob(Optimizer optimizer, float* parameters, float* gradients, int length, float learningRate)
    {
        public readonly Optimizer Optimizer = optimizer;
        public readonly float* Parameters = parameters;
        public readonly float* Gradients = gradients;
        public readonly int Length = length;
        public readonly float LearningRate = learningRate;
        public Exception? Error;
    }
}
