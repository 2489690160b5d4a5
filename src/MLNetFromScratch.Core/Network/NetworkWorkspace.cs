namespace MLNetFromScratch.Core.Network;

/// <summary>
/// Every buffer a forward and backward pass needs for batches of up to <see cref="Capacity"/> rows,
/// allocated once so that a training step allocates nothing. All matrices are row-major (rows, width).
/// </summary>
public sealed class NetworkWorkspace
{
    private float[]? _inputs;

    /// <summary>Allocates the buffers for <paramref name="shape"/> and batches of up to <paramref name="capacity"/> rows.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="capacity"/> is below 1.</exception>
    public NetworkWorkspace(NetworkShape shape, int capacity)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Shape = shape;
        Capacity = capacity;
        _ = checked(capacity * shape.Inputs); // the inputs are allocated at first use, but a batch of them must fit in an array
        Targets = new float[checked(capacity * shape.Outputs)];
        Z1 = new float[checked(capacity * shape.Hidden)];
        A1 = new float[Z1.Length];
        DropoutMask = new float[Z1.Length];
        H = new float[Z1.Length];
        Z2 = new float[Targets.Length];
        A2 = new float[Targets.Length];
        LogSumExp = new float[capacity];
        DZ2 = new float[Targets.Length];
        DH = new float[Z1.Length];
        DZ1 = new float[Z1.Length];
    }

    /// <summary>The network shape the buffers are sized for.</summary>
    public NetworkShape Shape { get; }

    /// <summary>The largest batch the buffers hold.</summary>
    public int Capacity { get; }

    /// <summary>
    /// X: (batch, inputs), the batch's features; the caller fills it. Allocated at first use: a first layer that reads
    /// its inputs sparse, in place, never needs it.
    /// </summary>
    public float[] Inputs => _inputs ??= new float[Capacity * Shape.Inputs];

    /// <summary>Y: (batch, outputs), the batch's targets (0/1, one-hot rows, or values); the caller fills it.</summary>
    public float[] Targets { get; }

    /// <summary>Z1 = X·W1ᵀ + b1: (batch, hidden).</summary>
    public float[] Z1 { get; }

    /// <summary>A1 = g(Z1): (batch, hidden).</summary>
    public float[] A1 { get; }

    /// <summary>The inverted-dropout mask of the last training pass: 0 or 1/(1-p), (batch, hidden).</summary>
    public float[] DropoutMask { get; }

    /// <summary>
    /// H = A1 ⊙ mask: what the output layer sees with dropout, (batch, hidden). Without dropout the output layer reads
    /// <see cref="A1"/> itself and this is left as it was.
    /// </summary>
    public float[] H { get; }

    /// <summary>Z2 = H·W2ᵀ + b2: (batch, outputs), the logits.</summary>
    public float[] Z2 { get; }

    /// <summary>A2 = link(Z2): (batch, outputs), probabilities or values.</summary>
    public float[] A2 { get; }

    /// <summary>log Σₖ e^Z2[r, k] of each row (batch), left by a training pass of a softmax head for its loss.</summary>
    public float[] LogSumExp { get; }

    /// <summary>dZ2 = A2 - Y: (batch, outputs).</summary>
    public float[] DZ2 { get; }

    /// <summary>dH = dZ2·W2: (batch, hidden).</summary>
    public float[] DH { get; }

    /// <summary>dZ1 = (dH ⊙ mask) ⊙ g'(Z1): (batch, hidden).</summary>
    public float[] DZ1 { get; }
}
