using MLNetFromScratch.Core.Kernels;

namespace MLNetFromScratch.Core.Network;

/// <summary>
/// The two-layer network of the tutorial: Z1 = X·W1ᵀ + b1, A1 = g(Z1), Z2 = A1·W2ᵀ + b2, A2 = link(Z2).
/// All weights and biases live in one flat buffer, <see cref="Parameters"/>, laid out as <see cref="NetworkShape"/> says.
/// </summary>
public sealed partial class TwoLayerNetwork
{
    /// <summary>Wraps an existing parameter buffer (not copied).</summary>
    /// <exception cref="ArgumentException">When the buffer's length is not <see cref="NetworkShape.ParameterCount"/>.</exception>
    public TwoLayerNetwork(NetworkShape shape, float[] parameters)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Length != shape.ParameterCount)
        {
            throw new ArgumentException(
                $"The shape {shape.Inputs}-{shape.Hidden}-{shape.Outputs} has {shape.ParameterCount} parameters, the buffer {parameters.Length}.",
                nameof(parameters));
        }

        Shape = shape;
        Parameters = parameters;
    }

    /// <summary>The sizes, activation and head.</summary>
    public NetworkShape Shape { get; }

    /// <summary>[W1 | b1 | W2 | b2], flat.</summary>
    public float[] Parameters { get; }

    /// <summary>W1: (hidden, inputs).</summary>
    public ReadOnlySpan<float> W1 => Parameters.AsSpan(Shape.W1Offset, Shape.W1Length);

    /// <summary>b1: (hidden).</summary>
    public ReadOnlySpan<float> B1 => Parameters.AsSpan(Shape.B1Offset, Shape.Hidden);

    /// <summary>W2: (outputs, hidden).</summary>
    public ReadOnlySpan<float> W2 => Parameters.AsSpan(Shape.W2Offset, Shape.W2Length);

    /// <summary>b2: (outputs).</summary>
    public ReadOnlySpan<float> B2 => Parameters.AsSpan(Shape.B2Offset, Shape.Outputs);

    /// <summary>Creates a network with freshly initialized weights (He or Glorot, see <see cref="Initialization"/>).</summary>
    public static TwoLayerNetwork Create(NetworkShape shape, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var parameters = new float[shape.ParameterCount];
        Initialization.Initialize(shape, parameters, rng);
        return new TwoLayerNetwork(shape, parameters);
    }

    /// <summary>Σ W1² + Σ W2², the quantity L2 regularization penalizes (biases are not penalized).</summary>
    public double SquaredWeightSum() => VectorKernels.SumOfSquares(W1) + VectorKernels.SumOfSquares(W2);
}
