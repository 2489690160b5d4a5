namespace MLNetFromScratch.Core.Network;

/// <summary>
/// The sizes of a two-layer network and where each parameter block lives in the flat parameter buffer:
/// [W1 (hidden × inputs) | b1 (hidden) | W2 (outputs × hidden) | b2 (outputs)].
/// </summary>
public sealed record NetworkShape
{
    /// <summary>Creates a shape.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When a size is below 1 or the parameter count overflows.</exception>
    public NetworkShape(int inputs, int hidden, int outputs, Activation hiddenActivation, NetworkHead head)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hidden, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputs, 1);
        if (!Enum.IsDefined(hiddenActivation))
        {
            throw new ArgumentOutOfRangeException(nameof(hiddenActivation), hiddenActivation, "Unknown activation.");
        }

        if (!Enum.IsDefined(head))
        {
            throw new ArgumentOutOfRangeException(nameof(head), head, "Unknown head.");
        }

        if (head == NetworkHead.Logistic && outputs != 1)
        {
            throw new ArgumentOutOfRangeException(nameof(outputs), outputs, "A logistic head has exactly one output.");
        }

        long count = ((long)inputs * hidden) + hidden + ((long)hidden * outputs) + outputs;
        if (count > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(
                nameof(hidden), $"The network would have {count} parameters; at most {Array.MaxLength} fit in one buffer.");
        }

        Inputs = inputs;
        Hidden = hidden;
        Outputs = outputs;
        HiddenActivation = hiddenActivation;
        Head = head;
        ParameterCount = (int)count;
    }

    /// <summary>Number of input features.</summary>
    public int Inputs { get; }

    /// <summary>Number of hidden units.</summary>
    public int Hidden { get; }

    /// <summary>Number of outputs (1 for a logistic head, the class count for softmax, the target count for identity).</summary>
    public int Outputs { get; }

    /// <summary>The hidden layer's activation.</summary>
    public Activation HiddenActivation { get; }

    /// <summary>The output layer's link and loss.</summary>
    public NetworkHead Head { get; }

    /// <summary>Total number of parameters, weights and biases of both layers.</summary>
    public int ParameterCount { get; }

    /// <summary>Offset of W1 (hidden × inputs) in the flat buffer.</summary>
    public int W1Offset { get; }

    /// <summary>Offset of b1 (hidden) in the flat buffer.</summary>
    public int B1Offset => Inputs * Hidden;

    /// <summary>Offset of W2 (outputs × hidden) in the flat buffer.</summary>
    public int W2Offset => B1Offset + Hidden;

    /// <summary>Offset of b2 (outputs) in the flat buffer.</summary>
    public int B2Offset => W2Offset + (Hidden * Outputs);

    /// <summary>Number of weights in W1.</summary>
    public int W1Length => Inputs * Hidden;

    /// <summary>Number of weights in W2.</summary>
    public int W2Length => Hidden * Outputs;
}
