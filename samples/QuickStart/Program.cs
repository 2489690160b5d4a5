// QuickStart: a neural network in an ML.NET pipeline, on the Wisconsin breast-cancer data built into the repository.
// Standardize -> train with progress -> ML.NET metrics -> a small cross-validated grid search -> save, load in a
// fresh MLContext, predict; the learning curve and the grid search drawn as SVG next to the model.
using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFromScratch;
using MLNetFromScratch.Core.Training;
using MLNetFromScratch.Tuning;
using QuickStart;
using Samples.Plotting;

var clock = Stopwatch.StartNew();
var ml = new MLContext(seed: 1);
string dataPath = Path.Combine(AppContext.BaseDirectory, "Data", "breast-cancer-wdbc.csv");
IDataView data = ml.Data.LoadFromTextFile<Tumor>(dataPath, separatorChar: ',', hasHeader: true);
DataOperationsCatalog.TrainTestData split = ml.Data.TrainTestSplit(data, testFraction: 0.2, seed: 1);

Console.WriteLine("1. Train: Standardize -> NeuralNetwork (30-32-1, ReLU, Adam), 20% of the training rows held out for validation");
var options = new NeuralNetworkOptions
{
    HiddenSize = 32, Epochs = 100, BatchSize = 32, LearningRate = 3e-3f, DropoutRate = 0.1f, Seed = 1,
    ValidationFraction = 0.2f, EarlyStoppingPatience = 15,
    Progress = new ConsoleProgress(every: 10),
};
IEstimator<ITransformer> pipeline = ml.Transforms.Standardize("Features")
    .Append(ml.BinaryClassification.Trainers.NeuralNetwork(options));
ITransformer model = pipeline.Fit(split.TrainSet);
NeuralNetworkModelParameters network = NeuralNetworkModelParameters.FromModel(model);
Console.WriteLine($"   kept the weights of epoch {network.BestEpoch} of {network.TrainingHistory.Count}");

Console.WriteLine("\n2. Evaluate on the held-out 20% with ML.NET's evaluator");
CalibratedBinaryClassificationMetrics metrics = ml.BinaryClassification.Evaluate(model.Transform(split.TestSet));
Console.WriteLine($"   accuracy {metrics.Accuracy:P2}   AUC {metrics.AreaUnderRocCurve:F4}   F1 {metrics.F1Score:F4}   log-loss {metrics.LogLoss:F4}");

Console.WriteLine("\n3. Grid search: hidden size x learning rate, 3-fold stratified cross-validation on the training rows");
ParameterGrid grid = new ParameterGrid().Add("HiddenSize", new[] { 8, 32 }).Add("LearningRate", new[] { 1e-3f, 1e-2f });
GridSearchResult search = ml.BinaryClassification.GridSearch(
    split.TrainSet, grid,
    (context, parameters) => context.Transforms.Standardize("Features").Append(context.BinaryClassification.Trainers.NeuralNetwork(
        parameters.ApplyTo(new NeuralNetworkOptions { Epochs = 40, BatchSize = 32, Seed = 1 }))),
    numberOfFolds: 3, seed: 1);
Console.WriteLine(search.ToConsoleTable(["Accuracy", "AreaUnderRocCurve", "LogLoss"]));

Console.WriteLine("4. Save, load in a fresh MLContext, predict with a PredictionEngine");
string modelPath = Path.Combine(Path.GetTempPath(), "breast-cancer-network.zip");
ml.Model.Save(model, data.Schema, modelPath);
var fresh = new MLContext();
ITransformer loaded = fresh.Model.Load(modelPath, out _);
using PredictionEngine<Tumor, Diagnosis> engine = fresh.Model.CreatePredictionEngine<Tumor, Diagnosis>(loaded);
foreach (Tumor tumor in ml.Data.CreateEnumerable<Tumor>(split.TestSet, reuseRowObject: false).Take(5))
{
    Diagnosis d = engine.Predict(tumor);
    Console.WriteLine($"   actual {(tumor.Malignant ? "malignant" : "benign   ")}  predicted {(d.PredictedLabel ? "malignant" : "benign   ")}  P(malignant) = {d.Probability:F3}");
}

string curvePath = Path.Combine(Path.GetTempPath(), "learning-curve.svg");
string gridPath = Path.Combine(Path.GetTempPath(), "grid-search.svg");
SvgPlots.WriteLearningCurve(curvePath, network, "Breast cancer: binary cross-entropy per epoch");
SvgPlots.WriteGridHeatMap(gridPath, search, "HiddenSize", "LearningRate", "AreaUnderRocCurve", "Breast cancer: cross-validated AUC (40 epochs)");
Console.WriteLine($"\nPictures: {curvePath}\n          {gridPath}");

Console.WriteLine($"Saved to {modelPath}. Done in {clock.Elapsed.TotalSeconds:F1} s.");

namespace QuickStart
{
    /// <summary>A row of the data file: 30 measurements of a cell nucleus image and the diagnosis.</summary>
    internal sealed class Tumor
    {
        [LoadColumn(0, 29), VectorType(30), ColumnName("Features")]
        public float[] Features { get; set; } = [];

        [LoadColumn(30), ColumnName("Label")]
        public bool Malignant { get; set; }
    }

    /// <summary>What the binary network adds to a row.</summary>
    internal sealed class Diagnosis
    {
        public float Score { get; set; }

        public float Probability { get; set; }

        public bool PredictedLabel { get; set; }
    }

    /// <summary>Prints a line every few epochs, as training goes.</summary>
    internal sealed class ConsoleProgress(int every) : IProgress<EpochReport>
    {
        public void Report(EpochReport value)
        {
            if (value.Epoch == 1 || value.Epoch % every == 0)
            {
                string bar = new('#', Math.Clamp((int)(value.ValidationMetric.GetValueOrDefault() * 30), 0, 30));
                Console.WriteLine($"   epoch {value.Epoch,3}  loss {value.TrainingLoss:F4}  validation loss {value.ValidationLoss:F4}  accuracy {value.ValidationMetric:P1} {bar}");
            }
        }
    }
}
