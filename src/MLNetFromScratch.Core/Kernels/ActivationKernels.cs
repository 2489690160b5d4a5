namespace MLNetFromScratch.Core.Kernels;

/// <summary>Elementwise activations and their derivatives.</summary>
public static class ActivationKernels
{
    /// <summary>a = g(z), elementwise.</summary>
    public static void Forward(Span<float> a, ReadOnlySpan<float> z, Activation activation)
    {
        if (a.Length < z.Length)
        {
            throw new ArgumentException("Destination is shorter than the input.", nameof(a));
        }

        switch (activation)
        {
            case Activation.Relu:
                for (int i = 0; i < z.Length; i++)
                {
                    a[i] = MathF.Max(z[i], 0f);
                }

                break;
            case Activation.Tanh:
                for (int i = 0; i < z.Length; i++)
                {
                    a[i] = MathF.Tanh(z[i]);
                }

                break;
            case Activation.Sigmoid:
                for (int i = 0; i < z.Length; i++)
                {
                    a[i] = Sigmoid(z[i]);
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        }
    }

    /// <summary>dz = da ⊙ g'(z), elementwise, with g' taken from z (ReLU) or from a = g(z) (tanh, sigmoid).</summary>
    public static void Backward(Span<float> dz, ReadOnlySpan<float> da, ReadOnlySpan<float> z, ReadOnlySpan<float> a, Activation activation)
    {
        int n = da.Length;
        if (dz.Length < n || z.Length < n || a.Length < n)
        {
            throw new ArgumentException("Spans have different lengths.", nameof(dz));
        }

        switch (activation)
        {
            case Activation.Relu:
                for (int i = 0; i < n; i++)
                {
                    dz[i] = z[i] > 0f ? da[i] : 0f;
                }

                break;
            case Activation.Tanh:
                for (int i = 0; i < n; i++)
                {
                    dz[i] = da[i] * (1f - (a[i] * a[i]));
                }

                break;
            case Activation.Sigmoid:
                for (int i = 0; i < n; i++)
                {
                    dz[i] = da[i] * a[i] * (1f - a[i]);
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        }
    }

    /// <summary>1 / (1 + e^-z), evaluated in the branch that cannot overflow for any finite z.</summary>
    public static float Sigmoid(float z)
    {
        if (z >= 0f)
        {
            return 1f / (1f + MathF.Exp(-z));
        }

        float e = MathF.Exp(z);
        return e / (1f + e);
    }
}
