using Microsoft.ML;

namespace MLNetFromScratch.Tuning;

/// <summary>
/// Cross-validated grid search on ML.NET's task catalogs: <c>mlContext.MulticlassClassification.GridSearch(data, grid, (ml, p) =&gt; pipeline)</c>.
/// </summary>
/// <remarks>
/// For each candidate of the grid and each fold f of k, the pipeline built by <c>pipelineFactory(mlContext_cf, candidate)</c> is fitted on the
/// other folds and scored on fold f with the task's ML.NET evaluator; a metric's score is its mean over the folds. The folds are stratified by
/// class for classification and grouped by the sampling key when one is given (see <see cref="FoldAssignment"/>). <c>mlContext_cf</c> is a new
/// <see cref="MLContext"/> seeded from (seed, candidate, fold): build every estimator from it, not from a shared context, so fits are
/// reproducible and independent of parallelism (trainers that run several threads of their own, such as SDCA with <c>NumberOfThreads</c> &gt; 1,
/// are not deterministic in ML.NET). Cancellation is checked before each fit; a fit already running completes.
/// </remarks>
public static class GridSearchCatalogExtensions
{
    /// <summary>Cross-validates every candidate of <paramref name="grid"/> as a binary classifier and ranks them (default by AreaUnderRocCurve).</summary>
    /// <param name="catalog">The binary classification catalog.</param>
    /// <param name="data">The training data.</param>
    /// <param name="grid">The candidates.</param>
    /// <param name="pipelineFactory">Builds the pipeline of a candidate from the fit's own <see cref="MLContext"/>.</param>
    /// <param name="labelColumnName">The label column of the scored data, also the stratification column (see <see cref="GridSearchOptions.StratificationColumnName"/>).</param>
    /// <param name="numberOfFolds">k, at least 2.</param>
    /// <param name="samplingKeyColumnName">Rows sharing this column's value stay in one fold; <c>null</c> for none.</param>
    /// <param name="rankBy">A metric of <see cref="Microsoft.ML.Data.CalibratedBinaryClassificationMetrics"/> by name; <c>null</c> for AreaUnderRocCurve.</param>
    /// <param name="seed">The seed of the folds and of every fit.</param>
    /// <param name="options">Parallelism, progress, refit; <c>null</c> for the defaults.</param>
    /// <param name="cancellationToken">Stops the search between fits.</param>
    /// <returns>The ranked table and the best pipeline refitted on all the data.</returns>
    /// <exception cref="ArgumentException">A column is missing, the grid is empty, or <paramref name="rankBy"/> is not a binary metric.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="numberOfFolds"/> is below 2 or above the number of rows or groups.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static GridSearchResult GridSearch(
        this BinaryClassificationCatalog catalog, IDataView data, ParameterGrid grid, Func<MLContext, ParameterSet, IEstimator<ITransformer>> pipelineFactory,
        string labelColumnName = "Label", int numberOfFolds = 5, string? samplingKeyColumnName = null, string? rankBy = null, int seed = 0,
        GridSearchOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new GridSearchEngine(GridSearchTask.BinaryClassification, data, grid, pipelineFactory, labelColumnName, numberOfFolds, samplingKeyColumnName, seed, options)
            .Run(rankBy, cancellationToken);
    }

    /// <summary>Cross-validates every candidate of <paramref name="grid"/> as a multiclass classifier and ranks them (default by MicroAccuracy).</summary>
    /// <param name="catalog">The multiclass classification catalog.</param>
    /// <param name="data">The training data.</param>
    /// <param name="grid">The candidates.</param>
    /// <param name="pipelineFactory">Builds the pipeline of a candidate from the fit's own <see cref="MLContext"/>.</param>
    /// <param name="labelColumnName">The label column of the scored data, also the stratification column (see <see cref="GridSearchOptions.StratificationColumnName"/>).</param>
    /// <param name="numberOfFolds">k, at least 2.</param>
    /// <param name="samplingKeyColumnName">Rows sharing this column's value stay in one fold; <c>null</c> for none.</param>
    /// <param name="rankBy">A metric of <see cref="Microsoft.ML.Data.MulticlassClassificationMetrics"/> by name; <c>null</c> for MicroAccuracy.</param>
    /// <param name="seed">The seed of the folds and of every fit.</param>
    /// <param name="options">Parallelism, progress, refit; <c>null</c> for the defaults.</param>
    /// <param name="cancellationToken">Stops the search between fits.</param>
    /// <returns>The ranked table and the best pipeline refitted on all the data.</returns>
    /// <exception cref="ArgumentException">A column is missing, the grid is empty, or <paramref name="rankBy"/> is not a multiclass metric.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="numberOfFolds"/> is below 2 or above the number of rows or groups.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static GridSearchResult GridSearch(
        this MulticlassClassificationCatalog catalog, IDataView data, ParameterGrid grid, Func<MLContext, ParameterSet, IEstimator<ITransformer>> pipelineFactory,
        string labelColumnName = "Label", int numberOfFolds = 5, string? samplingKeyColumnName = null, string? rankBy = null, int seed = 0,
        GridSearchOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new GridSearchEngine(GridSearchTask.MulticlassClassification, data, grid, pipelineFactory, labelColumnName, numberOfFolds, samplingKeyColumnName, seed, options)
            .Run(rankBy, cancellationToken);
    }

    /// <summary>Cross-validates every candidate of <paramref name="grid"/> as a regressor and ranks them (default by RSquared). Folds are not stratified.</summary>
    /// <param name="catalog">The regression catalog.</param>
    /// <param name="data">The training data.</param>
    /// <param name="grid">The candidates.</param>
    /// <param name="pipelineFactory">Builds the pipeline of a candidate from the fit's own <see cref="MLContext"/>.</param>
    /// <param name="labelColumnName">The label column of the scored data.</param>
    /// <param name="numberOfFolds">k, at least 2.</param>
    /// <param name="samplingKeyColumnName">Rows sharing this column's value stay in one fold; <c>null</c> for none.</param>
    /// <param name="rankBy">A metric of <see cref="Microsoft.ML.Data.RegressionMetrics"/> by name; <c>null</c> for RSquared.</param>
    /// <param name="seed">The seed of the folds and of every fit.</param>
    /// <param name="options">Parallelism, progress, refit; <c>null</c> for the defaults.</param>
    /// <param name="cancellationToken">Stops the search between fits.</param>
    /// <returns>The ranked table and the best pipeline refitted on all the data.</returns>
    /// <exception cref="ArgumentException">A column is missing, the grid is empty, or <paramref name="rankBy"/> is not a regression metric.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="numberOfFolds"/> is below 2 or above the number of rows or groups.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static GridSearchResult GridSearch(
        this RegressionCatalog catalog, IDataView data, ParameterGrid grid, Func<MLContext, ParameterSet, IEstimator<ITransformer>> pipelineFactory,
        string labelColumnName = "Label", int numberOfFolds = 5, string? samplingKeyColumnName = null, string? rankBy = null, int seed = 0,
        GridSearchOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new GridSearchEngine(GridSearchTask.Regression, data, grid, pipelineFactory, labelColumnName, numberOfFolds, samplingKeyColumnName, seed, options)
            .Run(rankBy, cancellationToken);
    }

    /// <summary>
    /// Runs shard <paramref name="shardIndex"/> of <paramref name="shardCount"/> of a grid search (the candidates i with i mod shardCount = shardIndex),
    /// for one process of a job array; write the result with <see cref="GridSearchShard.Write(string)"/> and combine all with <see cref="GridSearchResult.Merge"/>.
    /// Every other parameter must be the same in all shards (the run fingerprint checks it).
    /// </summary>
    /// <param name="catalog">Any of ML.NET's catalogs: the task comes from <paramref name="task"/>.</param>
    /// <param name="task">The task.</param>
    /// <param name="data">The training data.</param>
    /// <param name="grid">The candidates.</param>
    /// <param name="pipelineFactory">Builds the pipeline of a candidate from the fit's own <see cref="MLContext"/>.</param>
    /// <param name="shardIndex">This shard, 0..shardCount-1 (for example <c>JOB_COMPLETION_INDEX</c> or <c>SLURM_ARRAY_TASK_ID</c>).</param>
    /// <param name="shardCount">The number of shards.</param>
    /// <param name="labelColumnName">As in <c>GridSearch</c>.</param>
    /// <param name="numberOfFolds">As in <c>GridSearch</c>.</param>
    /// <param name="samplingKeyColumnName">As in <c>GridSearch</c>.</param>
    /// <param name="seed">As in <c>GridSearch</c>.</param>
    /// <param name="options">As in <c>GridSearch</c>; <see cref="GridSearchOptions.RefitBest"/> does not apply.</param>
    /// <param name="cancellationToken">Stops the shard between fits.</param>
    /// <returns>The shard's fold results.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shardIndex"/> is outside [0, shardCount).</exception>
    public static GridSearchShard GridSearchShard(
        this DataOperationsCatalog catalog, GridSearchTask task, IDataView data, ParameterGrid grid,
        Func<MLContext, ParameterSet, IEstimator<ITransformer>> pipelineFactory, int shardIndex, int shardCount,
        string labelColumnName = "Label", int numberOfFolds = 5, string? samplingKeyColumnName = null, int seed = 0,
        GridSearchOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new GridSearchEngine(task, data, grid, pipelineFactory, labelColumnName, numberOfFolds, samplingKeyColumnName, seed, options)
            .RunShard(shardIndex, shardCount, cancellationToken);
    }
}
