using Microsoft.ML.Data;
using MLNetFromScratch.Persistence;

namespace MLNetFromScratch.Trainers.Scoring;

/// <summary>What <see cref="ExactScoreMapping{TDst}"/> reads: the padded scores and the serial-read marker.</summary>
internal sealed class ExactScoreSource
{
    /// <summary>The scores, padded to the scoring mapping's tier.</summary>
    [ColumnName(StateColumns.Output)]
    public VBuffer<float> Padded { get; set; }

    /// <summary>Read only to keep the marker column active up to this stage.</summary>
    [ColumnName(StateColumns.SerialRead)]
    [SerialReadMarkerType]
    public SerialReadMarker? Marker { get; set; }
}
