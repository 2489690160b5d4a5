using System.Runtime.CompilerServices;
using MLNetFromScratch.Core.Kernels;
using MLNetFromScratch.Core.Network;

namespace MLNetFromScratch;

public sealed partial class NeuralNetworkModelParameters
{
    // Hidden layers up to this size score on the stack; larger ones in a buffer per thread.
    private const int StackHidden = 1024;

    [ThreadStatic]
    private static float[]? t_hidden;

    private RowLayers? _rowLayers;

    /// <summary>
    /// Scores one row into <paramref name="outputs"/> (length <see cref="OutputCount"/>): the logit (binary), class
    /// probabilities (multiclass) or values in the label's units (regression). Thread-safe; allocates nothing after warm-up.
    /// </summary>
    /// <remarks>
    /// Each layer's sums are computed by <see cref="RowScoringLayer"/>, which reads only the weights of the row's
    /// non-zero inputs. The first call packs a transposed copy of both weight matrices (one more copy of the weights,
    /// kept for the life of this object). Every single-row path gives the same bits for the same row: this method,
    /// <c>Transform</c> and <c>PredictionEngine</c>, before and after <c>Model.Save</c> / <c>Model.Load</c>, on any thread.
    /// They may differ in the last bits from the batched evaluation that training reports, which uses the matrix kernels.
    /// </remarks>
    /// <exception cref="ArgumentException">When the row has another number of features than the network was trained on.</exception>
    public void Score(ReadOnlySpan<float> features, Span<float> outputs)
    {
        NetworkShape shape = _network.Shape;
        if (features.Length != shape.Inputs)
        {
            throw new ArgumentException(
                $"The network was trained on {shape.Inputs} features; this row has {features.Length}. Score it with the same feature pipeline it was trained with.",
                nameof(features));
        }

        if (outputs.Length < shape.Outputs)
        {
            throw new ArgumentException($"The output buffer holds {outputs.Length} values; the network writes {shape.Outputs}.", nameof(outputs));
        }

        ScoreChecked(features, outputs);
    }

    /// <summary>
    /// <see cref="Score"/> without its argument checks, for the per-row scoring path, which has already checked the
    /// feature count and owns an output buffer of the right length.
    /// </summary>
    [SkipLocalsInit]
    internal void ScoreChecked(ReadOnlySpan<float> features, Span<float> outputs)
    {
        NetworkShape shape = _network.Shape;
        RowLayers layers = Volatile.Read(ref _rowLayers) ?? CreateRowLayers();
        Span<float> hidden = shape.Hidden <= StackHidden ? stackalloc float[shape.Hidden] : ThreadHidden(shape.Hidden);
        Span<float> logits = outputs[..shape.Outputs];
        layers.Hidden.Forward(hidden, features);
        ActivationKernels.Forward(hidden, hidden, shape.HiddenActivation);
        layers.Output.Forward(logits, hidden);
        switch (Task)
        {
            case NeuralNetworkTask.MulticlassClassification:
                _network.ApplyLink(logits, 1);
                break;
            case NeuralNetworkTask.Regression:
                for (int k = 0; k < logits.Length; k++)
                {
                    logits[k] = (float)((logits[k] * _targetScales[k]) + _targetMeans[k]);
                }

                break;
            default:
                break;
        }
    }

    private static Span<float> ThreadHidden(int length)
    {
        float[] buffer = t_hidden is { } h && h.Length >= length ? h : (t_hidden = new float[length]);
        return buffer.AsSpan(0, length);
    }

    // Packs both layers once; threads that race here pack them twice and keep the first (all copies are identical).
    private RowLayers CreateRowLayers()
    {
        NetworkShape s = _network.Shape;
        var layers = new RowLayers(
            new RowScoringLayer(_network.W1, _network.B1, s.Inputs, s.Hidden),
            new RowScoringLayer(_network.W2, _network.B2, s.Hidden, s.Outputs));
        return Interlocked.CompareExchange(ref _rowLayers, layers, null) ?? layers;
    }

    /// <summary>The two layers packed for scoring one row.</summary>
    private sealed record RowLayers(RowScoringLayer Hidden, RowScoringLayer Output);
}
