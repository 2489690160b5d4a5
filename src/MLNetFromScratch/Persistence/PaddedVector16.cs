using Microsoft.ML.Data;

namespace MLNetFromScratch.Persistence;

/// <summary>A padded output of 16 slots, in <see cref="StateColumns.Output"/>.</summary>
internal sealed class PaddedVector16 : IPaddedVector
{
    /// <inheritdoc/>
    [ColumnName(StateColumns.Output)]
    [VectorType(16)]
    public float[] Values { get; set; } = new float[16];
}
