using System.Runtime.CompilerServices;

namespace MLNetFromScratch.Core.Network;

/// <summary>
/// Weight initialization matched to the activation that follows, so the variance of activations stays
/// about constant from layer to layer. Biases start at zero.
/// </summary>
public static class Initialization
{
    /// <summary>
    /// Fills the parameters: W1 by He (normal, σ = √(2 / inputs)) for ReLU or Glorot (uniform on ±√(6 / (inputs + hidden)))
    /// for tanh and sigmoid; W2 by Glorot (uniform on ±√(6 / (hidden + outputs))); b1 = b2 = 0.
    /// </summary>
    public static void Initialize(NetworkShape shape, Span<float> parameters, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(rng);
        if (parameters.Length != shape.ParameterCount)
        {
            throw new ArgumentException($"Expected {shape.ParameterCount} parameters, got {parameters.Length}.", nameof(parameters));
        }

        Span<float> w1 = parameters.Slice(shape.W1Offset, shape.W1Length);
        if (shape.HiddenActivation == Activation.Relu)
        {
            He(w1, shape.Inputs, rng);
        }
        else
        {
            Glorot(w1, shape.Inputs, shape.Hidden, rng);
        }

        Glorot(parameters.Slice(shape.W2Offset, shape.W2Length), shape.Hidden, shape.Outputs, rng);
        parameters.Slice(shape.B1Offset, shape.Hidden).Clear();
        parameters.Slice(shape.B2Offset, shape.Outputs).Clear();
    }

    // Fully optimized at first call: a network's weights are many draws, too many for tier-0 code (see TwoLayerNetwork.ComputeGradients).
    /// <summary>Glorot (Xavier) uniform: w ~ U(-l, l), l = √(6 / (fanIn + fanOut)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Glorot(Span<float> weights, int fanIn, int fanOut, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        double limit = Math.Sqrt(6.0 / (fanIn + fanOut));
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = (float)(((2.0 * rng.NextDouble()) - 1.0) * limit);
        }
    }

    /// <summary>He (Kaiming) normal: w ~ N(0, 2 / fanIn).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void He(Span<float> weights, int fanIn, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        double sigma = Math.Sqrt(2.0 / fanIn);
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = (float)(rng.NextGaussian() * sigma);
        }
    }
}
