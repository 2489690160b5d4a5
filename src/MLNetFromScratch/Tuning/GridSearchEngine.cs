using System.Diagnostics;
using System.Globalization;
using System.Runtime.ExceptionServices;
using Microsoft.ML;

namespace MLNetFromScratch.Tuning;

/// <summary>
/// Runs the (candidate, fold) fits of a grid search, in parallel, each with its own <see cref="MLContext"/> seeded from
/// (seed, candidate, fold), and stores every result at its position so that the outcome does not depend on scheduling.
/// </summary>
internal sealed class GridSearchEngine
{
    private readonly GridSearchTask _task;
    private readonly IDataView _data;
    private readonly ParameterGrid _grid;
    private readonly Func<MLContext, ParameterSet, IEstimator<ITransformer>> _pipelineFactory;
    private readonly string _labelColumnName;
    private readonly int _numberOfFolds;
    private readonly string? _samplingKeyColumnName;
    private readonly int _seed;
    private readonly GridSearchOptions _options;

    public GridSearchEngine(
        GridSearchTask task, IDataView data, ParameterGrid grid, Func<MLContext, ParameterSet, IEstimator<ITransformer>> pipelineFactory,
        string labelColumnName, int numberOfFolds, string? samplingKeyColumnName, int seed, GridSearchOptions? options)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(pipelineFactory);
        ArgumentException.ThrowIfNullOrWhiteSpace(labelColumnName);
        ArgumentOutOfRangeException.ThrowIfLessThan(numberOfFolds, 2);
        if (grid.Axes.Count == 0)
            throw new ArgumentException("The grid has no axes.", nameof(grid));

        _task = task;
        _data = data;
        _grid = grid;
        _pipelineFactory = pipelineFactory;
        _labelColumnName = labelColumnName;
        _numberOfFolds = numberOfFolds;
        _samplingKeyColumnName = samplingKeyColumnName;
        _seed = seed;
        _options = options ?? new GridSearchOptions();
    }

    private string? StratificationColumnName =>
        _task == GridSearchTask.Regression ? null : _options.StratificationColumnName ?? _labelColumnName;

    public GridSearchResult Run(string? rankBy, CancellationToken cancellationToken)
    {
        string metric = GridMetrics.ResolveRankBy(_task, rankBy);
        var (folds, fingerprint) = FitFolds(shardIndex: 0, shardCount: 1, cancellationToken);
        var result = new GridSearchResult(
            _task, _grid, metric, _options.HigherIsBetter ?? GridMetrics.HigherIsBetter(metric), _numberOfFolds, _seed, fingerprint, folds);

        if (_options.RefitBest)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ParameterSet best = result.Best.Parameters;
            var mlContext = new MLContext(SplitMix64.FitSeed(_seed, best.Index, -1));
            result.Model = _pipelineFactory(mlContext, best).Fit(mlContext.Data.Cache(_data));
        }

        return result;
    }

    public GridSearchShard RunShard(int shardIndex, int shardCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(shardIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(shardIndex, shardCount);
        var (folds, fingerprint) = FitFolds(shardIndex, shardCount, cancellationToken);
        var descriptions = folds.Select(f => f.CandidateIndex).Distinct().ToDictionary(c => c, c => _grid[c].ToString());
        return new GridSearchShard(_task, _grid.Fingerprint, fingerprint, shardIndex, shardCount, _numberOfFolds, _seed, folds, descriptions);
    }

    private (FoldResult[] Folds, string RunFingerprint) FitFolds(int shardIndex, int shardCount, CancellationToken cancellationToken)
    {
        string? stratification = StratificationColumnName;
        if (stratification is not null && _samplingKeyColumnName is null && _data.Schema.GetColumnOrNull(stratification) is null)
        {
            throw new ArgumentException(
                $"Column '{stratification}' is not in the data, and classification folds are stratified by it. Pass the data's label column as "
                + $"labelColumnName, or set {nameof(GridSearchOptions)}.{nameof(GridSearchOptions.StratificationColumnName)} when the pipeline creates the label.",
                _options.StratificationColumnName is null ? "labelColumnName" : "options");
        }

        var assignment = FoldAssignment.Create(_data, _numberOfFolds, stratification, _samplingKeyColumnName, _seed);
        string fingerprint = ParameterGrid.Hash(string.Join(
            '|', _task, _grid.Describe(), _labelColumnName, _samplingKeyColumnName ?? "-", stratification ?? "-",
            _numberOfFolds.ToString(CultureInfo.InvariantCulture), _seed.ToString(CultureInfo.InvariantCulture),
            assignment.RowCount.ToString(CultureInfo.InvariantCulture)));

        var trainSets = Enumerable.Range(0, _numberOfFolds).Select(f => assignment.GetTrainSet(_data, f)).ToArray();
        var testSets = Enumerable.Range(0, _numberOfFolds).Select(f => assignment.GetTestSet(_data, f)).ToArray();
        int[] candidates = [.. Enumerable.Range(0, _grid.Count).Where(c => GridSearchShard.Owns(c, shardIndex, shardCount))];
        var results = new FoldResult[candidates.Length * _numberOfFolds];
        int completed = 0;

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism, CancellationToken = cancellationToken };
        try
        {
            Parallel.For(0, results.Length, parallel, item =>
            {
                ParameterSet parameters = _grid[candidates[item / _numberOfFolds]];
                int fold = item % _numberOfFolds;
                results[item] = FitFold(parameters, fold, trainSets[fold], testSets[fold], cancellationToken);
                int done = Interlocked.Increment(ref completed);
                _options.Progress?.Report(new GridSearchProgress(results[item], parameters, done, results.Length));
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }

        return (results, fingerprint);
    }

    private FoldResult FitFold(ParameterSet parameters, int fold, IDataView trainSet, IDataView testSet, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var mlContext = new MLContext(SplitMix64.FitSeed(_seed, parameters.Index, fold));

        IEstimator<ITransformer> pipeline = _pipelineFactory(mlContext, parameters);
        var clock = Stopwatch.StartNew();
        ITransformer model = pipeline.Fit(trainSet);
        clock.Stop();
        double[] metrics = GridMetrics.Evaluate(mlContext, _task, model.Transform(testSet), _labelColumnName);
        return new FoldResult(parameters.Index, fold, GridMetrics.Names(_task), metrics, clock.Elapsed);
    }
}
