using System.Numerics;
using System.Runtime.CompilerServices;

namespace MLNetFromScratch.Core.Optimizers;

/// <summary>
/// Adam (Kingma and Ba, 2015, Algorithm 1): m ← β1 m + (1 - β1) g; v ← β2 v + (1 - β2) g²;
/// m̂ = m / (1 - β1^t); v̂ = v / (1 - β2^t); θ ← θ - η m̂ / (√v̂ + ε).
/// </summary>
public sealed class AdamOptimizer : Optimizer
{
    private readonly float[] _m;
    private readonly float[] _v;
    private readonly float _beta1;
    private readonly float _beta2;
    private readonly float _epsilon;
    private int _t;
    private float _correction1;
    private float _correction2;

    /// <summary>Creates the optimizer with zero moments.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When a β is outside [0, 1) or ε is not positive.</exception>
    public AdamOptimizer(int parameterCount, float beta1, float beta2, float epsilon)
        : base(parameterCount)
    {
        if (!(beta1 >= 0f && beta1 < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "Beta1 must be in [0, 1).");
        }

        if (!(beta2 >= 0f && beta2 < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "Beta2 must be in [0, 1).");
        }

        if (!(epsilon > 0f) || float.IsInfinity(epsilon))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "Epsilon must be finite and > 0.");
        }

        _m = new float[parameterCount];
        _v = new float[parameterCount];
        _beta1 = beta1;
        _beta2 = beta2;
        _epsilon = epsilon;
    }

    // Fully optimized at first call, like every method a training step runs (see TwoLayerNetwork.ComputeGradients).
    /// <inheritdoc/>
    /// <remarks>The bias corrections 1 / (1 - βᵢ^t), computed once a step.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void BeginStep()
    {
        _t++;
        _correction1 = 1f / (1f - MathF.Pow(_beta1, _t));
        _correction2 = 1f / (1f - MathF.Pow(_beta2, _t));
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Vectorized with <see cref="Vector{T}"/> over pointers (no span slicing in the loop): each lane does the scalar
    /// loop's operations in the same order (IEEE add, multiply, divide and square root, no fused multiply-add), so the
    /// bits do not depend on the vector width, nor on where the vector is cut into ranges.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override unsafe void Update(Span<float> parameters, ReadOnlySpan<float> gradients, float learningRate, int offset)
    {
        float b1 = _beta1, b2 = _beta2, epsilon = _epsilon;
        float correction1 = _correction1, correction2 = _correction2;
        int length = parameters.Length;
        if (gradients.Length != length)
        {
            throw new ArgumentException("The parameters and gradients have different lengths.", nameof(gradients));
        }

        Span<float> moments1 = _m.AsSpan(offset, length), moments2 = _v.AsSpan(offset, length);
        fixed (float* p = parameters, g = gradients, m = moments1, v = moments2)
        {
            nint i = 0;
            if (Vector.IsHardwareAccelerated && length >= Vector<float>.Count)
            {
                var vb1 = new Vector<float>(b1);
                var vb2 = new Vector<float>(b2);
                var va1 = new Vector<float>(1f - b1);
                var va2 = new Vector<float>(1f - b2);
                var vc1 = new Vector<float>(correction1);
                var vc2 = new Vector<float>(correction2);
                var vlr = new Vector<float>(learningRate);
                var veps = new Vector<float>(epsilon);
                for (; i <= length - Vector<float>.Count; i += Vector<float>.Count)
                {
                    Vector<float> gi = Vector.Load(g + i);
                    Vector<float> mi = (vb1 * Vector.Load(m + i)) + (va1 * gi);
                    Vector<float> vi = (vb2 * Vector.Load(v + i)) + (va2 * gi * gi);
                    mi.Store(m + i);
                    vi.Store(v + i);
                    (Vector.Load(p + i) - (vlr * (mi * vc1) / (Vector.SquareRoot(vi * vc2) + veps))).Store(p + i);
                }
            }

            for (; i < length; i++)
            {
                float gi = g[i];
                float mi = (b1 * m[i]) + ((1f - b1) * gi);
                float vi = (b2 * v[i]) + ((1f - b2) * gi * gi);
                m[i] = mi;
                v[i] = vi;
                p[i] -= learningRate * (mi * correction1) / (MathF.Sqrt(vi * correction2) + epsilon);
            }
        }
    }
}
