using Microsoft.ML.Data;

namespace MLNetFromScratch.Trainers.Scoring;

/// <summary>The column a single-target regression adds.</summary>
public sealed class RegressionScoreRow
{
    /// <summary>The predicted value, in the label's units.</summary>
    [ColumnName("Score")]
    public float Score { get; set; }
}
