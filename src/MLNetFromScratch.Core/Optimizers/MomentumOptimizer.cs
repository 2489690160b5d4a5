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
    /// Vectorized with <see cref="Vector{T}"/>: each lane does the scalar loop's operations in the same order
    /// (no fused multiply-add), so the bits do not depend on the vector width.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, float learningRate, int offset)
    {
        Span<float> v = _velocity.AsSpan(offset, parameters.Length);
        float mu = _momentum;
        bool nesterov = _nesterov;
        int i = 0;
        if (Vector.IsHardwareAccelerated && parameters.Length >= Vector<float>.Count)
        {
            var vmu = new Vector<float>(mu);
            var vlr = new Vector<float>(learningRate);
            for (; i <= parameters.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var g = new Vector<float>(gradients[i..]);
                Vector<float> vi = (vmu * new Vector<float>(v[i..])) + g;
                vi.CopyTo(v[i..]);
                Span<float> p = parameters[i..];
                (new Vector<float>(p) - (vlr * (nesterov ? g + (vmu * vi) : vi))).CopyTo(p);
            }
        }

        for (; i < parameters.Length; i++)
        {
            float g = gradients[i];
            float vi = (mu * v[i]) + g;
            v[i] = vi;
            parameters[i] -= learningRate * (nesterov ? g + (mu * vi) : vi);
        }
    }
}
