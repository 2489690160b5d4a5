// Regression: disease progression one year on, from ten measurements of 442 diabetes patients (data/diabetes.csv).
// A cross-validated grid search picks the hidden size and learning rate (drawn as a heat map) -> Standardize -> network
// with a validation split and early stopping (drawn as a learning curve) -> RMSE and R² on held-out rows from ML.NET's
// evaluator, next to ML.NET's own linear SDCA regression trained on the same rows.
using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using MLNetFromScratch;
using MLNetFromScratch.Core.Training;
using MLNetFromScratch.Tuning;
using Regression;
using Samples.Plotting;

var clock = Stopwatch.StartNew();
var ml = new MLContext(seed: 1);
string dataPath = Path.Combine(AppContext.BaseDirectory, "Data", "diabetes.csv");
string outputFolder = Path.GetFullPath(Path.Combine("out", "Regression"));
IDataView data = ml.Data.LoadFromTextFile<Patient>(dataPath, separatorChar: ',', hasHeader: true);
DataOperationsCatalog.TrainTestData split = ml.Data.TrainTestSplit(data, testFraction: 0.2, seed: 1);

Console.WriteLine("1. Grid search: hidden size x learning rate, 5-fold cross-validation on the training rows");
ParameterGrid grid = new ParameterGrid().Add("HiddenSize", new[] { 4, 16, 64 }).Add("LearningRate", new[] { 1e-3f, 3e-3f, 1e-2f });
NeuralNetworkOptions Options(ParameterSet candidate) => candidate.ApplyTo(new NeuralNetworkOptions
{
    Epochs = 300, BatchSize = 32, L2Regularization = 1e-3f, Seed = 1, ValidationFraction = 0.2f, EarlyStoppingPatience = 30,
});
GridSearchResult search = ml.Regression.GridSearch(
    split.TrainSet, grid,
    (context, candidate) => context.Transforms.Standardize("Features").Append(context.Regression.Trainers.NeuralNetwork(Options(candidate))),
    numberOfFolds: 5, seed: 1, options: new GridSearchOptions { RefitBest = false });
Console.WriteLine(search.ToConsoleTable(["RSquared", "RootMeanSquaredError"]));

Console.WriteLine($"2. Train the best candidate ({search.Best.Parameters}) on the training rows, 20% of them for validation and early stopping");
NeuralNetworkOptions options = Options(search.Best.Parameters);
options.Progress = new ConsoleProgress(every: 25);
ITransformer network = ml.Transforms.Standardize("Features")
    .Append(ml.Regression.Trainers.NeuralNetwork(options))
    .Fit(split.TrainSet);
NeuralNetworkModelParameters parameters = NeuralNetworkModelParameters.FromModel(network);
Console.WriteLine($"   stopped after {parameters.TrainingHistory.Count} epochs, kept the weights of epoch {parameters.BestEpoch}");

Console.WriteLine("\n3. The same training rows with ML.NET's linear SDCA regression (Standardize -> Sdca)");
ITransformer sdca = ml.Transforms.Standardize("Features")
    .Append(ml.Regression.Trainers.Sdca(new SdcaRegressionTrainer.Options { NumberOfThreads = 1 }))
    .Fit(split.TrainSet);

Console.WriteLine("\n4. Evaluate both on the held-out 20% with ML.NET's evaluator (Progression ranges 25..346)");
Console.WriteLine("   model            RMSE     MAE      R²");
foreach ((string name, ITransformer model) in new[] { ("neural network", network), ("SDCA (linear)", sdca) })
{
    RegressionMetrics m = ml.Regression.Evaluate(model.Transform(split.TestSet));
    Console.WriteLine($"   {name,-15} {m.RootMeanSquaredError,6:F2}   {m.MeanAbsoluteError,6:F2}   {m.RSquared,5:F3}");
}

Console.WriteLine("   On 353 training rows a linear model is a strong baseline: do not expect the network to beat it here.");

string curvePath = Path.Combine(outputFolder, "learning-curve.svg");
string gridPath = Path.Combine(outputFolder, "grid-search.svg");
SvgPlots.WriteLearningCurve(curvePath, parameters, "Diabetes regression: loss per epoch (standardized target)");
SvgPlots.WriteGridHeatMap(gridPath, search, "HiddenSize", "LearningRate", "RSquared", "Diabetes: cross-validated R² by hidden size and learning rate");
Console.WriteLine($"\nPictures: {curvePath}\n          {gridPath}");
Console.WriteLine($"Done in {clock.Elapsed.TotalSeconds:F1} s.");

namespace Regression
{
    /// <summary>A row of the data file: age, sex, body-mass index, blood pressure, six blood serum measurements, and the progression.</summary>
    internal sealed class Patient
    {
        [LoadColumn(0, 9), VectorType(10), ColumnName("Features")]
        public float[] Features { get; set; } = [];

        [LoadColumn(10), ColumnName("Label")]
        public float Progression { get; set; }
    }

    /// <summary>Prints a line every few epochs, as training goes.</summary>
    internal sealed class ConsoleProgress(int every) : IProgress<EpochReport>
    {
        public void Report(EpochReport value)
        {
            if (value.Epoch == 1 || value.Epoch % every == 0)
            {
                Console.WriteLine($"   epoch {value.Epoch,3}  loss {value.TrainingLoss:F4}  validation loss {value.ValidationLoss:F4}  validation R² {value.ValidationMetric:F3}");
            }
        }
    }
}
