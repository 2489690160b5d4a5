using Microsoft.ML.Data;
using MLNetFromScratch.Persistence;

namespace MLNetFromScratch.Trainers.Scoring;

/// <summary>
/// <see cref="NetworkInputRow"/> with the serial-read marker: the input of the scoring mappings that write a chain's last
/// user columns themselves (binary classification, single-target regression), which keeps a loaded chain's cursor on
/// the consumer's thread (see <see cref="SerialReadMappingFactory"/>).
/// </summary>
internal sealed class MarkedNetworkInputRow
{
    // The features of a sparse row spread out, reused from row to row (a cursor fills its row object on one thread).
    private float[] _dense = [];

    /// <summary>The network's state text, the same string in every row (decoded once per model).</summary>
    [ColumnName(StateColumns.State)]
    public ReadOnlyMemory<char> State { get; set; }

    /// <summary>The user's feature column (a copy of it under a fixed name), dense or sparse as the cursor gives it.</summary>
    [ColumnName(StateColumns.Input)]
    public VBuffer<float> Features { get; set; }

    /// <summary>Read only to keep the marker column active up to this stage.</summary>
    [ColumnName(StateColumns.SerialRead)]
    [SerialReadMarkerType]
    public SerialReadMarker? Marker { get; set; }

    /// <summary>The features as a dense span of <see cref="VBuffer{T}.Length"/> values: the buffer itself when dense.</summary>
    internal ReadOnlySpan<float> DenseFeatures() => NetworkInputRow.Dense(Features, ref _dense);
}
