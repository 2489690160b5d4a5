using System.Numerics;
using System.Runtime.CompilerServices;

namespace MLNetFromScratch.Core.Optimizers;

/// <summary>Plain gradient descent: θ ← θ - η g.</summary>
public sealed class GradientDescent(int parameterCount) : Optimizer(parameterCount)
{
    // Fully optimized at first call, like every method a training step runs (see TwoLayerNetwork.ComputeGradients).
    /// <inheritdoc/>
    /// <remarks>Vectorized over pointers: each lane does the scalar loop's multiply, then subtract (no fused rounding).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override unsafe void Update(Span<float> parameters, ReadOnlySpan<float> gradients, float learningRate, int offset)
    {
        int length = parameters.Length;
        if (gradients.Length != length)
        {
            throw new ArgumentException("The parameters and gradients have different lengths.", nameof(gradients));
        }

        fixed (float* p = parameters, g = gradients)
        {
            nint i = 0;
            if (Vector.IsHardwareAccelerated && length >= Vector<float>.Count)
            {
                var vlr = new Vector<float>(learningRate);
                for (; i <= length - Vector<float>.Count; i += Vector<float>.Count)
                {
                    (Vector.Load(p + i) - (vlr * Vector.Load(g + i))).Store(p + i);
                }
            }

            for (; i < length; i++)
            {
                p[i] -= learningRate * g[i];
            }
        }
    }
}
