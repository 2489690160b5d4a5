using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using MLNetFromScratch.Core.Kernels;
using MLNetFromScratch.Core.Optimizers;

namespace MLNetFromScratch.Core.Network;

// A training step with the optimizer's update fused into the end of the backward pass.
public sealed partial class SparseInputGradients
{
    // What the L2 term and the update of a row of dW1ᵀ cost, in entries of the weight gradient (a multiply-add by the row's
    // length each): Adam, bound by its division and square root, takes about as long on a row as the gather does on 12
    // entries (MNIST 784-128-10: ~80 ns a row of 128 against ~6.6 ns an entry, on one core). The gradient's chunks are cut
    // with it, so that chunks of the image borders' columns, which have few entries but a full update, are not made too long.
    private const int UpdateColumnCost = 12;

    // Fully optimized at first call, like every method a training step runs (see TwoLayerNetwork.ComputeGradients).
    // ComputeGradients, then optimizer.Step(Parameters, gradients, learningRate, context), in one pass: each chunk of the
    // first layer's weight gradient, as soon as it is final, gets its L2 term and steps its weights while it is still in
    // the core's cache, instead of a sweep for the L2 term and another for the step over the whole vector afterwards.
    // The weights and the optimizer's state come out with the bits of the two calls (an update is elementwise; each
    // element gets the same operations), for any number of threads. The cost does too when l2 is 0; with L2 the sum of
    // the first layer's squared weights is added up by those chunks (fixed by the batch's rows, not by the threads)
    // rather than by ElementwiseChunks, so it may differ in its last bits. The step is taken whatever the cost: a
    // caller that stops on a cost that is not finite must drop the parameters (the trainer throws and returns no model).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal double ComputeGradientsAndStep(
        NetworkWorkspace workspace, ReadOnlySpan<int> rows, float l2, float dropoutRate, Rng? rng, Span<float> gradients,
        Optimizer optimizer, float learningRate, ComputeContext? context)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        if (optimizer.ParameterCount != Shape.ParameterCount)
        {
            throw new ArgumentException($"The optimizer is for {optimizer.ParameterCount} parameters; the network has {Shape.ParameterCount}.", nameof(optimizer));
        }

        return Pass(workspace, rows, l2, dropoutRate, rng, gradients, optimizer, learningRate, context);
    }

    // The end of a fused step, once the row blocks have written dZ1: in one parallel run, the loss and the gradients of W2
    // and b2 (FinishRows, one chunk, alongside) and the first layer's weight gradient chunk by chunk, each followed by its
    // L2 term and its update (FinishWeightRange); then the rest, [b1 | W2 | b2], on this thread (1.4 % of the
    // parameters). Returns the cost: the mean loss plus the L2 penalty.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe double FinishStep(
        NetworkWorkspace workspace, int batch, bool dropout, float l2, Span<float> gradients, Optimizer optimizer, float learningRate,
        ComputeContext context)
    {
        NetworkShape s = Shape;
        Span<float> parameters = Parameters;
        bool decay = l2 > 0f;
        double* squares = stackalloc double[MatMul.SparseBackwardChunkLimit];
        new Span<double>(squares, MatMul.SparseBackwardChunkLimit).Clear();
        optimizer.StartStep();
        fixed (float* p = parameters, g = gradients)
        {
            var job = new FusedStepJob(this, workspace, batch, dropout, optimizer, p, g, learningRate, decay, l2 / batch, squares);

            // The job lives on this stack frame, which stays put until the call returns, so the helpers may hold its address.
            MatMul.SparseBackwardWeights(
                gradients.Slice(s.W1Offset, s.W1Length), gradients.Slice(s.B1Offset, s.Hidden), _columns,
                DZ1[..(batch * s.Hidden)], 1f / batch, s.Hidden, context,
                &FinishRowsAlongside, &FinishWeightRange, Unsafe.AsPointer(ref job), UpdateColumnCost);
            if (job.Error is not null)
            {
                ExceptionDispatchInfo.Throw(job.Error);
            }

            double cost = job.Loss / batch;
            if (decay)
            {
                double total = 0;
                for (int c = 0; c < MatMul.SparseBackwardChunkLimit; c++)
                {
                    total += squares[c];
                }

                total += VectorKernels.AddScaledSumOfSquares(gradients.Slice(s.W2Offset, s.W2Length), parameters.Slice(s.W2Offset, s.W2Length), l2 / batch, context);
                cost += l2 / (2.0 * batch) * total;
            }

            optimizer.UpdateRange(p + s.B1Offset, g + s.B1Offset, s.ParameterCount - s.B1Offset, learningRate, s.B1Offset);
            return cost;
        }
    }

    // The loss and the gradients of W2 and b2, which need dZ2 and A1 (or H), not dW1ᵀ: on one thread, as a chunk of the
    // weight gradient's run.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void FinishRowsAlongside(void* state)
    {
        ref FusedStepJob job = ref Unsafe.AsRef<FusedStepJob>(state);
        try
        {
            NetworkShape s = job.Self.Shape;
            job.Loss = TwoLayerNetwork.FinishRows(
                s, job.Workspace, job.Batch, job.Dropout, new Span<float>(job.Gradients, s.ParameterCount), ComputeContext.SingleThreaded);
        }
        catch (Exception e) // a chunk must never throw on a helper thread: the step rethrows on the caller
        {
            Interlocked.CompareExchange(ref job.Error, e, null);
        }
    }

    // A chunk of dW1ᵀ is final: elements [start, start + length) of the W1 block get the L2 term (and give their sum of
    // squares) and their update.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void FinishWeightRange(void* state, int chunk, int start, int length)
    {
        ref FusedStepJob job = ref Unsafe.AsRef<FusedStepJob>(state);
        try
        {
            int offset = job.Self.Shape.W1Offset + start;
            float* p = job.Parameters + offset, g = job.Gradients + offset;
            if (job.Decay)
            {
                job.Squares[chunk] = VectorKernels.AddScaledSumOfSquaresRange(
                    new Span<float>(g, length), new ReadOnlySpan<float>(p, length), job.DecayFactor);
            }

            job.Optimizer.UpdateRange(p, g, length, job.LearningRate, offset);
        }
        catch (Exception e) // a chunk must never throw on a helper thread: the step rethrows on the caller
        {
            Interlocked.CompareExchange(ref job.Error, e, null);
        }
    }

    private unsafe struct FusedStepJob(
        SparseInputGradients self, NetworkWorkspace workspace, int batch, bool dropout, Optimizer optimizer, float* parameters,
        float* gradients, float learningRate, bool decay, float decayFactor, double* squares)
    {
        public readonly SparseInputGradients Self = self;
        public readonly NetworkWorkspace Workspace = workspace;
        public readonly int Batch = batch;
        public readonly bool Dropout = dropout;
        public readonly Optimizer Optimizer = optimizer;
        public readonly float* Parameters = parameters;
        public readonly float* Gradients = gradients;
        public readonly float LearningRate = learningRate;
        public readonly bool Decay = decay;
        public readonly float DecayFactor = decayFactor;
        public readonly double* Squares = squares;
        public double Loss;
        public Exception? Error;
    }
}
