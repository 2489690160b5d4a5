using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetFromScratch.Tuning;

/// <summary>The metrics of each task, their natural direction, and how to read them from ML.NET's evaluators.</summary>
internal static class GridMetrics
{
    private static readonly string[] s_binary =
    [
        nameof(BinaryClassificationMetrics.Accuracy), nameof(BinaryClassificationMetrics.AreaUnderRocCurve),
        nameof(BinaryClassificationMetrics.AreaUnderPrecisionRecallCurve), nameof(BinaryClassificationMetrics.F1Score),
        nameof(BinaryClassificationMetrics.PositivePrecision), nameof(BinaryClassificationMetrics.PositiveRecall),
        nameof(BinaryClassificationMetrics.NegativePrecision), nameof(BinaryClassificationMetrics.NegativeRecall),
        nameof(CalibratedBinaryClassificationMetrics.LogLoss), nameof(CalibratedBinaryClassificationMetrics.LogLossReduction),
    ];

    private static readonly string[] s_multiclass =
    [
        nameof(MulticlassClassificationMetrics.MicroAccuracy), nameof(MulticlassClassificationMetrics.MacroAccuracy),
        nameof(MulticlassClassificationMetrics.LogLoss), nameof(MulticlassClassificationMetrics.LogLossReduction),
    ];

    private static readonly string[] s_regression =
    [
        nameof(RegressionMetrics.RSquared), nameof(RegressionMetrics.RootMeanSquaredError),
        nameof(RegressionMetrics.MeanAbsoluteError), nameof(RegressionMetrics.MeanSquaredError),
        nameof(RegressionMetrics.LossFunction),
    ];

    private static readonly HashSet<string> s_lowerIsBetter =
    [
        nameof(MulticlassClassificationMetrics.LogLoss), nameof(RegressionMetrics.RootMeanSquaredError),
        nameof(RegressionMetrics.MeanAbsoluteError), nameof(RegressionMetrics.MeanSquaredError),
        nameof(RegressionMetrics.LossFunction),
    ];

    public static IReadOnlyList<string> Names(GridSearchTask task) => task switch
    {
        GridSearchTask.BinaryClassification => s_binary,
        GridSearchTask.MulticlassClassification => s_multiclass,
        GridSearchTask.Regression => s_regression,
        _ => throw new ArgumentOutOfRangeException(nameof(task), task, "Unknown task."),
    };

    public static string DefaultRankBy(GridSearchTask task) => task switch
    {
        GridSearchTask.BinaryClassification => nameof(BinaryClassificationMetrics.AreaUnderRocCurve),
        GridSearchTask.MulticlassClassification => nameof(MulticlassClassificationMetrics.MicroAccuracy),
        _ => nameof(RegressionMetrics.RSquared),
    };

    public static bool HigherIsBetter(string metric) => !s_lowerIsBetter.Contains(metric);

    /// <summary>Checks <paramref name="rankBy"/> against the task's metrics; <c>null</c> means the task's default.</summary>
    public static string ResolveRankBy(GridSearchTask task, string? rankBy)
    {
        if (rankBy is null)
            return DefaultRankBy(task);
        if (!Names(task).Contains(rankBy))
            throw new ArgumentException($"Metric '{rankBy}' is not one of the {task} metrics: {string.Join(", ", Names(task))}.", nameof(rankBy));
        return rankBy;
    }

    /// <summary>Evaluates scored data with ML.NET's evaluator; values in the order of <see cref="Names"/>.</summary>
    public static double[] Evaluate(MLContext mlContext, GridSearchTask task, IDataView scored, string labelColumnName)
    {
        switch (task)
        {
            case GridSearchTask.BinaryClassification:
                if (scored.Schema.GetColumnOrNull("Probability") is null)
                {
                    var b = mlContext.BinaryClassification.EvaluateNonCalibrated(scored, labelColumnName);
                    return [b.Accuracy, b.AreaUnderRocCurve, b.AreaUnderPrecisionRecallCurve, b.F1Score,
                        b.PositivePrecision, b.PositiveRecall, b.NegativePrecision, b.NegativeRecall, double.NaN, double.NaN];
                }

                var c = mlContext.BinaryClassification.Evaluate(scored, labelColumnName);
                return [c.Accuracy, c.AreaUnderRocCurve, c.AreaUnderPrecisionRecallCurve, c.F1Score,
                    c.PositivePrecision, c.PositiveRecall, c.NegativePrecision, c.NegativeRecall, c.LogLoss, c.LogLossReduction];
            case GridSearchTask.MulticlassClassification:
                var m = mlContext.MulticlassClassification.Evaluate(scored, labelColumnName);
                return [m.MicroAccuracy, m.MacroAccuracy, m.LogLoss, m.LogLossReduction];
            default:
                var r = mlContext.Regression.Evaluate(scored, labelColumnName);
                return [r.RSquared, r.RootMeanSquaredError, r.MeanAbsoluteError, r.MeanSquaredError, r.LossFunction];
        }
    }
}
