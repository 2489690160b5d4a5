// Multiclass: handwritten digits, end to end. MapValueToKey -> Standardize -> network -> ML.NET's multiclass evaluator
// (per-class metrics, confusion matrix) -> MapKeyToValue for the predicted digit, then a grid search drawn as a heat map.
//   dotnet run --project samples/Multiclass -c Release                        the 8x8 digits built into the repository
//   dotnet run --project samples/Multiclass -c Release -- --mnist <folder>    MNIST from its four IDX files (.gz or not)
using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using MLNetFromScratch;
using MLNetFromScratch.Core.Training;
using MLNetFromScratch.Tuning;
using Multiclass;
using Samples.Plotting;

var clock = Stopwatch.StartNew();
var ml = new MLContext(seed: 1);
string outputFolder = Path.GetFullPath(Path.Combine("out", "Multiclass"));

if (args.Length > 0 && !(args.Length == 2 && args[0] == "--mnist"))
{
    Console.Error.WriteLine("usage: Multiclass                    train on the 8x8 digits built into the repository");
    Console.Error.WriteLine("       Multiclass --mnist <folder>   train on MNIST: train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-...");
    return 2;
}

IDataView train, test;
NeuralNetworkOptions options;
string name;
if (args.Length == 2)
{
    name = "MNIST";
    string folder = args[1];
    Console.WriteLine($"Reading MNIST from {Path.GetFullPath(folder)}");
    try
    {
        train = ml.Data.LoadFromEnumerable(Mnist.Load(folder, "train"));
        test = ml.Data.LoadFromEnumerable(Mnist.Load(folder, "t10k"));
    }
    catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
    {
        Console.Error.WriteLine($"error: {e.Message}");
        return 2;
    }

    Console.WriteLine("1. Train on the 60,000 training images: MapValueToKey -> Standardize -> NeuralNetwork (784-128-10, ReLU, Adam)");
    options = new NeuralNetworkOptions
    {
        HiddenSize = 128, Epochs = 15, BatchSize = 128, LearningRate = 1e-3f, Seed = 1,
        ValidationFraction = 1 / 12f, EarlyStoppingPatience = 3, Progress = new ConsoleProgress(every: 1),
    };
}
else
{
    name = "digits";
    IDataView all = ml.Data.LoadFromTextFile<Digit8x8>(
        Path.Combine(AppContext.BaseDirectory, "Data", "digits-8x8.csv"), separatorChar: ',', hasHeader: true);
    DataOperationsCatalog.TrainTestData split = ml.Data.TrainTestSplit(all, testFraction: 0.2, seed: 1);
    (train, test) = (split.TrainSet, split.TestSet);
    Console.WriteLine("1. Train on 80% of the 1,797 8x8 digits: MapValueToKey -> Standardize -> NeuralNetwork (64-64-10, ReLU, Adam)");
    options = new NeuralNetworkOptions
    {
        HiddenSize = 64, Epochs = 100, BatchSize = 32, LearningRate = 1e-3f, Seed = 1,
        ValidationFraction = 0.1f, EarlyStoppingPatience = 10, Progress = new ConsoleProgress(every: 10),
    };
}

