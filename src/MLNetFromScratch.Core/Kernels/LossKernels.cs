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

    /// <summary>
    /// The gradient half of <see cref="Logistic"/>: a = sigmoid(z), dz = a - y, the same bits; <see cref="LogisticLoss"/>
    /// gives the loss. Rows are independent, so a batch may be split into blocks done apart.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void LogisticGradient(Span<float> a, Span<float> dz, ReadOnlySpan<float> z, ReadOnlySpan<float> y)
    {
        for (int i = 0; i < z.Length; i++)
        {
            float ai = ActivationKernels.Sigmoid(z[i]);
            a[i] = ai;
            dz[i] = ai - y[i];
        }
    }

    /// <summary>The loss half of <see cref="Logistic"/>: Σ max(z, 0) - z·y + log(1 + e^-|z|), the same bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double LogisticLoss(ReadOnlySpan<float> z, ReadOnlySpan<float> y)
    {
        double loss = 0;
        for (int i = 0; i < z.Length; i++)
        {
            float zi = z[i];
            loss += MathF.Max(zi, 0f) - (zi * y[i]) + MathF.Log(1f + MathF.Exp(-MathF.Abs(zi)));
        }

        return loss;
    }

    /// <summary>
    /// The gradient half of <see cref="Softmax"/>: a = softmax(z), dz = a - y, and each row's log Σ e^z into
    /// <paramref name="logSumExp"/> (rows), from which <see cref="SoftmaxLoss"/> gives the loss; the same bits.
    /// Rows are independent, so a batch may be split into blocks done apart.
    /// </summary>
    /// <remarks>z, y, a, dz: (rows, classes) row-major.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SoftmaxGradient(
        Span<float> a, Span<float> dz, Span<float> logSumExp, ReadOnlySpan<float> z, ReadOnlySpan<float> y, int rows, int classes)
    {
        for (int r = 0; r < rows; r++)
        {
            int o = r * classes;
            Span<float> ar = a.Slice(o, classes);
            logSumExp[r] = SoftmaxKernel.LogSumExpRow(ar, z.Slice(o, classes));
            ReadOnlySpan<float> yr = y.Slice(o, classes);
            Span<float> dzr = dz.Slice(o, classes);
            for (int k = 0; k < classes; k++)
            {
                dzr[k] = ar[k] - yr[k];
            }
        }
    }

    /// <summary>
    /// The loss half of <see cref="Softmax"/>: Σ_rows Σ_k y_k (logSumExp_r - z_k) over the targets that are not 0,
    /// added in order, from the log-sum-exps <see cref="SoftmaxGradient"/> left: the same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double SoftmaxLoss(ReadOnlySpan<float> logSumExp, ReadOnlySpan<float> z, ReadOnlySpan<float> y, int rows, int classes)
    {
        double loss = 0;
        for (int r = 0; r < rows; r++)
        {
            int o = r * classes;
            float lse = logSumExp[r];
            for (int k = 0; k < classes; k++)
            {
                if (y[o + k] != 0f)
                {
                    loss += y[o + k] * (lse - z[o + k]);
                }
            }
        }

        return loss;
    }

    /// <summary>The gradient half of <see cref="SquaredError"/>: a = z, dz = z - y, the same bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SquaredErrorGradient(Span<float> a, Span<float> dz, ReadOnlySpan<float> z, ReadOnlySpan<float> y)
    {
        for (int i = 0; i < z.Length; i++)
        {
            a[i] = z[i];
            dz[i] = z[i] - y[i];
        }
    }

    /// <summary>The loss half of <see cref="SquaredError"/>: Σ ½ (z - y)², the same bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double SquaredErrorLoss(ReadOnlySpan<float> z, ReadOnlySpan<float> y)
    {
        double loss = 0;
        for (int i = 0; i < z.Length; i++)
        {
            float d = z[i] - y[i];
            loss += 0.5 * d * d;
        }

        return loss;
    }
}
