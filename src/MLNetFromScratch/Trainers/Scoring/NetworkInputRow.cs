using Microsoft.ML.Data;
using MLNetFromScratch.Persistence;

namespace MLNetFromScratch.Trainers.Scoring;

/// <summary>What the network's custom mappings read from a row: the saved state and the features.</summary>
public sealed class NetworkInputRow
{
    /// <summary>The network's state text, the same string in every row (decoded once per model).</summary>
    [ColumnName(StateColumns.State)]
    public ReadOnlyMemory<char> State { get; set; }

    /// <summary>A copy of the user's feature column.</summary>
    [ColumnName(StateColumns.Input)]
    public float[] Features { get; set; } = [];
}
