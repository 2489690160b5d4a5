using Microsoft.ML.Data;

namespace MLNetFromScratch.Persistence;

/// <summary>A padded output of 64 slots, in <see cref="StateColumns.Output"/>.</summary>
internal sealed class PaddedVector64 : IPaddedVector
{
    /// <inheritdoc/>
    [ColumnName(StateColumns.Output)]
    [VectorType(64)]
    public float[] Values { get; set; } = new float[64];
}
