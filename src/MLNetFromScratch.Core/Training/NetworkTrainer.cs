using System.Diagnostics;
using System.Runtime.CompilerServices;
using MLNetFromScratch.Core.Kernels;
using MLNetFromScratch.Core.Network;
using MLNetFromScratch.Core.Optimizers;

namespace MLNetFromScratch.Core.Training;

/// <summary>
/// Mini-batch gradient descent over data in memory: each epoch visits the rows (shuffled if asked) in
/// batches of <see cref="TrainingSettings.BatchSize"/>, the last partial batch included; each batch
/// computes the cost and its gradient and takes one optimizer step.
/// </summary>
public static class NetworkTrainer
{
    // Fully optimized at first call, like every method a training step runs (see TwoLayerNetwork.ComputeGradients).
    /// <summary>Trains a freshly initialized network of <paramref name="shape"/> on <paramref name="train"/>.</summary>
    /// <param name="shape">The architecture; its input and output counts must match the data.</param>
    /// <param name="train">The training rows.</param>
    /// <param name="validation">Rows to report validation loss and metric on, and for early stopping; or null.</param>
    /// <param name="settings">How to train; validated first.</param>
    /// <param name="seed">Fixes initialization, shuffling and dropout: the same seed gives the same bits.</param>
    /// <param name="cancellationToken">Checked before every batch.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    /// <exception cref="ArgumentException">The data does not match the shape, or is empty.</exception>
    /// <exception cref="TrainingDivergedException">The loss or a weight became NaN or infinite.</exception>
    /// <exception cref="OperationCanceledException">Training was cancelled.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static TrainingResult Train(
        NetworkShape shape, TrainingData train, TrainingData? validation, TrainingSettings settings, int seed,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        CheckData(shape, train, nameof(train));
        if (train.Rows == 0)
        {
            throw new ArgumentException("The training data has no rows.", nameof(train));
        }

        if (validation is not null)
        {
            CheckData(shape, validation, nameof(validation));
        }

        var rng = new Rng(seed);
        TwoLayerNetwork network = TwoLayerNetwork.Create(shape, rng);
        float[] parameters = network.Parameters;
        var gradients = new float[shape.ParameterCount];
        Optimizer optimizer = Optimizer.Create(settings.Optimizer, shape.ParameterCount, settings.ToOptimizerSettings());
        int batchSize = Math.Min(settings.BatchSize, train.Rows);
        var workspace = new NetworkWorkspace(shape, batchSize);
        var order = new int[train.Rows];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        // Mostly-zero features (pixels, one-hot codes): the first layer skips the zeros, on parameters of its own layout.
        // Features held sparse are used as they are; dense ones are converted when sparse enough.
        SparseRows? sparseInputs = settings.SparseInputDensity <= 0 ? null
            : train.SparseFeatures is { } held ? (held.Count > settings.SparseInputDensity * held.Rows * held.Columns ? null : held)
            : SparseRows.TryFromDense(train.Features, train.Rows, train.Inputs, settings.SparseInputDensity, settings.Compute);
        SparseInputGradients? sparse = sparseInputs is null ? null : new SparseInputGradients(shape, sparseInputs, batchSize);
        sparse?.CopyFrom(network);

        var evaluator = validation is { Rows: > 0 } ? new NetworkEvaluator(shape, validation, workspace) : null;
        bool earlyStopping = evaluator is not null && settings.EarlyStoppingPatience > 0;
        float[]? best = earlyStopping ? (float[])parameters.Clone() : null;
        double bestLoss = double.PositiveInfinity;
        int bestEpoch = 0, epochsSinceBest = 0;
        bool stoppedEarly = false;
        var history = new List<EpochReport>(settings.Epochs);
        var clock = Stopwatch.StartNew();

