using Microsoft.ML.Data;

namespace MLNetFromScratch.Trainers.Scoring;

/// <summary>The columns a binary classifier adds, as ML.NET's evaluator expects them.</summary>
public sealed class BinaryScoreRow
{
    /// <summary>The logit z: the class is positive when z &gt; 0.</summary>
    [ColumnName("Score")]
    public float Score { get; set; }

    /// <summary>sigmoid(z).</summary>
    [ColumnName("Probability")]
    public float Probability { get; set; }

    /// <summary>z &gt; 0.</summary>
    [ColumnName("PredictedLabel")]
    public bool PredictedLabel { get; set; }
}
