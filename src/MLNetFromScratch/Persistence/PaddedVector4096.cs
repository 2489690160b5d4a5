using Microsoft.ML.Data;

namespace MLNetFromScratch.Persistence;

/// <summary>A padded output of 4096 slots, in <see cref="StateColumns.Output"/>.</summary>
internal sealed class PaddedVector4096 : IPaddedVector
{
    /// <inheritdoc/>
    [ColumnName(StateColumns.Output)]
    [VectorType(4096)]
    public float[] Values { get; set; } = new float[4096];
}
