using Microsoft.ML.Data;

namespace MLNetFromScratch.Persistence;

/// <summary>A padded output of 16384 slots, in <see cref="StateColumns.Output"/>.</summary>
internal sealed class PaddedVector16384 : IPaddedVector
{
    /// <inheritdoc/>
    [ColumnName(StateColumns.Output)]
    [VectorType(16384)]
    public float[] Values { get; set; } = new float[16384];
}
