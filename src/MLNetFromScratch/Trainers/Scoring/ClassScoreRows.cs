using Microsoft.ML.Data;
using MLNetFromScratch.Persistence;

namespace MLNetFromScratch.Trainers.Scoring;

/// <summary>
/// The output of a multiclass scoring mapping: the class probabilities, padded to a tier's size, and the index of the
/// predicted class; one sealed class per tier of <see cref="PaddedVectorTiers"/> (a vector's size is fixed at compile time).
/// </summary>
internal interface IClassScoreRow : IPaddedVector
{
    /// <summary>The predicted class, 0-based, or <see cref="uint.MaxValue"/> when a probability is NaN (see <see cref="ArgMaxMappingFactory.IndexOfMax"/>).</summary>
    uint Index { get; set; }
}

/// <summary>Up to 4 class probabilities and the predicted class.</summary>
internal sealed class ClassScoreRow4 : IClassScoreRow
{
    /// <inheritdoc/>
    [ColumnName(StateColumns.Output)]
    [VectorType(4)]
    public float[] Values { get; set; } = new float[4];

    /// <inheritdoc/>
    [ColumnName(StateColumns.Output2)]
    public uint Index { get; set; }
}

/// <summary>Up to 16 class probabilities and the predicted class.</summary>
internal sealed class ClassScoreRow16 : IClassScoreRow
{
    /// <inheritdoc/>
    [ColumnName(StateColumns.Output)]
    [VectorType(16)]
    public float[] Values { get; set; } = new float[16];

    /// <inheritdoc/>
    [ColumnName(StateColumns.Output2)]
    public uint Index { get; set; }
}

/// <summary>Up to 64 class probabilities and the predicted class.</summary>
internal sealed class ClassScoreRow64 : IClassScoreRow
{
    /// <inheritdoc/>
    [ColumnName(StateColumns.Output)]
    [VectorType(64)]
    public float[] Values { get; set; } = new float[64];

    /// <inheritdoc/>
    [ColumnName(StateColumns.Output2)]
    public uint Index { get; set; }
}

/// <summary>Up to 256 class probabilities and the predicted class.</summary>
internal sealed class ClassScoreRow256 : IClassScoreRow
{
    /// <inheritdoc/>
    [ColumnName(StateColumns.Output)]
    [VectorType(256)]
    public float[] Values { get; set; } = new float[256];

    /// <inheritdoc/>
    [ColumnName(StateColumns.Output2)]
    public uint Index { get; set; }
}

/// <summary>Up to 1024 class probabilities and the predicted class.</summary>
internal sealed class ClassScoreRow1024 : IClassScoreRow
{
    /// <inheritdoc/>
    [ColumnName(StateColumns.Output)]
    [VectorType(1024)]
    public float[] Values { get; set; } = new float[1024];

    /// <inheritdoc/>
    [ColumnName(StateColumns.Output2)]
    public uint Index { get; set; }
}

/// <summary>Up to 4096 class probabilities and the predicted class.</summary>
internal sealed class ClassScoreRow4096 : IClassScoreRow
{
    /// <inheritdoc/>
    [ColumnName(StateColumns.Output)]
    [VectorType(4096)]
    public float[] Values { get; set; } = new float[4096];

    /// <inheritdoc/>
    [ColumnName(StateColumns.Output2)]
    public uint Index { get; set; }
}

/// <summary>Up to 16384 class probabilities and the predicted class.</summary>
internal sealed class ClassScoreRow16384 : IClassScoreRow
{
    /// <inheritdoc/>
    [ColumnName(StateColumns.Output)]
    [VectorType(16384)]
    public float[] Values { get; set; } = new float[16384];

    /// <inheritdoc/>
    [ColumnName(StateColumns.Output2)]
    public uint Index { get; set; }
}

/// <summary>Up to 65536 class probabilities and the predicted class.</summary>
internal sealed class ClassScoreRow65536 : IClassScoreRow
{
    /// <inheritdoc/>
    [ColumnName(StateColumns.Output)]
    [VectorType(65536)]
    public float[] Values { get; set; } = new float[65536];

    /// <inheritdoc/>
    [ColumnName(StateColumns.Output2)]
    public uint Index { get; set; }
}
