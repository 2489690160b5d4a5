using Microsoft.ML.Data;
using MLNetFromScratch.Persistence;

namespace MLNetFromScratch.Trainers.Scoring;

/// <summary>
/// The output of a multiclass scoring mapping for text class names: the class probabilities, padded to a tier's size,
/// and the name of the predicted class; one sealed class per tier of <see cref="PaddedVectorTiers"/>.
/// </summary>
internal interface IClassNameScoreRow : IPaddedVector
{
    /// <summary>The predicted class's name, or empty when a probability is NaN (see <see cref="ArgMaxMappingFactory.IndexOfMax"/>).</summary>
    ReadOnlyMemory<char> ClassName { get; set; }
}

/// <summary>Up to 4 class probabilities and the predicted class's name.</summary>
internal sealed class ClassNameScoreRow4 : IClassNameScoreRow
{
    /// <inheritdoc/>
    [ColumnName(StateColumns.Output)]
    [VectorType(4)]
    public float[] Values { get; set; } = new float[4];

    /// <inheritdoc/>
    [ColumnName(StateColumns.Output2)]
    public ReadOnlyMemory<char> ClassName { get; set; }
}

/// <summary>Up to 16 class probabilities and the predicted class's name.</summary>
internal sealed class ClassNameScoreRow16 : IClassNameScoreRow
{
    /// <inheritdoc/>
    [ColumnName(StateColumns.Output)]
    [VectorType(16)]
    public float[] Values { get; set; } = new float[16];

    /// <inheritdoc/>
    [ColumnName(StateColumns.Output2)]
    public ReadOnlyMemory<char> ClassName { get; set; }
}

/// <summary>Up to 64 class probabilities and the predicted class's name.</summary>
internal sealed class ClassNameScoreRow64 : IClassNameScoreRow
{
    /// <inheritdoc/>
    [ColumnName(StateColumns.Output)]
    [VectorType(64)]
    public float[] Values { get; set; } = new float[64];

    /// <inheritdoc/>
    [ColumnName(StateColumns.Output2)]
    public ReadOnlyMemory<char> ClassName { get; set; }
}

/// <summary>Up to 256 class probabilities and the predicted class's name.</summary>
internal sealed class ClassNameScoreRow256 : IClassNameScoreRow
{
    /// <inheritdoc/>
    [ColumnName(StateColumns.Output)]
    [VectorType(256)]
    public float[] Values { get; set; } = new float[256];

    /// <inheritdoc/>
    [ColumnName(StateColumns.Output2)]
    public ReadOnlyMemory<char> ClassName { get; set; }
}

/// <summary>Up to 1024 class probabilities and the predicted class's name.</summary>
internal sealed class ClassNameScoreRow1024 : IClassNameScoreRow
{
    /// <inheritdoc/>
    [ColumnName(StateColumns.Output)]
    [VectorType(1024)]
    public float[] Values { get; set; } = new float[1024];

    /// <inheritdoc/>
    [ColumnName(StateColumns.Output2)]
    public ReadOnlyMemory<char> ClassName { get; set; }
}

/// <summary>Up to 4096 class probabilities and the predicted class's name.</summary>
internal sealed class ClassNameScoreRow4096 : IClassNameScoreRow
{
    /// <inheritdoc/>
    [ColumnName(StateColumns.Output)]
    [VectorType(4096)]
    public float[] Values { get; set; } = new float[4096];

    /// <inheritdoc/>
    [ColumnName(StateColumns.Output2)]
    public ReadOnlyMemory<char> ClassName { get; set; }
}

/// <summary>Up to 16384 class probabilities and the predicted class's name.</summary>
internal sealed class ClassNameScoreRow16384 : IClassNameScoreRow
{
    /// <inheritdoc/>
    [ColumnName(StateColumns.Output)]
    [VectorType(16384)]
    public float[] Values { get; set; } = new float[16384];

    /// <inheritdoc/>
    [ColumnName(StateColumns.Output2)]
    public ReadOnlyMemory<char> ClassName { get; set; }
}

/// <summary>Up to 65536 class probabilities and the predicted class's name.</summary>
internal sealed class ClassNameScoreRow65536 : IClassNameScoreRow
{
    /// <inheritdoc/>
    [ColumnName(StateColumns.Output)]
    [VectorType(65536)]
    public float[] Values { get; set; } = new float[65536];

    /// <inheritdoc/>
    [ColumnName(StateColumns.Output2)]
    public ReadOnlyMemory<char> ClassName { get; set; }
}
