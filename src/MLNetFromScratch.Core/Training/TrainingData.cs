using MLNetFromScratch.Core.Kernels;

namespace MLNetFromScratch.Core.Training;

/// <summary>
/// A data set held in memory: features X (rows, inputs) and targets Y (rows, outputs), both row-major.
/// Targets are 0/1 for a logistic head, one-hot rows for softmax, values for identity. The features are held
/// either densely (<see cref="Features"/>) or with their zeros left out (<see cref="SparseFeatures"/>, for pixels
/// and one-hot codes); training and evaluation give the same results from either.
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

        CheckTargets(targets, rows, outputs);
        Features = features;
        Targets = targets;
        Rows = rows;
        Inputs = inputs;
        Outputs = outputs;
    }

    /// <summary>Wraps sparse features and their targets (not copied); rows and inputs are the matrix's.</summary>
    /// <exception cref="ArgumentException">When the targets' length does not match the sizes.</exception>
    public TrainingData(SparseRows features, float[] targets, int outputs)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentOutOfRangeException.ThrowIfLessThan(features.Columns, 1, nameof(features));
        ArgumentOutOfRangeException.ThrowIfLessThan(outputs, 1);
        CheckTargets(targets, features.Rows, outputs);
        SparseFeatures = features;
        Targets = targets;
        Rows = features.Rows;
        Inputs = features.Columns;
        Outputs = outputs;
    }

    /// <summary>X: (rows, inputs), when held densely; otherwise <see langword="null"/> and <see cref="SparseFeatures"/> holds X.</summary>
    public float[]? Features { get; }

    /// <summary>X with its zeros left out, when held so; otherwise <see langword="null"/> and <see cref="Features"/> holds X.</summary>
    public SparseRows? SparseFeatures { get; }

    /// <summary>Y: (rows, outputs).</summary>
    public float[] Targets { get; }

    /// <summary>Number of examples.</summary>
    public int Rows { get; }

    /// <summary>Features per example.</summary>
    public int Inputs { get; }

    /// <summary>Targets per example.</summary>
    public int Outputs { get; }

    /// <summary>The features of row <paramref name="row"/> written densely into <paramref name="destination"/> (<see cref="Inputs"/> values). Allocates nothing.</summary>
    /// <exception cref="ArgumentException">When the destination is shorter than a row.</exception>
    public void CopyFeatureRow(int row, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)row, (uint)Rows, nameof(row));
        if (SparseFeatures is { } sparse)
        {
            sparse.CopyRowTo(row, destination);
        }
        else
        {
            Features.AsSpan(row * Inputs, Inputs).CopyTo(destination);
        }
    }

    /// <summary>The targets of row <paramref name="row"/>.</summary>
    public ReadOnlySpan<float> TargetRow(int row) => Targets.AsSpan(row * Outputs, Outputs);

    /// <summary>A new data set holding copies of the listed rows, in that order, its features held as these are.</summary>
    public TrainingData Select(ReadOnlySpan<int> rows)
    {
        var targets = new float[rows.Length * Outputs];
        for (int i = 0; i < rows.Length; i++)
        {
            TargetRow(rows[i]).CopyTo(targets.AsSpan(i * Outputs, Outputs));
        }

        if (SparseFeatures is { } sparse)
        {
            return new TrainingData(sparse.Select(rows), targets, Outputs);
        }

        var features = new float[rows.Length * Inputs];
        for (int i = 0; i < rows.Length; i++)
        {
            CopyFeatureRow(rows[i], features.AsSpan(i * Inputs, Inputs));
        }

        return new TrainingData(features, targets, rows.Length, Inputs, Outputs);
    }

    private static void CheckTargets(float[] targets, int rows, int outputs)
    {
        if (targets.Length != (long)rows * outputs)
        {
            throw new ArgumentException($"Expected {rows} × {outputs} targets, got {targets.Length}.", nameof(targets));
        }
    }
}
