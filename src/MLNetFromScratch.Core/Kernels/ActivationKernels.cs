using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MLNetFromScratch.Core.Kernels;

/// <summary>Elementwise activations and their derivatives.</summary>
public static class ActivationKernels
{
    // Fully optimized at first call, like every method a training step runs (see TwoLayerNetwork.ComputeGradients).
    /// <summary>a = g(z), elementwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(Span<float> a, ReadOnlySpan<float> z, Activation activation)
    {
        if (a.Length < z.Length)
        {
            throw new ArgumentException("Destination is shorter than the input.", nameof(a));
        }

        switch (activation)
        {
            case Activation.Relu:
                ReluForward(a, z);
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
                ReluBackward(dz[..n], da, z[..n]);
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

    /// <summary>a = max(z, 0) with <see cref="MathF.Max(float, float)"/>'s semantics (NaN stays NaN), SIMD.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReluForward(Span<float> a, ReadOnlySpan<float> z)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && z.Length >= Vector<float>.Count)
        {
            ReadOnlySpan<Vector<float>> zv = MemoryMarshal.Cast<float, Vector<float>>(z);
            Span<Vector<float>> av = MemoryMarshal.Cast<float, Vector<float>>(a);
            for (int v = 0; v < zv.Length; v++)
            {
                av[v] = Vector.Max(zv[v], Vector<float>.Zero);
            }

            i = zv.Length * Vector<float>.Count;
        }

        for (; i < z.Length; i++)
        {
            a[i] = MathF.Max(z[i], 0f);
        }
    }

    /// <summary>dz = da where z &gt; 0, else 0, SIMD.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReluBackward(Span<float> dz, ReadOnlySpan<float> da, ReadOnlySpan<float> z)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && z.Length >= Vector<float>.Count)
        {
            ReadOnlySpan<Vector<float>> zv = MemoryMarshal.Cast<float, Vector<float>>(z);
            ReadOnlySpan<Vector<float>> dav = MemoryMarshal.Cast<float, Vector<float>>(da[..z.Length]);
            Span<Vector<float>> dzv = MemoryMarshal.Cast<float, Vector<float>>(dz);
            for (int v = 0; v < zv.Length; v++)
            {
                dzv[v] = Vector.ConditionalSelect(Vector.GreaterThan(zv[v], Vector<float>.Zero), dav[v], Vector<float>.Zero);
            }

            i = zv.Length * Vector<float>.Count;
        }

        for (; i < z.Length; i++)
        {
            dz[i] = z[i] > 0f ? da[i] : 0f;
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
