using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using MLNetFromScratch.Core.Kernels;

namespace MLNetFromScratch.Core.Network;

// The part of a training pass that each row does on its own, from Z1 forward to the logits and back to dZ1, done in
// blocks of rows that the threads of a ComputeContext take one at a time (each block on one thread, with the kernels'
// single-row bits, so the results do not depend on the thread count); then what sums over the rows: the loss and the
// output layer's gradient. The dense pass runs the blocks alone; the sparse one runs them together with its own work.
public sealed partial class TwoLayerNetwork
{
    /// <summary>Rows a block holds: 4 blocks in a batch of 128 (16-row blocks measured 10% slower, 24 no faster).</summary>
    internal const int BlockRows = 32;

    /// <summary>How many blocks a batch of <paramref name="batch"/> rows makes.</summary>
    internal static int BlockCount(int batch) => (batch + BlockRows - 1) / BlockRows;

    /// <summary>
    /// Before the blocks: checks that dropout has its generator and draws the mask of the whole batch, in order
    /// (keep with probability 1 - p, scaled by 1 / (1 - p)), so that the draws do not depend on how blocks are run.
    /// </summary>
    /// <exception cref="ArgumentNullException">When <paramref name="dropoutRate"/> &gt; 0 and <paramref name="rng"/> is null.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void DrawDropoutMask(NetworkShape s, NetworkWorkspace workspace, int batch, float dropoutRate, Rng? rng)
    {
        if (dropoutRate > 0f)
        {
            ArgumentNullException.ThrowIfNull(rng);
            Span<float> mask = workspace.DropoutMask.AsSpan(0, batch * s.Hidden);
            float keepScale = 1f / (1f - dropoutRate);
            for (int i = 0; i < mask.Length; i++)
            {
                mask[i] = rng.NextSingle() >= dropoutRate ? keepScale : 0f;
            }
        }
    }

