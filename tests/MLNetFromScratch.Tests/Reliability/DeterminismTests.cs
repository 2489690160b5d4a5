using Microsoft.ML;
using MLNetFromScratch.Core.Kernels;
using MLNetFromScratch.Tests.Tuning;
using MLNetFromScratch.Tuning;
using static MLNetFromScratch.Tests.Reliability.ReliabilityData;

namespace MLNetFromScratch.Tests.Reliability;

/// <summary>
/// Same data and seed give the same bits. Extends the trainer tests (one trainer fitted twice, hidden weights)
/// and the tuning tests (multiclass grid, 4 workers against 1): every parameter and every loss in the history,
/// with validation, dropout, shuffling and early stopping on, from separately created trainers and whatever the
/// kernel thread count; and binary and regression grids at 1, 2 and 3 workers.
/// </summary>
public sealed class DeterminismTests
{
    private readonly MLContext _context = new(seed: 1);

    [Theory]
    [InlineData(NeuralNetworkTask.BinaryClassification)]
    [InlineData(NeuralNetworkTask.MulticlassClassification)]
    [InlineData(NeuralNetworkTask.Regression)]
    public void Fit_SameSeedSeparateTrainersAnyThreadCount_EveryParameterAndLossBitIdentical(NeuralNetworkTask task)
    {
        IDataView data = For(_context, task, Rows(300));
        NeuralNetworkModelParameters[] models = [.. new[] { 1, 2, 4, 1 }.Select(threads =>
        {
            NeuralNetworkOptions options = Options(epochs: 8);
            options.HiddenSize = 40;
            options.ValidationFraction = 0.2f;
            options.EarlyStoppingPatience = 3;
            options.DropoutRate = 0.2f;
            options.Compute = new ComputeContext(threads);
            return Trainer(new MLContext(seed: threads), task, options).Fit(data).Model;
        })];

        foreach (NeuralNetworkModelParameters model in models.Skip(1))
        {
            Assert.Equal(BadInputTests.Parameters(models[0]), BadInputTests.Parameters(model));
            Assert.Equal(models[0].BestEpoch, model.BestEpoch);
            Assert.Equal(models[0].TrainingHistory.Select(r => (r.TrainingLoss, r.ValidationLoss, r.ValidationMetric)),
                model.TrainingHistory.Select(r => (r.TrainingLoss, r.ValidationLoss, r.ValidationMetric)));
        }
    }

    [Fact]
    public void Fit_DifferentSeeds_DifferentModels()
    {
        IDataView data = Regression(_context);
        float[] a = BadInputTests.Parameters(_context.Regression.Trainers.NeuralNetwork(Options(seed: 1)).Fit(data).Model);
        float[] b = BadInputTests.Parameters(_context.Regression.Trainers.NeuralNetwork(Options(seed: 2)).Fit(data).Model);

        Assert.NotEqual(a, b);
    }

    [Theory]
    [InlineData(GridSearchTask.BinaryClassification)]
    [InlineData(GridSearchTask.Regression)]
    public void GridSearch_OneTwoThreeWorkers_SameTableBitForBit(GridSearchTask task)
    {
        IDataView data = task == GridSearchTask.Regression ? Regression(_context, Rows(120)) : Binary(_context, Rows(120));
        ParameterGrid grid = new ParameterGrid().Add("HiddenSize", new[] { 4, 8 }).Add("LearningRate", new[] { 1e-2f, 3e-2f });
        GridSearchResult Search(int workers)
        {
            var options = new GridSearchOptions { MaxDegreeOfParallelism = workers, RefitBest = false };
            IEstimator<ITransformer> Pipeline(MLContext ctx, ParameterSet p) => task == GridSearchTask.Regression
                ? ctx.Regression.Trainers.NeuralNetwork(p.ApplyTo(Options(epochs: 4)))
                : ctx.BinaryClassification.Trainers.NeuralNetwork(p.ApplyTo(Options(epochs: 4)));
            return task == GridSearchTask.Regression
                ? _context.Regression.GridSearch(data, grid, Pipeline, numberOfFolds: 3, seed: 5, options: options)
                : _context.BinaryClassification.GridSearch(data, grid, Pipeline, numberOfFolds: 3, seed: 5, options: options);
        }

        GridSearchResult one = Search(1);
        GridSearchTests.AssertSameRanking(one, Search(2));
        GridSearchTests.AssertSameRanking(one, Search(3));
    }
}
