using Microsoft.ML.Data;

namespace MLNetFromScratch.Persistence;

/// <summary>A padded output of 256 slots, in <see cref="StateColumns.Output"/>.</summary>
internal sealed class PaddedVector256 : IPaddedVector
{
    /// <inheritdoc/>
    [ColumnName(StateColumns.Output)]
    [VectorType(256)]
    public float[] Values { get; set; } = new float[256];
}
