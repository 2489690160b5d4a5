using MLNetFromScratch.Core.Kernels;

namespace MLNetFromScratch.Core.Training;

/// <summary>
/// A data set held in memory: features X (rows, inputs) and targets Y (rows, outputs), both row-major.
/// Targets are 0/1 for a logistic head, one-hot rows for softmax, values for identity. The features are held
/// either densely (<see cref="Features"/>) or with their zeros left out (<see cref="SparseFeatures"/>, for pixels
/// and one-hot codes); training and evaluation give the same results from either. The one-hot rows of a softmax
/// head are held either as floats (<see cref="Targets"/>) or as one class index a row (<see cref="ClassTargets"/>,
/// a byte a row up to 256 classes); training and evaluation give the same results from either.
/// </summary>
public sealed class TrainingData
{
    /// <summary>Wraps the arrays (not copied).</summary>
    /// <exception cref="ArgumentException">When an array's length does not match the sizes.</exception>
    public TrainingData(float[] features, float[] targets, int rows, int inputs, int outputs)
        : this(features, rows, inputs)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputs, 1);
        CheckTargets(targets, rows, outputs);
        Targets = targets;
        Outputs = outputs;
    }

    /// <summary>
    /// Wraps the features and the class indices (not copied): the targets are one-hot rows of
    /// <see cref="ClassIndices.Classes"/> outputs, for a softmax head.
    /// </summary>
    /// <exception cref="ArgumentException">When an array's length does not match the sizes.</exception>
    public TrainingData(float[] features, ClassIndices targets, int rows, int inputs)
        : this(features, rows, inputs)
    {
        ArgumentNullException.ThrowIfNull(targets);
        CheckTargets(targets, rows);
        ClassTargets = targets;
        Outputs = targets.Classes;
    }

    /// <summary>Wraps sparse features and their targets (not copied); rows and inputs are the matrix's.</summary>
    /// <exception cref="ArgumentException">When the targets' length does not match the sizes.</exception>
    public TrainingData(SparseRows features, float[] targets, int outputs)
        : this(features)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputs, 1);
        CheckTargets(targets, features.Rows, outputs);
        Targets = targets;
        Outputs = outputs;
    }

    /// <summary>
    /// Wraps sparse features and the class indices (not copied); rows and inputs are the matrix's, the targets are
    /// one-hot rows of <see cref="ClassIndices.Classes"/> outputs, for a softmax head.
    /// </summary>
    /// <exception cref="ArgumentException">When the number of class indices is not the number of rows.</exception>
    public TrainingData(SparseRows features, ClassIndices targets)
        : this(features)
    {
        ArgumentNullException.ThrowIfNull(targets);
        CheckTargets(targets, features.Rows);
        ClassTargets = targets;
        Outputs = targets.Classes;
    }

    private TrainingData(float[] features, int rows, int inputs)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        if (features.Length != (long)rows * inputs)
        {
            throw new ArgumentException($"Expected {rows} × {inputs} features, got {features.Length}.", nameof(features));
        }

        Features = features;
        Rows = rows;
        Inputs = inputs;
    }

    private TrainingData(SparseRows features)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentOutOfRangeException.ThrowIfLessThan(features.Columns, 1, nameof(features));
        SparseFeatures = features;
        Rows = features.Rows;
        Inputs = features.Columns;
    }

    /// <summary>X: (rows, inputs), when held densely; otherwise <see langword="null"/> and <see cref="SparseFeatures"/> holds X.</summary>
    public float[]? Features { get; }

    /// <summary>X with its zeros left out, when held so; otherwise <see langword="null"/> and <see cref="Features"/> holds X.</summary>
    public SparseRows? SparseFeatures { get; }

    /// <summary>Y: (rows, outputs), when held as floats; otherwise <see langword="null"/> and <see cref="ClassTargets"/> holds Y.</summary>
    public float[]? Targets { get; }

    /// <summary>Y as one class index a row (Y's one-hot rows), when held so; otherwise <see langword="null"/> and <see cref="Targets"/> holds Y.</summary>
    public ClassIndices? ClassTargets { get; }

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

    /// <summary>
    /// The targets of row <paramref name="row"/> written into <paramref name="destination"/> (<see cref="Outputs"/>
    /// values; a one-hot row when held as a class index). Allocates nothing.
    /// </summary>
    /// <exception cref="ArgumentException">When the destination is shorter than a row.</exception>
    public void CopyTargetRow(int row, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)row, (uint)Rows, nameof(row));
        if (ClassTargets is { } classes)
        {
            classes.CopyOneHot(row, destination);
        }
        else
        {
            Targets.AsSpan(row * Outputs, Outputs).CopyTo(destination);
        }
    }

    /// <summary>The targets of row <paramref name="row"/>, when held as floats (<see cref="CopyTargetRow"/> serves both forms).</summary>
    /// <exception cref="InvalidOperationException">When the targets are held as class indices (<see cref="ClassTargets"/>).</exception>
    public ReadOnlySpan<float> TargetRow(int row) => Targets is { } targets
        ? targets.AsSpan(row * Outputs, Outputs)
        : throw new InvalidOperationException("The targets are held as class indices (ClassTargets): copy a row's one-hot targets with CopyTargetRow.");

    /// <summary>A new data set holding copies of the listed rows, in that order, its features and targets held as these are.</summary>
    public TrainingData Select(ReadOnlySpan<int> rows)
    {
        ClassIndices? classes = ClassTargets?.Select(rows);
        float[]? targets = null;
        if (classes is null)
        {
            targets = new float[rows.Length * Outputs];
            for (int i = 0; i < rows.Length; i++)
            {
                TargetRow(rows[i]).CopyTo(targets.AsSpan(i * Outputs, Outputs));
            }
        }

        if (SparseFeatures is { } sparse)
        {
            SparseRows selected = sparse.Select(rows);
            return classes is not null ? new TrainingData(selected, classes) : new TrainingData(selected, targets!, Outputs);
        }

        var features = new float[rows.Length * Inputs];
        for (int i = 0; i < rows.Length; i++)
        {
            CopyFeatureRow(rows[i], features.AsSpan(i * Inputs, Inputs));
        }

        return classes is not null
            ? new TrainingData(features, classes, rows.Length, Inputs)
            : new TrainingData(features, targets!, rows.Length, Inputs, Outputs);
    }

    private static void CheckTargets(float[] targets, int rows, int outputs)
    {
        if (targets.Length != (long)rows * outputs)
        {
            throw new ArgumentException($"Expected {rows} × {outputs} targets, got {targets.Length}.", nameof(targets));
        }
    }

    private static void CheckTargets(ClassIndices targets, int rows)
    {
        if (targets.Count != rows)
        {
            throw new ArgumentException($"Expected {rows} class indices, got {targets.Count}.", nameof(targets));
        }
    }
}
