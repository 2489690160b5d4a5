using Microsoft.ML;
using MLNetFromScratch.Core.Network;
using MLNetFromScratch.Core.Training;

namespace MLNetFromScratch;

/// <summary>
/// A trained network: its shape, weights, biases and training history. For input x it computes
/// z = W2·g(W1·x + b1) + b2 and, by task, Score = z (the logit) and Probability = sigmoid(z) (binary),
/// Score = softmax(z) (multiclass), or Score = z ⊙ scale + mean (regression, in the label's units).
/// </summary>
/// <remarks>
/// Read it from a fitted transformer (<c>transformer.Model</c>) or from a model returned by
/// <c>mlContext.Model.Load</c> with <see cref="FromModel"/>. It is immutable.
/// </remarks>
public sealed partial class NeuralNetworkModelParameters
{
    private readonly TwoLayerNetwork _network;
    private readonly double[] _targetMeans;
    private readonly double[] _targetScales;
    private readonly string[] _classNames;
    private readonly EpochReport[] _history;

    internal NeuralNetworkModelParameters(
        NeuralNetworkTask task, TwoLayerNetwork network, string[] classNames, double[] targetMeans, double[] targetScales,
        EpochReport[] history, int bestEpoch)
    {
        Task = task;
        _network = network;
        _classNames = classNames;
        _targetMeans = targetMeans;
        _targetScales = targetScales;
        _history = history;
        BestEpoch = bestEpoch;
    }

    /// <summary>What the network predicts.</summary>
    public NeuralNetworkTask Task { get; }

    /// <summary>Number of input features.</summary>
    public int InputCount => _network.Shape.Inputs;

    /// <summary>Number of hidden units.</summary>
    public int HiddenSize => _network.Shape.Hidden;

    /// <summary>Number of outputs: 1 (binary), the class count (multiclass), the target count (regression).</summary>
    public int OutputCount => _network.Shape.Outputs;

    /// <summary>The hidden layer's activation g.</summary>
    public Activation HiddenActivation => _network.Shape.HiddenActivation;

    /// <summary>W1: (hidden, inputs), row-major.</summary>
    public ReadOnlyMemory<float> HiddenWeights => _network.Parameters.AsMemory(_network.Shape.W1Offset, _network.Shape.W1Length);

    /// <summary>b1: (hidden).</summary>
    public ReadOnlyMemory<float> HiddenBiases => _network.Parameters.AsMemory(_network.Shape.B1Offset, _network.Shape.Hidden);

    /// <summary>W2: (outputs, hidden), row-major.</summary>
    public ReadOnlyMemory<float> OutputWeights => _network.Parameters.AsMemory(_network.Shape.W2Offset, _network.Shape.W2Length);

    /// <summary>b2: (outputs).</summary>
    public ReadOnlyMemory<float> OutputBiases => _network.Parameters.AsMemory(_network.Shape.B2Offset, _network.Shape.Outputs);

    /// <summary>Multiclass: the class names, in key order (the label's key values as text). Empty for other tasks.</summary>
    public IReadOnlyList<string> ClassNames => _classNames;

    /// <summary>Regression: the mean subtracted from each target before training (0 when targets were not standardized).</summary>
    public IReadOnlyList<double> TargetMeans => _targetMeans;

    /// <summary>Regression: the scale each target was divided by before training (1 when targets were not standardized).</summary>
    public IReadOnlyList<double> TargetScales => _targetScales;

    /// <summary>One report per epoch run: training loss, validation loss and metric, learning rate, time.</summary>
    public IReadOnlyList<EpochReport> TrainingHistory => _history;

    /// <summary>The epoch whose weights these are (the best validation epoch when early stopping restored it).</summary>
    public int BestEpoch { get; }

    internal TwoLayerNetwork Network => _network;

    /// <summary>
    /// The network of the model <paramref name="model"/>: a transformer returned by one of our trainers, or any
    /// model holding one, including one returned by <c>mlContext.Model.Load</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model holds no neural network, or more than one.</exception>
    public static NeuralNetworkModelParameters FromModel(ITransformer model)
    {
        IReadOnlyList<NeuralNetworkModelParameters> all = AllFromModel(model);
        return all.Count switch
        {
            1 => all[0],
            0 => throw new InvalidOperationException("The model holds no neural network trained by MLNetFromScratch."),
            _ => throw new InvalidOperationException($"The model holds {all.Count} neural networks; use {nameof(AllFromModel)}."),
        };
    }

    /// <summary>Every network in <paramref name="model"/>, in pipeline order.</summary>
    public static IReadOnlyList<NeuralNetworkModelParameters> AllFromModel(ITransformer model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return [.. Persistence.ModelStateReader.ReadStates(model, StateKind).Select(s => FromStateText(s.AsMemory()))];
    }
}
