using System.Numerics;
using System.Runtime.CompilerServices;

namespace MLNetFromScratch.Core.Optimizers;

/// <summary>Plain gradient descent: θ ← θ - η g.</summary>
public sealed class GradientDescent(int parameterCount) : Optimizer(parameterCount)
{
    // Fully optimized at first call, like every method a training step runs (see TwoLayerNetwork.ComputeGradients).
    /// <inheritdoc/>
    /// <remarks>Vectorized: each lane does the scalar loop's multiply, then subtract (no fused rounding).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, float learningRate, int offset)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && parameters.Length >= Vector<float>.Count)
        {
            var vlr = new Vector<float>(learningRate);
            for (; i <= parameters.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                Span<float> p = parameters[i..];
                (new Vector<float>(p) - (vlr * new Vector<float>(gradients[i..]))).CopyTo(p);
            }
        }

        for (; i < parameters.Length; i++)
        {
            parameters[i] -= learningRate * gradients[i];
        }
    }
}
