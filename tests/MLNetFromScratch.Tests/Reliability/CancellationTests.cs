using Microsoft.ML;
using MLNetFromScratch.Core.Training;
using static MLNetFromScratch.Tests.Reliability.ReliabilityData;

namespace MLNetFromScratch.Tests.Reliability;

/// <summary>
/// <see cref="NeuralNetworkOptions.CancellationToken"/>: a cancelled Fit stops within one epoch, returns nothing,
/// and leaves nothing behind: a trainer made from the same options with a fresh token fits the model an
/// uncancelled fit gives, bit for bit.
/// </summary>
public sealed class CancellationTests
{
    private readonly MLContext _context = new(seed: 1);

    [Theory]
    [InlineData(NeuralNetworkTask.BinaryClassification)]
    [InlineData(NeuralNetworkTask.MulticlassClassification)]
    [InlineData(NeuralNetworkTask.Regression)]
    public void Fit_CancelledDuringEpochThree_StopsBeforeEpochFourThenRefitsIdentically(NeuralNetworkTask task)
    {
        IDataView data = For(_context, task, Rows(200));
        NeuralNetworkOptions options = Options(epochs: 50);
        float[] uncancelled = BadInputTests.Parameters(Trainer(_context, task, options).Fit(data).Model);

        using var source = new CancellationTokenSource();
        var epochs = new List<int>();
        options.CancellationToken = source.Token;
        options.Progress = new SynchronousProgress(r =>
        {
            epochs.Add(r.Epoch);
            if (r.Epoch == 3)
            {
                source.Cancel(); // seen before the first batch of epoch 4
            }
        });
        NeuralNetworkTrainer trainer = Trainer(_context, task, options);

        Assert.ThrowsAny<OperationCanceledException>(() => trainer.Fit(data));
        Assert.Equal([1, 2, 3], epochs);
        Assert.ThrowsAny<OperationCanceledException>(() => trainer.Fit(data)); // its token stays cancelled: no half-trained reuse

        options.CancellationToken = CancellationToken.None;
        options.Progress = null;
        float[] again = BadInputTests.Parameters(Trainer(_context, task, options).Fit(data).Model);
        Assert.Equal(uncancelled, again);
    }

    [Fact]
    public void Fit_CancelledInsidePipeline_OperationCanceledExceptionNoModel()
    {
        using var source = new CancellationTokenSource();
        source.Cancel();
        NeuralNetworkOptions options = Options();
        options.CancellationToken = source.Token;
        IEstimator<ITransformer> pipeline = _context.Transforms.Standardize("Features").Append(_context.Regression.Trainers.NeuralNetwork(options));

        Assert.ThrowsAny<OperationCanceledException>(() => pipeline.Fit(Regression(_context)));
    }

    [Fact]
    public void Fit_CancelledFromAnotherThreadMidEpoch_StopsWithinOneEpoch()
    {
        IDataView data = Regression(_context, Rows(2000));
        using var source = new CancellationTokenSource();
        int lastEpoch = 0, epochAtCancel = -1;
        NeuralNetworkOptions options = Options(epochs: 10_000);
        options.BatchSize = 8;
        options.CancellationToken = source.Token;
        options.Progress = new SynchronousProgress(r =>
        {
            Volatile.Write(ref lastEpoch, r.Epoch);
            if (r.Epoch == 2)
            {
                // Cancel from elsewhere while epoch 3 runs.
                _ = Task.Run(() =>
                {
                    Volatile.Write(ref epochAtCancel, Volatile.Read(ref lastEpoch));
                    source.Cancel();
                });
            }
        });

        Assert.ThrowsAny<OperationCanceledException>(() => _context.Regression.Trainers.NeuralNetwork(options).Fit(data));
        Assert.True(epochAtCancel >= 2);
        Assert.True(lastEpoch <= epochAtCancel + 1, $"cancelled after epoch {epochAtCancel}, last epoch reported {lastEpoch}");
    }

    private sealed class SynchronousProgress(Action<EpochReport> report) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => report(value);
    }
}
