using Microsoft.ML;
using Microsoft.ML.Trainers;
using MLNetFromScratch.Tuning;

namespace MLNetFromScratch.Tests.Tuning;

/// <summary>
/// One sequential 3 x 3 grid search on digits with 5 folds (SDCA maximum entropy, single-threaded: ML.NET's SDCA is deterministic only so),
/// shared by the tests that compare against it.
/// </summary>
public sealed class DigitsGridFixture
{
    public const int Seed = 7;
    public const int Folds = 5;

    public DigitsGridFixture()
    {
        Data = TuningData.Digits(new MLContext(seed: 0));
        Grid = new ParameterGrid()
            .Add(nameof(SdcaMaximumEntropyMulticlassTrainer.Options.L2Regularization), new float?[] { 1e-4f, 1e-2f, 1f })
            .Add(nameof(SdcaMaximumEntropyMulticlassTrainer.Options.MaximumNumberOfIterations), new int?[] { 1, 3, 10 });
        Sequential = Search(maxDegreeOfParallelism: 1);
    }

    public IDataView Data { get; }

    public ParameterGrid Grid { get; }

    public GridSearchResult Sequential { get; }

    public static IEstimator<ITransformer> Pipeline(MLContext ml, ParameterSet set) =>
        ml.Transforms.Conversion.MapValueToKey("Label", "Digit")
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(
                set.ApplyTo(new SdcaMaximumEntropyMulticlassTrainer.Options { NumberOfThreads = 1 })));

    public GridSearchResult Search(int maxDegreeOfParallelism, IProgress<GridSearchProgress>? progress = null) =>
        new MLContext().MulticlassClassification.GridSearch(
            Data, Grid, Pipeline, labelColumnName: "Label", numberOfFolds: Folds, seed: Seed,
            options: new GridSearchOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism, StratificationColumnName = "Digit", Progress = progress });
}
