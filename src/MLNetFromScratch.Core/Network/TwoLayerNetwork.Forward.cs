using System.Runtime.CompilerServices;
using MLNetFromScratch.Core.Kernels;

namespace MLNetFromScratch.Core.Network;

public sealed partial class TwoLayerNetwork
{
    /// <summary>
    /// Scores rows: outputs = link(g(x·W1ᵀ + b1)·W2ᵀ + b2), the probability for a logistic head, the class
    /// probabilities for softmax, the values for identity. No dropout. Allocates nothing.
    /// </summary>
    /// <remarks>x: (rows, inputs); hidden: scratch of at least rows × hidden; outputs: (rows, outputs).</remarks>
    public void Predict(ReadOnlySpan<float> x, int rows, Span<float> hidden, Span<float> outputs, ComputeContext? context = null)
    {
        Logits(x, rows, hidden, outputs, context);
        ApplyLink(outputs, rows);
    }

    /// <summary>The logits Z2 = g(x·W1ᵀ + b1)·W2ᵀ + b2 of rows, before the output link. No dropout. Allocates nothing.</summary>
    /// <remarks>x: (rows, inputs); hidden: scratch of at least rows × hidden; logits: (rows, outputs).</remarks>
    public void Logits(ReadOnlySpan<float> x, int rows, Span<float> hidden, Span<float> logits, ComputeContext? context = null)
    {
        NetworkShape s = Shape;
        if (x.Length < rows * s.Inputs || hidden.Length < rows * s.Hidden || logits.Length < rows * s.Outputs)
        {
            throw new ArgumentException($"Buffers too small for {rows} rows of a {s.Inputs}-{s.Hidden}-{s.Outputs} network.", nameof(x));
        }

        Span<float> h = hidden[..(rows * s.Hidden)];
        MatMul.Forward(h, x, W1, B1, rows, s.Inputs, s.Hidden, context);
        ActivationKernels.Forward(h, h, s.HiddenActivation);
        MatMul.Forward(logits[..(rows * s.Outputs)], h, W2, B2, rows, s.Hidden, s.Outputs, context);
    }

    /// <summary>Turns logits into outputs in place: sigmoid, softmax or identity.</summary>
    public void ApplyLink(Span<float> z, int rows)
    {
        switch (Shape.Head)
        {
            case NetworkHead.Logistic:
                for (int i = 0; i < rows; i++)
                {
                    z[i] = ActivationKernels.Sigmoid(z[i]);
                }

                break;
            case NetworkHead.Softmax:
                SoftmaxKernel.Forward(z, z, rows, Shape.Outputs);
                break;
            default:
                break;
        }
    }

    // Fully optimized at first call, like every method a training step runs (see TwoLayerNetwork.ComputeGradients).
    /// <summary>
    /// The forward pass of training or evaluation on the first <paramref name="batch"/> rows of
    /// <see cref="NetworkWorkspace.Inputs"/>: fills Z1, A1, H = A1 ⊙ mask when <paramref name="dropoutRate"/> &gt; 0
    /// (inverted dropout: keep with probability 1 - p, scale by 1 / (1 - p); without dropout the output layer reads
    /// A1 itself) and Z2.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Forward(NetworkWorkspace workspace, int batch, float dropoutRate, Rng? rng, ComputeContext? context = null)
    {
        NetworkShape s = CheckWorkspace(workspace, batch);
        MatMul.Forward(workspace.Z1.AsSpan(0, batch * s.Hidden), workspace.Inputs, W1, B1, batch, s.Inputs, s.Hidden, context);
        ForwardFromZ1(s, workspace, batch, dropoutRate, rng, W2, B2, context);
    }

    /// <summary>The forward pass from Z1 on: A1 = g(Z1), H = A1 ⊙ mask, Z2 = H·W2ᵀ + b2 (without dropout Z2 = A1·W2ᵀ + b2, H untouched).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void ForwardFromZ1(
        NetworkShape s, NetworkWorkspace workspace, int batch, float dropoutRate, Rng? rng,
        ReadOnlySpan<float> w2, ReadOnlySpan<float> b2, ComputeContext? context)
    {
        int hiddenLength = batch * s.Hidden;
        Span<float> z1 = workspace.Z1.AsSpan(0, hiddenLength);
        Span<float> a1 = workspace.A1.AsSpan(0, hiddenLength);
        Span<float> h = a1;
        ActivationKernels.Forward(a1, z1, s.HiddenActivation);
        if (dropoutRate > 0f)
        {
            ArgumentNullException.ThrowIfNull(rng);
            h = workspace.H.AsSpan(0, hiddenLength);
            Span<float> mask = workspace.DropoutMask.AsSpan(0, hiddenLength);
            float keepScale = 1f / (1f - dropoutRate);
            for (int i = 0; i < hiddenLength; i++)
            {
                mask[i] = rng.NextSingle() >= dropoutRate ? keepScale : 0f;
                h[i] = a1[i] * mask[i];
            }
        }

        MatMul.Forward(workspace.Z2.AsSpan(0, batch * s.Outputs), h, w2, b2, batch, s.Hidden, s.Outputs, context);
    }

    /// <summary>
    /// The data loss summed over the batch, Σ_rows loss(Z2, Y), from the logits left by <see cref="Forward"/>;
    /// fills A2 and, when <paramref name="gradient"/> is set, dZ2 = A2 - Y.
    /// </summary>
    public double Loss(NetworkWorkspace workspace, int batch, bool gradient) =>
        Loss(CheckWorkspace(workspace, batch), workspace, batch, gradient);

    /// <summary><see cref="Loss(NetworkWorkspace, int, bool)"/> for a network of shape <paramref name="s"/>; the workspace is checked.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double Loss(NetworkShape s, NetworkWorkspace workspace, int batch, bool gradient)
    {
        int n = batch * s.Outputs;
        Span<float> a2 = workspace.A2.AsSpan(0, n);
        Span<float> dz2 = gradient ? workspace.DZ2.AsSpan(0, n) : Span<float>.Empty;
        ReadOnlySpan<float> z2 = workspace.Z2.AsSpan(0, n);
        ReadOnlySpan<float> y = workspace.Targets.AsSpan(0, n);
        return s.Head switch
        {
            NetworkHead.Logistic => LossKernels.Logistic(a2, dz2, z2, y),
            NetworkHead.Softmax => LossKernels.Softmax(a2, dz2, z2, y, batch, s.Outputs),
            _ => LossKernels.SquaredError(a2, dz2, z2, y),
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private NetworkShape CheckWorkspace(NetworkWorkspace workspace, int batch)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        if (!ReferenceEquals(workspace.Shape, Shape) && workspace.Shape != Shape)
        {
            throw new ArgumentException("The workspace was made for another network shape.", nameof(workspace));
        }

        if (batch < 1 || batch > workspace.Capacity)
        {
            throw new ArgumentOutOfRangeException(nameof(batch), batch, $"The batch must hold 1 to {workspace.Capacity} rows.");
        }

        return Shape;
    }
}
