using Microsoft.ML.Data;

namespace MLNetFromScratch.Persistence;

/// <summary>A padded output of 4 slots, in <see cref="StateColumns.Output"/>.</summary>
internal sealed class PaddedVector4 : IPaddedVector
{
    /// <inheritdoc/>
    [ColumnName(StateColumns.Output)]
    [VectorType(4)]
    public float[] Values { get; set; } = new float[4];
}
