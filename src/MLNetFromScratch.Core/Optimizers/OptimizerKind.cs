namespace MLNetFromScratch;

/// <summary>The rule that turns a gradient into a parameter update.</summary>
public enum OptimizerKind
{
    /// <summary>Plain gradient descent: θ ← θ - η g.</summary>
    Sgd,

    /// <summary>Gradient descent with momentum (optionally Nesterov's): v ← μ v + g; θ ← θ - η v.</summary>
    Momentum,

    /// <summary>Adam (Kingma and Ba, 2015): bias-corrected first and second moment estimates.</summary>
    Adam,
}
