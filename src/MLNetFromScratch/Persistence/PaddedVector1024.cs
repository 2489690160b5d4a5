using Microsoft.ML.Data;

namespace MLNetFromScratch.Persistence;

/// <summary>A padded output of 1024 slots, in <see cref="StateColumns.Output"/>.</summary>
internal sealed class PaddedVector1024 : IPaddedVector
{
    /// <inheritdoc/>
    [ColumnName(StateColumns.Output)]
    [VectorType(1024)]
    public float[] Values { get; set; } = new float[1024];
}