        for (int epoch = 1; epoch <= settings.Epochs; epoch++)
        {
            float rate = LearningRates.At(settings.LearningRateSchedule, settings.LearningRate, epoch - 1, settings.DecayRate, settings.DecayStepEpochs);
            if (settings.Shuffle)
            {
                rng.Shuffle(order);
            }

            double total = 0;
            for (int start = 0; start < train.Rows; start += batchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int batch = Math.Min(batchSize, train.Rows - start);
                ReadOnlySpan<int> rows = order.AsSpan(start, batch);
                double cost;
                if (sparse is null)
                {
                    Gather(train, rows, workspace);
                    cost = network.ComputeGradients(workspace, batch, settings.L2Regularization, settings.DropoutRate, rng, gradients, settings.Compute);
                }
                else
                {
                    // The step is fused into the backward pass, so it has been taken by the time the cost is checked: that
                    // is harmless, as a cost that is not finite throws all the same and the network is never returned.
                    GatherTargets(train, rows, workspace);
                    cost = sparse.ComputeGradientsAndStep(
                        workspace, rows, settings.L2Regularization, settings.DropoutRate, rng, gradients, optimizer, rate, settings.Compute);
                }

                if (!double.IsFinite(cost))
                {
                    throw Diverged($"the loss became {cost} in epoch {epoch}, at the batch starting at row {start}", rate);
                }

                if (sparse is null)
                {
                    optimizer.Step(parameters, gradients, rate, settings.Compute);
                }

                total += cost * batch;
            }

            sparse?.CopyTo(network);

            if (!AllFinite(parameters))
            {
                throw Diverged($"a weight became NaN or infinite in epoch {epoch}", rate);
            }

            (double loss, double metric)? validationResult = evaluator?.Evaluate(network, settings.Compute);
            var report = new EpochReport(epoch, total / train.Rows, validationResult?.loss, validationResult?.metric, rate, clock.Elapsed);
            history.Add(report);
            settings.Progress?.Report(report);

            if (best is not null && validationResult is { } v)
            {
                if (v.loss < bestLoss)
                {
                    bestLoss = v.loss;
                    bestEpoch = epoch;
                    epochsSinceBest = 0;
                    parameters.AsSpan().CopyTo(best);
                }
                else if (++epochsSinceBest >= settings.EarlyStoppingPatience)
                {
                    stoppedEarly = epoch < settings.Epochs;
                    break;
                }
            }
            else
            {
                bestEpoch = epoch;
            }
        }

        if (best is not null && bestEpoch > 0)
        {
            best.AsSpan().CopyTo(parameters);
        }

        return new TrainingResult(network, history, bestEpoch, stoppedEarly);
    }

    /// <summary>
    /// Copies the listed rows' features (decoded when held sparse) and targets (one-hot rows written out when held as
    /// class indices) into the workspace's batch buffers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Gather(TrainingData data, ReadOnlySpan<int> rows, NetworkWorkspace workspace)
    {
        int inputs = data.Inputs, outputs = data.Outputs;
        for (int i = 0; i < rows.Length; i++)
        {
            data.CopyFeatureRow(rows[i], workspace.Inputs.AsSpan(i * inputs, inputs));
            data.CopyTargetRow(rows[i], workspace.Targets.AsSpan(i * outputs, outputs));
        }
    }

    /// <summary>Copies the listed rows' targets into the workspace (the sparse path reads features in place).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GatherTargets(TrainingData data, ReadOnlySpan<int> rows, NetworkWorkspace workspace)
    {
        int outputs = data.Outputs;
        for (int i = 0; i < rows.Length; i++)
        {
            data.CopyTargetRow(rows[i], workspace.Targets.AsSpan(i * outputs, outputs));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool AllFinite(ReadOnlySpan<float> values)
    {
        foreach (float v in values)
        {
            if (!float.IsFinite(v))
            {
                return false;
            }
        }

        return true;
    }

    private static TrainingDivergedException Diverged(string what, float rate) => new(
        $"Training diverged: {what}. Try a smaller learning rate (it was {rate}) or standardized inputs; no model was produced.");

    private static void CheckData(NetworkShape shape, TrainingData data, string name)
    {
        ArgumentNullException.ThrowIfNull(data, name);
        if (data.Inputs != shape.Inputs || data.Outputs != shape.Outputs)
        {
            throw new ArgumentException(
                $"The data has {data.Inputs} features and {data.Outputs} targets; the network expects {shape.Inputs} and {shape.Outputs}.", name);
        }

        if (data.ClassTargets is not null && shape.Head != NetworkHead.Softmax)
        {
            throw new ArgumentException($"The data's targets are class indices (one-hot rows); they need a softmax head, not {shape.Head}.", name);
        }
    }
}
