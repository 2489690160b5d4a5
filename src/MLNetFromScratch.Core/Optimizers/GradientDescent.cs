namespace MLNetFromScratch.Core.Optimizers;

/// <summary>Plain gradient descent: θ ← θ - η g.</summary>
public sealed class GradientDescent(int parameterCount) : Optimizer(parameterCount)
{
    /// <inheritdoc/>
    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, float learningRate)
    {
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] -= learningRate * gradients[i];
        }
    }
}
