using System.Runtime.CompilerServices;
using MLNetFromScratch.Core.Kernels;

namespace MLNetFromScratch.Core.Network;

public sealed partial class TwoLayerNetwork
{
    /// <summary>
    /// One forward and backward pass over the first <paramref name="batch"/> rows of the workspace:
    /// returns the cost J = (1/m) Σ loss + λ/(2m) (ΣW1² + ΣW2²) and writes its gradient into
    /// <paramref name="gradients"/> (laid out like <see cref="Parameters"/>):
    /// dZ2 = A2 - Y; dW2 = dZ2ᵀ·H / m + (λ/m) W2; db2 = Σ dZ2 / m; dH = dZ2·W2;
    /// dZ1 = (dH ⊙ mask) ⊙ g'(Z1); dW1 = dZ1ᵀ·X / m + (λ/m) W1; db1 = Σ dZ1 / m, with m = <paramref name="batch"/>.
    /// Allocates nothing.
    /// </summary>
    /// <remarks>
    /// Every method a training step runs is marked <see cref="MethodImplOptions.AggressiveOptimization"/>: the JIT
    /// compiles it fully optimized at its first call, once. Otherwise it would start as tier-0 code (slow, above all
    /// in SIMD loops, which call every vector operation), be recompiled instrumented, then optimized, and on-stack
    /// replaced in long loops, so the first epoch of a process ran much slower than the others while those
    /// recompilations took a core from the kernels. The price is dynamic PGO, which these loops do not need.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double ComputeGradients(
        NetworkWorkspace workspace, int batch, float l2, float dropoutRate, Rng? rng, Span<float> gradients,
        ComputeContext? context = null)
    {
        NetworkShape s = Shape;
        if (gradients.Length != s.ParameterCount)
        {
            throw new ArgumentException($"Expected {s.ParameterCount} gradients, got {gradients.Length}.", nameof(gradients));
        }

        CheckWorkspace(workspace, batch);
        MatMul.Forward(workspace.Z1.AsSpan(0, batch * s.Hidden), workspace.Inputs, W1, B1, batch, s.Inputs, s.Hidden, context);
        double cost = ForwardBackwardFromZ1(workspace, batch, dropoutRate, rng, gradients, context) / batch;
        MatMul.BackwardWeights(
            gradients.Slice(s.W1Offset, s.W1Length), gradients.Slice(s.B1Offset, s.Hidden),
            workspace.DZ1.AsSpan(0, batch * s.Hidden), workspace.Inputs, 1f / batch, batch, s.Inputs, s.Hidden, context);

        if (l2 > 0f)
        {
            // One sweep a layer: (λ/m)·W joins the gradient while Σ W² (the bits of SquaredWeightSum) is summed.
            float decay = l2 / batch;
            double squares = VectorKernels.AddScaledSumOfSquares(gradients.Slice(s.W1Offset, s.W1Length), W1, decay, context)
                + VectorKernels.AddScaledSumOfSquares(gradients.Slice(s.W2Offset, s.W2Length), W2, decay, context);
            cost += l2 / (2.0 * batch) * squares;
        }

        return cost;
    }
}
