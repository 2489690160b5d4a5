namespace MLNetFromScratch.Tuning;

/// <summary>The machine-learning task a grid search evaluates, which fixes the evaluator and the metrics.</summary>
public enum GridSearchTask
{
    /// <summary>Two classes; ML.NET's binary evaluator (calibrated when the scored data has a <c>Probability</c> column).</summary>
    BinaryClassification,

    /// <summary>Several classes; ML.NET's multiclass evaluator.</summary>
    MulticlassClassification,

    /// <summary>A real-valued label; ML.NET's regression evaluator.</summary>
    Regression,
}
