using System.Runtime.CompilerServices;

namespace MLNetFromScratch.Core.Kernels;

/// <summary>
/// Each head's output link, loss and gradient with respect to the logits, fused: a = link(z),
/// dz = a - y, and the summed loss over the rows is returned (the caller divides by the row count).
/// Losses are computed from the logits, never from a clipped probability. Pass an empty
/// <c>dz</c> to skip the gradient (evaluation).
/// </summary>
public static class LossKernels
{
    // Fully optimized at first call, like every method a training step runs (see TwoLayerNetwork.ComputeGradients).
    /// <summary>
    /// Binary cross-entropy from logits: a = sigmoid(z); loss = Σ max(z, 0) - z·y + log(1 + e^-|z|); dz = a - y.
    /// </summary>
    /// <remarks>z, y, a, dz: (rows) — one logit a row.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Logistic(Span<float> a, Span<float> dz, ReadOnlySpan<float> z, ReadOnlySpan<float> y)
    {
        double loss = 0;
        bool gradient = !dz.IsEmpty;
        for (int i = 0; i < z.Length; i++)
        {
            float zi = z[i];
            float ai = ActivationKernels.Sigmoid(zi);
            a[i] = ai;
            loss += MathF.Max(zi, 0f) - (zi * y[i]) + MathF.Log(1f + MathF.Exp(-MathF.Abs(zi)));
            if (gradient)
            {
                dz[i] = ai - y[i];
            }
        }

        return loss;
    }

    /// <summary>
    /// Softmax cross-entropy from logits: a = softmax(z); loss = Σ_rows Σ_k y_k (logΣe^z - z_k); dz = a - y.
    /// Targets are one-hot rows (or any rows summing to 1).
    /// </summary>
    /// <remarks>z, y, a, dz: (rows, classes) row-major.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Softmax(Span<float> a, Span<float> dz, ReadOnlySpan<float> z, ReadOnlySpan<float> y, int rows, int classes)
    {
        double loss = 0;
        bool gradient = !dz.IsEmpty;
        for (int r = 0; r < rows; r++)
        {
            int o = r * classes;
            ReadOnlySpan<float> zr = z.Slice(o, classes);
            ReadOnlySpan<float> yr = y.Slice(o, classes);
            Span<float> ar = a.Slice(o, classes);
            float lse = SoftmaxKernel.LogSumExpRow(ar, zr);
            for (int k = 0; k < classes; k++)
            {
                if (yr[k] != 0f)
                {
                    loss += yr[k] * (lse - zr[k]);
                }
            }

            if (gradient)
            {
                Span<float> dzr = dz.Slice(o, classes);
                for (int k = 0; k < classes; k++)
                {
                    dzr[k] = ar[k] - yr[k];
                }
            }
        }

        return loss;
    }

    /// <summary>Half the squared error: a = z; loss = Σ ½ (z - y)²; dz = z - y.</summary>
    /// <remarks>z, y, a, dz: (rows, outputs) row-major, of equal length.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double SquaredError(Span<float> a, Span<float> dz, ReadOnlySpan<float> z, ReadOnlySpan<float> y)
    {
        double loss = 0;
        bool gradient = !dz.IsEmpty;
        for (int i = 0; i < z.Length; i++)
        {
            float d = z[i] - y[i];
            a[i] = z[i];
            loss += 0.5 * d * d;
            if (gradient)
            {
                dz[i] = d;
            }
        }

        return loss;
    }
}
