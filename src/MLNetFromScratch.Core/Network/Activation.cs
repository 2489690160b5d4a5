namespace MLNetFromScratch;

/// <summary>The nonlinearity g applied to the hidden layer: A1 = g(Z1).</summary>
public enum Activation
{
    /// <summary>g(z) = max(0, z); g'(z) = 1 when z &gt; 0, else 0. He initialization.</summary>
    Relu,

    /// <summary>g(z) = tanh(z); g'(z) = 1 - g(z)². Glorot initialization.</summary>
    Tanh,

    /// <summary>g(z) = 1 / (1 + e^-z); g'(z) = g(z)(1 - g(z)). Glorot initialization.</summary>
    Sigmoid,
}
