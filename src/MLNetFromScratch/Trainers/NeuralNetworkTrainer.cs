using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFromScratch.Core.Kernels;
using MLNetFromScratch.Core.Network;
using MLNetFromScratch.Core.Training;
using MLNetFromScratch.Persistence;
using MLNetFromScratch.Trainers.Scoring;

namespace MLNetFromScratch;

/// <summary>
/// Trains the two-layer network Z1 = X·W1ᵀ + b1, A1 = g(Z1), Z2 = A1·W2ᵀ + b2 by mini-batch gradient descent on
/// a loss fixed by the task (binary cross-entropy, softmax cross-entropy or squared error), reading the
/// data once into memory. Create it with the <c>NeuralNetwork</c> catalog methods.
/// </summary>
public sealed partial class NeuralNetworkTrainer : IEstimator<NeuralNetworkPredictionTransformer>
{
    /// <summary>Builds the scoring stages (ML.NET transforms whose fitting reads only the schema); never trains.</summary>
    private readonly MLContext _context = new(seed: NeuralNetworkCatalog.DefaultSeed);
    private readonly NeuralNetworkOptions _options;

    /// <summary>Creates a trainer; the options are validated and copied.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of its range; the exception names it.</exception>
    internal NeuralNetworkTrainer(NeuralNetworkTask task, NeuralNetworkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Enum.IsDefined(task))
        {
            throw new ArgumentOutOfRangeException(nameof(task), task, "Unknown task.");
        }

        options.Validate();
        Task = task;
        _options = options.Clone();
    }

    /// <summary>What the trainer learns to predict.</summary>
    public NeuralNetworkTask Task { get; }

    /// <summary>The schema <see cref="Fit"/>'s transformer will produce from <paramref name="inputSchema"/>.</summary>
    /// <exception cref="ArgumentException">The label or feature column is missing or has the wrong type.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        TrainerSchema.Check(inputSchema, Task, _options.LabelColumnName, _options.FeatureColumnName);
        StateColumns.CheckNoReservedColumns(inputSchema, nameof(NeuralNetworkTrainer));
        ChainBuilder builder = ChainBuilder.ForShape(_context.Transforms, inputSchema);
        AppendScoring(builder, outputs: 2, classValues: ["0", "1"], new TrainedNetwork()); // a shape builder holds no in-memory stage
        return builder.OutputShape;
    }

    /// <summary>Reads <paramref name="input"/> into memory, trains the network and returns it as a transformer.</summary>
    /// <exception cref="ArgumentException">The label or feature column is missing or has the wrong type.</exception>
    /// <exception cref="InvalidDataException">A value is NaN or infinite, a label is out of range, the data is empty or has one class.</exception>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite.</exception>
    /// <exception cref="OperationCanceledException"><see cref="NeuralNetworkOptions.CancellationToken"/> was cancelled.</exception>
    public NeuralNetworkPredictionTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        _options.CancellationToken.ThrowIfCancellationRequested();
        DataViewSchema schema = input.Schema;
        TrainerSchema.Check(schema, Task, _options.LabelColumnName, _options.FeatureColumnName);
        StateColumns.CheckNoReservedColumns(schema, nameof(NeuralNetworkTrainer));
        DataViewSchema.Column label = schema[_options.LabelColumnName];
        int classCount = label.Type is KeyDataViewType key ? checked((int)key.Count) : 0;

        string[] classNames = ClassNames(label, classCount, out IReadOnlyList<object> classValues);
        int outputs = TrainerSchema.OutputCount(Task, label.Type, classCount);
        int seed = _options.Seed ?? NeuralNetworkCatalog.DefaultSeed;

        var trained = new TrainedNetwork();
        var scoring = new ScoringStages(() =>
        {
            ChainBuilder builder = ChainBuilder.ForData(_context.Transforms, input);
            AppendScoring(builder, outputs, classValues, trained);
            return builder;
        });
        TrainingDataReader.Result data;
        try
        {
            data = TrainingDataReader.Read(
                input, Task, _options.LabelColumnName, _options.FeatureColumnName, classCount,
                rows => HoldOutMask(rows, _options.ValidationFraction, seed), _options.CancellationToken,
                (_options.Compute ?? ComputeContext.Default).MaxDegreeOfParallelism);
        }
        catch
        {
            scoring.Abandon();
            throw;
        }

        ChainBuilder stages = scoring.Join();
        NeuralNetworkModelParameters model = Train(data, seed, classNames);
        trained.Set(model);
        return new NeuralNetworkPredictionTransformer(
            stages.BuildChainWithInMemoryState(model.ToStateText()), model, _options.FeatureColumnName, schema[_options.FeatureColumnName].Type);
    }
}
