using System.Numerics;
using System.Runtime.CompilerServices;

namespace MLNetFromScratch.Core.Optimizers;

/// <summary>
/// Gradient descent with momentum: v ← μ v + g, then θ ← θ - η v, or with Nesterov's look-ahead
/// θ ← θ - η (g + μ v) (the formulation of Sutskever et al., 2013, as PyTorch writes it).
/// </summary>
public sealed class MomentumOptimizer : Optimizer
{
    private readonly float[] _velocity;
    private readonly float _momentum;
    private readonly bool _nesterov;

    /// <summary>Creates the optimizer with zero velocity.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="momentum"/> is outside [0, 1).</exception>
    public MomentumOptimizer(int parameterCount, float momentum, bool nesterov)
        : base(parameterCount)
    {
        if (!(momentum >= 0f && momentum < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Momentum must be in [0, 1).");
        }

        _velocity = new float[parameterCount];
        _momentum = momentum;
        _nesterov = nesterov;
    }

    // Fully optimized at first call, like every method a training step runs (see TwoLayerNetwork.ComputeGradients).
    /// <inheritdoc/>
    /// <remarks>
    /// Vectorized with <see cref="Vector{T}"/> over pointers (no span slicing in the loop): each lane does the scalar
    /// loop's operations in the same order (no fused multiply-add), so the bits do not depend on the vector width.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override unsafe void Update(Span<float> parameters, ReadOnlySpan<float> gradients, float learningRate, int offset)
    {
        int length = parameters.Length;
        if (gradients.Length != length)
        {
            throw new ArgumentException("The parameters and gradients have different lengths.", nameof(gradients));
        }

        float mu = _momentum;
        bool nesterov = _nesterov;
        fixed (float* p = parameters, g = gradients, v = _velocity.AsSpan(offset, length))
        {
            nint i = 0;
            if (Vector.IsHardwareAccelerated && length >= Vector<float>.Count)
            {
                var vmu = new Vector<float>(mu);
                var vlr = new Vector<float>(learningRate);
                for (; i <= length - Vector<float>.Count; i += Vector<float>.Count)
                {
                    Vector<float> gi = Vector.Load(g + i);
                    Vector<float> vi = (vmu * Vector.Load(v + i)) + gi;
                    vi.Store(v + i);
                    (Vector.Load(p + i) - (vlr * (nesterov ? gi + (vmu * vi) : vi))).Store(p + i);
                }
            }

            for (; i < length; i++)
            {
                float gi = g[i];
                float vi = (mu * v[i]) + gi;
                v[i] = vi;
                p[i] -= learningRate * (nesterov ? gi + (mu * vi) : vi);
            }
        }
    }
}
