namespace MLNetFromScratch.Core.Training;

/// <summary>
/// A data set held in memory: features X (rows, inputs) and targets Y (rows, outputs), both row-major.
/// Targets are 0/1 for a logistic head, one-hot rows for softmax, values for identity.
/// </summary>
public sealed class TrainingData
{
    /// <summary>Wraps the arrays (not copied).</summary>
    /// <exception cref="ArgumentException">When an array's length does not match the sizes.</exception>
    public TrainingData(float[] features, float[] targets, int rows, int inputs, int outputs)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputs, 1);
        if (features.Length != (long)rows * inputs)
        {
            throw new ArgumentException($"Expected {rows} × {inputs} features, got {features.Length}.", nameof(features));
        }

        if (targets.Length != (long)rows * outputs)
        {
            throw new ArgumentException($"Expected {rows} × {outputs} targets, got {targets.Length}.", nameof(targets));
        }

        Features = features;
        Targets = targets;
        Rows = rows;
        Inputs = inputs;
        Outputs = outputs;
    }

    /// <summary>X: (rows, inputs).</summary>
    public float[] Features { get; }

    /// <summary>Y: (rows, outputs).</summary>
    public float[] Targets { get; }

    /// <summary>Number of examples.</summary>
    public int Rows { get; }

    /// <summary>Features per example.</summary>
    public int Inputs { get; }

    /// <summary>Targets per example.</summary>
    public int Outputs { get; }

    /// <summary>The features of row <paramref name="row"/>.</summary>
    public ReadOnlySpan<float> FeatureRow(int row) => Features.AsSpan(row * Inputs, Inputs);

    /// <summary>The targets of row <paramref name="row"/>.</summary>
    public ReadOnlySpan<float> TargetRow(int row) => Targets.AsSpan(row * Outputs, Outputs);

    /// <summary>A new data set holding copies of the listed rows, in that order.</summary>
    public TrainingData Select(ReadOnlySpan<int> rows)
    {
        var features = new float[rows.Length * Inputs];
        var targets = new float[rows.Length * Outputs];
        for (int i = 0; i < rows.Length; i++)
        {
            FeatureRow(rows[i]).CopyTo(features.AsSpan(i * Inputs, Inputs));
            TargetRow(rows[i]).CopyTo(targets.AsSpan(i * Outputs, Outputs));
        }

        return new TrainingData(features, targets, rows.Length, Inputs, Outputs);
    }
}
