using Microsoft.ML.Data;

namespace MLNetFromScratch.Persistence;

/// <summary>A padded output of 65536 slots, in <see cref="StateColumns.Output"/>.</summary>
internal sealed class PaddedVector65536 : IPaddedVector
{
    /// <inheritdoc/>
    [ColumnName(StateColumns.Output)]
    [VectorType(65536)]
    public float[] Values { get; set; } = new float[65536];
}