    /// <summary>
    /// Block <paramref name="block"/> of a batch of <paramref name="batch"/> rows, from its Z1 rows on:
    /// A1 = g(Z1); H = A1 ⊙ mask (with dropout; the output layer reads A1 itself without); Z2 = H·W2ᵀ + b2;
    /// A2 and dZ2 = A2 - Y (and each row's log-sum-exp for a softmax head); dH = dZ2·W2; dZ1 = (dH ⊙ mask) ⊙ g'(Z1),
    /// written to <paramref name="dz1"/>, the batch's (batch, hidden): <see cref="NetworkWorkspace.DZ1"/> or a buffer of
    /// the caller's. On the calling thread; blocks touch disjoint rows, so several may run at once. Throws nothing for
    /// valid sizes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void ForwardBackwardBlock(
        NetworkShape s, NetworkWorkspace workspace, int block, int batch, bool dropout, ReadOnlySpan<float> w2, ReadOnlySpan<float> b2,
        Span<float> dz1)
    {
        int r0 = block * BlockRows, rows = Math.Min(BlockRows, batch - r0);
        int hidden = s.Hidden, outputs = s.Outputs;
        Span<float> z1 = workspace.Z1.AsSpan(r0 * hidden, rows * hidden);
        Span<float> a1 = workspace.A1.AsSpan(r0 * hidden, rows * hidden);
        Span<float> h = a1;
        ActivationKernels.Forward(a1, z1, s.HiddenActivation);
        ReadOnlySpan<float> mask = dropout ? workspace.DropoutMask.AsSpan(r0 * hidden, rows * hidden) : default;
        if (dropout)
        {
            h = workspace.H.AsSpan(r0 * hidden, rows * hidden);
            for (int i = 0; i < h.Length; i++)
            {
                h[i] = a1[i] * mask[i];
            }
        }

        Span<float> z2 = workspace.Z2.AsSpan(r0 * outputs, rows * outputs);
        Span<float> a2 = workspace.A2.AsSpan(r0 * outputs, rows * outputs);
        Span<float> dz2 = workspace.DZ2.AsSpan(r0 * outputs, rows * outputs);
        ReadOnlySpan<float> y = workspace.Targets.AsSpan(r0 * outputs, rows * outputs);
        MatMul.Forward(z2, h, w2, b2, rows, hidden, outputs, ComputeContext.SingleThreaded);
        switch (s.Head)
        {
            case NetworkHead.Logistic:
                LossKernels.LogisticGradient(a2, dz2, z2, y);
                break;
            case NetworkHead.Softmax:
                LossKernels.SoftmaxGradient(a2, dz2, workspace.LogSumExp.AsSpan(r0, rows), z2, y, rows, outputs);
                break;
            default:
                LossKernels.SquaredErrorGradient(a2, dz2, z2, y);
                break;
        }

        Span<float> dh = workspace.DH.AsSpan(r0 * hidden, rows * hidden);
        MatMul.BackwardInput(dh, dz2, w2, rows, hidden, outputs, ComputeContext.SingleThreaded);
        if (dropout)
        {
            for (int i = 0; i < dh.Length; i++)
            {
                dh[i] *= mask[i];
            }
        }

        ActivationKernels.Backward(dz1.Slice(r0 * hidden, rows * hidden), dh, z1, a1, s.HiddenActivation);
    }

    /// <summary>
    /// After the blocks: returns the data loss summed over the batch, rows in order, and writes dW2 = dZ2ᵀ·H / m and
    /// db2 = Σ dZ2 / m (m = <paramref name="batch"/>) into <paramref name="gradients"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double FinishRows(
        NetworkShape s, NetworkWorkspace workspace, int batch, bool dropout, Span<float> gradients, ComputeContext? context)
    {
        int n = batch * s.Outputs;
        ReadOnlySpan<float> z2 = workspace.Z2.AsSpan(0, n);
        ReadOnlySpan<float> y = workspace.Targets.AsSpan(0, n);
        ReadOnlySpan<float> dz2 = workspace.DZ2.AsSpan(0, n);
        double loss = s.Head switch
        {
            NetworkHead.Logistic => LossKernels.LogisticLoss(z2, y),
            NetworkHead.Softmax => LossKernels.SoftmaxLoss(workspace.LogSumExp.AsSpan(0, batch), z2, y, batch, s.Outputs),
            _ => LossKernels.SquaredErrorLoss(z2, y),
        };

        MatMul.BackwardWeights(
            gradients.Slice(s.W2Offset, s.W2Length), gradients.Slice(s.B2Offset, s.Outputs),
            dz2, (dropout ? workspace.H : workspace.A1).AsSpan(0, batch * s.Hidden), 1f / batch, batch, s.Hidden, s.Outputs, context);
        return loss;
    }

    /// <summary>
    /// The per-row part of the dense pass from Z1: draws the dropout mask, runs the blocks on the threads of
    /// <paramref name="context"/>, then <see cref="FinishRows"/>; returns the summed data loss.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe double ForwardBackwardFromZ1(
        NetworkWorkspace workspace, int batch, float dropoutRate, Rng? rng, Span<float> gradients, ComputeContext? context)
    {
        NetworkShape s = Shape;
        DrawDropoutMask(s, workspace, batch, dropoutRate, rng);
        var job = new BlocksJob(s, workspace, Parameters, batch, dropoutRate > 0f);

        // The job lives on this stack frame, which stays put until Run returns, so the helpers may hold its address.
        (context ?? ComputeContext.Default).Run(BlockCount(batch), &RunBlock, Unsafe.AsPointer(ref job));
        if (job.Error is not null)
        {
            ExceptionDispatchInfo.Throw(job.Error);
        }

        return FinishRows(s, workspace, batch, job.Dropout, gradients, context);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void RunBlock(void* state, int block)
    {
        ref BlocksJob job = ref Unsafe.AsRef<BlocksJob>(state);
        try
        {
            NetworkShape s = job.Shape;
            ForwardBackwardBlock(
                s, job.Workspace, block, job.Batch, job.Dropout,
                job.Parameters.AsSpan(s.W2Offset, s.W2Length), job.Parameters.AsSpan(s.B2Offset, s.Outputs), job.Workspace.DZ1);
        }
        catch (Exception e) // a chunk must never throw on a helper thread: the pass rethrows on the caller
        {
            Interlocked.CompareExchange(ref job.Error, e, null);
        }
    }

    private struct BlocksJob(NetworkShape shape, NetworkWorkspace workspace, float[] parameters, int batch, bool dropout)
    {
        public readonly NetworkShape Shape = shape;
        public readonly NetworkWorkspace Workspace = workspace;
        public readonly float[] Parameters = parameters;
        public readonly int Batch = batch;
        public readonly bool Dropout = dropout;
        public Exception? Error;
    }
}
