using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFromScratch;

namespace Train;

/// <summary>Prints the metrics of ML.NET's evaluator for the task.</summary>
internal static class Metrics
{
    public static void Print(MLContext ml, string task, IDataView scored, string labelColumn, NeuralNetworkModelParameters network)
    {
        switch (task)
        {
            case "binary":
                CalibratedBinaryClassificationMetrics b = ml.BinaryClassification.Evaluate(scored, labelColumn);
                Console.WriteLine($"         accuracy {b.Accuracy:P2}   AUC {b.AreaUnderRocCurve:F4}   F1 {b.F1Score:F4}   log-loss {b.LogLoss:F4}");
                Console.WriteLine($"         precision {b.PositivePrecision:P1}   recall {b.PositiveRecall:P1} (of the positive class)");
                Console.Write(b.ConfusionMatrix.GetFormattedConfusionTable());
                break;
            case "multiclass":
                MulticlassClassificationMetrics m = ml.MulticlassClassification.Evaluate(scored, labelColumn);
                Console.WriteLine($"         accuracy {m.MicroAccuracy:P2}   macro accuracy {m.MacroAccuracy:P2}   log-loss {m.LogLoss:F4}");
                for (int k = 0; k < m.ConfusionMatrix.NumberOfClasses; k++)
                {
                    Console.WriteLine($"         {network.ClassNames[k],-16} precision {m.ConfusionMatrix.PerClassPrecision[k],7:P1}   recall {m.ConfusionMatrix.PerClassRecall[k],7:P1}");
                }

                // The Score column carries no class names (see the README's persistence limits): the table numbers the classes.
                Console.Write(m.ConfusionMatrix.GetFormattedConfusionTable());
                Console.WriteLine($"         classes: {string.Join(", ", network.ClassNames.Select((name, k) => $"{k} = {name}"))}");
                break;
            default:
                RegressionMetrics r = ml.Regression.Evaluate(scored, labelColumn);
                Console.WriteLine($"         RMSE {r.RootMeanSquaredError:G4}   MAE {r.MeanAbsoluteError:G4}   R² {r.RSquared:F4}");
                break;
        }
    }
}
