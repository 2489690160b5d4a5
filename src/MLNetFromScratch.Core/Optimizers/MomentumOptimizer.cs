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

    /// <inheritdoc/>
    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, float learningRate)
    {
        Span<float> v = _velocity;
        float mu = _momentum;
        for (int i = 0; i < parameters.Length; i++)
        {
            float g = gradients[i];
            float vi = (mu * v[i]) + g;
            v[i] = vi;
            parameters[i] -= learningRate * (_nesterov ? g + (mu * vi) : vi);
        }
    }
}
