namespace MLNetFromScratch.Core.Optimizers;

/// <summary>Hyperparameters of the optimizers; each optimizer reads the ones it uses.</summary>
public sealed record OptimizerSettings
{
    /// <summary>μ of the momentum optimizer, in [0, 1).</summary>
    public float Momentum { get; init; } = 0.9f;

    /// <summary>Whether the momentum optimizer uses Nesterov's look-ahead.</summary>
    public bool Nesterov { get; init; }

    /// <summary>Adam's decay rate of the first moment, β1 in [0, 1).</summary>
    public float Beta1 { get; init; } = 0.9f;

    /// <summary>Adam's decay rate of the second moment, β2 in [0, 1).</summary>
    public float Beta2 { get; init; } = 0.999f;

    /// <summary>Adam's ε, added to √v̂ to keep the step finite; &gt; 0.</summary>
    public float Epsilon { get; init; } = 1e-8f;
}