// The digit is read as text; keys are numbered by value (ByValue), so class k is digit k and the confusion matrix reads 0..9.
// The predicted key maps back to that text.
IEstimator<ITransformer> pipeline = ml.Transforms.Conversion.MapValueToKey("Label", "Digit", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
    .Append(ml.Transforms.Standardize("Features"))
    .Append(ml.MulticlassClassification.Trainers.NeuralNetwork(options))
    .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedDigit", "PredictedLabel"));
ITransformer model = pipeline.Fit(train);
NeuralNetworkModelParameters network = NeuralNetworkModelParameters.FromModel(model);
Console.WriteLine($"   {network.TrainingHistory.Count} epochs in {network.TrainingHistory[^1].Elapsed.TotalSeconds:F1} s, kept the weights of epoch {network.BestEpoch}");

Console.WriteLine("\n2. Evaluate on the held-out images with ML.NET's evaluator");
IDataView scored = model.Transform(test);
MulticlassClassificationMetrics metrics = ml.MulticlassClassification.Evaluate(scored);
Console.WriteLine($"   accuracy {metrics.MicroAccuracy:P2}   macro accuracy {metrics.MacroAccuracy:P2}   log-loss {metrics.LogLoss:F4}");
Console.WriteLine("   digit  precision  recall  log-loss");
for (int k = 0; k < metrics.PerClassLogLoss.Count; k++)
{
    Console.WriteLine($"   {network.ClassNames[k],5}  {metrics.ConfusionMatrix.PerClassPrecision[k],9:P1}  {metrics.ConfusionMatrix.PerClassRecall[k],6:P1}  {metrics.PerClassLogLoss[k],8:F4}");
}

Console.WriteLine(metrics.ConfusionMatrix.GetFormattedConfusionTable());

Console.WriteLine("3. The first mistakes, with the predicted digit read back through MapKeyToValue");
foreach (Prediction p in ml.Data.CreateEnumerable<Prediction>(scored, reuseRowObject: false).Where(p => p.Digit != p.PredictedDigit).Take(5))
{
    Console.WriteLine($"   true {p.Digit}, predicted {p.PredictedDigit}: P({p.PredictedDigit}) = {p.Score.Max():P0}, P({p.Digit}) = {p.Score[network.ClassNames.ToList().IndexOf(p.Digit)]:P0}");
}

Directory.CreateDirectory(outputFolder);
string curvePath = Path.Combine(outputFolder, $"{name}-learning-curve.svg");
SvgPlots.WriteLearningCurve(curvePath, network, $"{(name == "MNIST" ? "MNIST" : "8x8 digits")}: cross-entropy per epoch");
Console.WriteLine($"\nPicture: {curvePath}");

if (name == "digits")
{
    Console.WriteLine("\n4. Grid search: hidden size x learning rate, 3-fold stratified cross-validation on the training rows");
    ParameterGrid grid = new ParameterGrid().Add("HiddenSize", new[] { 8, 32, 128 }).Add("LearningRate", new[] { 1e-3f, 3e-3f, 1e-2f });
    GridSearchResult search = ml.MulticlassClassification.GridSearch(
        train, grid,
        (context, candidate) => context.Transforms.Conversion.MapValueToKey("Label", "Digit", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Append(context.Transforms.Standardize("Features"))
            .Append(context.MulticlassClassification.Trainers.NeuralNetwork(
                candidate.ApplyTo(new NeuralNetworkOptions { Epochs = 20, BatchSize = 32, Seed = 1 }))),
        numberOfFolds: 3, seed: 1, options: new GridSearchOptions { StratificationColumnName = "Digit", RefitBest = false });
    Console.WriteLine(search.ToConsoleTable(["MicroAccuracy", "LogLoss"]));
    string gridPath = Path.Combine(outputFolder, "digits-grid-search.svg");
    SvgPlots.WriteGridHeatMap(gridPath, search, "HiddenSize", "LearningRate", "MicroAccuracy", "8x8 digits: cross-validated accuracy (20 epochs)");
    Console.WriteLine($"Picture: {gridPath}");
}

Console.WriteLine($"Done in {clock.Elapsed.TotalSeconds:F1} s.");
return 0;

namespace Multiclass
{
    /// <summary>A row of digits-8x8.csv: 64 pixel intensities (0..16) and the digit.</summary>
    internal sealed class Digit8x8
    {
        [LoadColumn(0, 63), VectorType(64)]
        public float[] Features { get; set; } = [];

        [LoadColumn(64)]
        public string Digit { get; set; } = "";
    }

    /// <summary>An MNIST image: 28x28 pixel intensities (0..255) and the digit.</summary>
    internal sealed class DigitImage
    {
        public const int PixelCount = 28 * 28;

        [VectorType(PixelCount)]
        public float[] Features { get; set; } = [];

        public string Digit { get; set; } = "";
    }

    /// <summary>The columns read back from a scored row: the true digit, the predicted one, and the class probabilities.</summary>
    internal sealed class Prediction
    {
        public string Digit { get; set; } = "";

        public string PredictedDigit { get; set; } = "";

        public float[] Score { get; set; } = [];
    }

    /// <summary>Prints a line every few epochs, as training goes.</summary>
    internal sealed class ConsoleProgress(int every) : IProgress<EpochReport>
    {
        public void Report(EpochReport value)
        {
            if (value.Epoch == 1 || value.Epoch % every == 0)
            {
                Console.WriteLine($"   epoch {value.Epoch,3}  loss {value.TrainingLoss:F4}  validation loss {value.ValidationLoss:F4}  accuracy {value.ValidationMetric:P1}  {value.Elapsed.TotalSeconds,5:F1} s");
            }
        }
    }
}
