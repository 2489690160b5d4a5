using MLNetFromScratch.Core.Optimizers;

namespace MLNetFromScratch.Core.Tests.Optimizers;

/// <summary>
/// The naive twin of each optimizer: one element at a time, in index order, the float operations the class
/// documents (for Adam, the loop of <c>Adam_VectorizedSteps_EqualScalarAlgorithmBitForBit</c>).
/// </summary>
internal sealed class ScalarOptimizer(OptimizerKind kind, int parameterCount, OptimizerSettings settings)
{
    private readonly float[] _first = new float[parameterCount];
    private readonly float[] _second = new float[parameterCount];
    private int _t;

    public void Step(float[] p, float[] g, float learningRate)
    {
        switch (kind)
        {
            case OptimizerKind.Sgd:
                for (int i = 0; i < p.Length; i++)
                {
                    p[i] -= learningRate * g[i];
                }

                break;
            case OptimizerKind.Momentum:
                float mu = settings.Momentum;
                for (int i = 0; i < p.Length; i++)
                {
                    float vi = (mu * _first[i]) + g[i];
                    _first[i] = vi;
                    p[i] -= learningRate * (settings.Nesterov ? g[i] + (mu * vi) : vi);
                }

                break;
            case OptimizerKind.Adam:
                _t++;
                float b1 = settings.Beta1, b2 = settings.Beta2;
                float c1 = 1f / (1f - MathF.Pow(b1, _t)), c2 = 1f / (1f - MathF.Pow(b2, _t));
                for (int i = 0; i < p.Length; i++)
                {
                    _first[i] = (b1 * _first[i]) + ((1f - b1) * g[i]);
                    _second[i] = (b2 * _second[i]) + ((1f - b2) * g[i] * g[i]);
                    p[i] -= learningRate * (_first[i] * c1) / (MathF.Sqrt(_second[i] * c2) + settings.Epsilon);
                }

                break;
            default:
                throw new InvalidOperationException($"No scalar twin for {kind}.");
        }
    }
}
