namespace MLNetFromScratch.Core.Optimizers;

/// <summary>
/// Updates the flat parameter vector from its gradient. Optimizers never know what a layer is; their
/// state (velocities, moments) is allocated once, at construction, for a fixed parameter count.
/// </summary>
public abstract class Optimizer
{
    /// <summary>Creates an optimizer for <paramref name="parameterCount"/> parameters.</summary>
    protected Optimizer(int parameterCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parameterCount, 1);
        ParameterCount = parameterCount;
    }

    /// <summary>The length of the vectors <see cref="Step"/> takes.</summary>
    public int ParameterCount { get; }

    /// <summary>Applies one update to <paramref name="parameters"/> with learning rate <paramref name="learningRate"/>. Allocates nothing.</summary>
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients, float learningRate)
    {
        if (parameters.Length != ParameterCount || gradients.Length != ParameterCount)
        {
            throw new ArgumentException(
                $"Expected {ParameterCount} parameters and gradients, got {parameters.Length} and {gradients.Length}.", nameof(parameters));
        }

        Update(parameters, gradients, learningRate);
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

    /// <summary>The update itself; lengths are already checked.</summary>
    protected abstract void Update(Span<float> parameters, ReadOnlySpan<float> gradients, float learningRate);
}
