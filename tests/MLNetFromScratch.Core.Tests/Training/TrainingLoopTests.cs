using MLNetFromScratch.Core.Kernels;
using MLNetFromScratch.Core.Network;
using MLNetFromScratch.Core.Optimizers;
using MLNetFromScratch.Core.Training;

namespace MLNetFromScratch.Core.Tests.Training;

[Collection(nameof(AllocationSensitive))]
public sealed class TrainingLoopTests
{
    private static (TrainingData Train, TrainingData Test) Digits()
    {
        (float[][] x, string[] labels) = CsvData.Read("digits-8x8.csv");
        (int[] trainRows, int[] testRows) = CsvData.Split(x.Length, 4);
        return CsvData.Build(x, CsvData.OneHot(labels, out _), trainRows, testRows);
    }

    [Fact]
    public void Train_SameSeedTwice_BitIdenticalParametersAndHistory()
    {
        (TrainingData train, _) = Digits();
        var shape = new NetworkShape(64, 40, 10, Activation.Tanh, NetworkHead.Softmax);
        var settings = new TrainingSettings { Epochs = 3, BatchSize = 50, DropoutRate = 0.2f };

        TrainingResult a = NetworkTrainer.Train(shape, train, null, settings, seed: 11);
        TrainingResult b = NetworkTrainer.Train(shape, train, null, settings, seed: 11);
        TrainingResult c = NetworkTrainer.Train(shape, train, null, settings, seed: 12);

        Assert.Equal(a.Network.Parameters, b.Network.Parameters);
        Assert.Equal(a.History.Select(h => h.TrainingLoss), b.History.Select(h => h.TrainingLoss));
        Assert.NotEqual(a.Network.Parameters, c.Network.Parameters);
    }

    [Fact]
    public void Train_OneThreadAndTwoThreads_BitIdentical()
    {
        (TrainingData train, _) = Digits();
        var shape = new NetworkShape(64, 200, 10, Activation.Relu, NetworkHead.Softmax);
        TrainingResult one = NetworkTrainer.Train(shape, train, null, new TrainingSettings { Epochs = 2, BatchSize = 128, Compute = new ComputeContext(1) }, 5);
        TrainingResult two = NetworkTrainer.Train(shape, train, null, new TrainingSettings { Epochs = 2, BatchSize = 128, Compute = new ComputeContext(2) }, 5);
        Assert.Equal(one.Network.Parameters, two.Network.Parameters);
    }

    [Fact]
    public void Train_SparsePath_OneAndTwoThreadsBitIdenticalAndCloseToTheDensePath()
    {
        TrainingData train = RawDigits().Train;
        var shape = new NetworkShape(64, 70, 10, Activation.Relu, NetworkHead.Softmax);
        TrainingSettings Settings(int threads, double sparse) => new() { Epochs = 2, BatchSize = 100, Compute = new ComputeContext(threads), SparseInputDensity = sparse };
        TrainingResult one = NetworkTrainer.Train(shape, train, null, Settings(1, 1.0), 5);
        TrainingResult two = NetworkTrainer.Train(shape, train, null, Settings(2, 1.0), 5);
        TrainingResult dense = NetworkTrainer.Train(shape, train, null, Settings(2, 0.0), 5);

        Assert.Equal(one.Network.Parameters, two.Network.Parameters);
        // The sparse path is taken (the dense Forward now sums in input order from the bias as the sparse
        // one does, so their parameters may agree bit for bit and cannot show that it ran).
        Assert.NotNull(SparseRows.TryFromDense(train.Features, train.Rows, train.Inputs, 1.0));
        for (int e = 0; e < 2; e++)
        {
            Assert.Equal(dense.History[e].TrainingLoss, one.History[e].TrainingLoss, 1e-4 * dense.History[e].TrainingLoss);
        }
    }

    /// <summary>Digits with pixels / 16, not standardized: about half the features are zero.</summary>
    internal static (TrainingData Train, TrainingData Test) RawDigits()
    {
        (float[][] x, string[] labels) = CsvData.Read("digits-8x8.csv");
        float[][] y = CsvData.OneHot(labels, out _);
        (int[] trainRows, int[] testRows) = CsvData.Split(x.Length, 4);
        TrainingData Take(int[] rows) => new(
            [.. rows.SelectMany(r => x[r].Select(v => v / 16f))], [.. rows.SelectMany(r => y[r])], rows.Length, 64, 10);
        return (Take(trainRows), Take(testRows));
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(1, true)]
    [InlineData(2, true)]
    public void SparseTrainingStep_AfterWarmUp_AllocatesNothing(int threads, bool fused)
    {
        TrainingData train = RawDigits().Train;
        var shape = new NetworkShape(64, 128, 10, Activation.Relu, NetworkHead.Softmax);
        var context = new ComputeContext(threads);
        var sparse = new SparseInputGradients(shape, SparseRows.FromDense(train.Features, train.Rows, 64), 64);
        sparse.CopyFrom(TwoLayerNetwork.Create(shape, new Rng(1)));
        var workspace = new NetworkWorkspace(shape, 64);
        var gradients = new float[shape.ParameterCount];
        Optimizer optimizer = Optimizer.Create(OptimizerKind.Adam, shape.ParameterCount, new OptimizerSettings());
        int[] rows = [.. Enumerable.Range(0, 64).Select(i => (i * 7) % train.Rows)];
        var rng = new Rng(2);

        // Gradients then a separate step (what a caller of the public API does), or the trainer's fused step.
        void Step()
        {
            if (fused)
            {
                sparse.ComputeGradientsAndStep(workspace, rows, 1e-4f, 0.1f, rng, gradients, optimizer, 1e-3f, context);
            }
            else
            {
                sparse.ComputeGradients(workspace, rows, 1e-4f, 0.1f, rng, gradients, context);
                optimizer.Step(sparse.Parameters, gradients, 1e-3f);
            }
        }

        // Past tiered compilation, then the fewest bytes over short windows (see AllocationProbe).
        Assert.Equal(0, AllocationProbe.Measure(Step).Thread);
    }

    [Fact]
    public void Train_SparsePathHugeLearningRate_ThrowsDivergedNamingTheFix()
    {
        // The step is fused into the sparse backward pass, so it is taken before the cost is checked: still no model.
        TrainingData train = RawDigits().Train;
        var shape = new NetworkShape(64, 32, 10, Activation.Relu, NetworkHead.Softmax);
        var settings = new TrainingSettings { Optimizer = OptimizerKind.Sgd, LearningRate = 1e30f, Epochs = 5, SparseInputDensity = 1.0 };

        var error = Assert.Throws<TrainingDivergedException>(() => NetworkTrainer.Train(shape, train, null, settings, 1));
        Assert.Contains("the loss became", error.Message, StringComparison.Ordinal);
        Assert.Contains("learning rate", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void TrainingStep_AfterWarmUp_AllocatesNothing(int threads)
    {
        (TrainingData train, _) = Digits();
        var shape = new NetworkShape(64, 128, 10, Activation.Relu, NetworkHead.Softmax);
        var context = new ComputeContext(threads);
        TwoLayerNetwork network = TwoLayerNetwork.Create(shape, new Rng(1));
        var workspace = new NetworkWorkspace(shape, 64);
        var gradients = new float[shape.ParameterCount];
        Optimizer optimizer = Optimizer.Create(OptimizerKind.Adam, shape.ParameterCount, new OptimizerSettings());
        int[] rows = Enumerable.Range(0, 64).ToArray();
        var rng = new Rng(2);

        void Step()
        {
            NetworkTrainer.Gather(train, rows, workspace);
            network.ComputeGradients(workspace, 64, 1e-4f, 0.1f, rng, gradients, context);
            optimizer.Step(network.Parameters, gradients, 1e-3f);
        }

        // The calling thread, past tiered compilation, the fewest bytes over short windows (see AllocationProbe); the
        // kernels' worker threads are checked by the kernel tests. The process-wide count is no use here: the test
        // host's own threads allocate a few kilobytes a second.
        Assert.Equal(0, AllocationProbe.Measure(Step).Thread);
    }

    [Fact]
    public void Train_HugeLearningRateOnRawFeatures_ThrowsDivergedNamingTheFix()
    {
        (float[][] x, string[] labels) = CsvData.Read("breast-cancer-wdbc.csv");
        float[] features = x.SelectMany(r => r).ToArray();
        float[] targets = labels.Select(l => l == "1" ? 1f : 0f).ToArray();
        var data = new TrainingData(features, targets, x.Length, 30, 1);
        var shape = new NetworkShape(30, 16, 1, Activation.Relu, NetworkHead.Logistic);
        var settings = new TrainingSettings { Optimizer = OptimizerKind.Sgd, LearningRate = 1e30f, Epochs = 5 };

        var error = Assert.Throws<TrainingDivergedException>(() => NetworkTrainer.Train(shape, data, null, settings, 1));
        Assert.Contains("learning rate", error.Message, StringComparison.Ordinal);
        Assert.Contains("standardized", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_EarlyStopping_RestoresTheBestEpochsWeights()
    {
        (TrainingData train, TrainingData test) = Digits();
        var shape = new NetworkShape(64, 64, 10, Activation.Relu, NetworkHead.Softmax);
        var settings = new TrainingSettings { Epochs = 300, BatchSize = 16, LearningRate = 0.01f, L2Regularization = 0, EarlyStoppingPatience = 3 };

        TrainingResult result = NetworkTrainer.Train(shape, train, test, settings, 1);

        Assert.True(result.StoppedEarly);
        Assert.Equal(result.History.Count - 3, result.BestEpoch);
        double bestLoss = result.History.Min(h => h.ValidationLoss!.Value);
        Assert.Equal(bestLoss, result.History[result.BestEpoch - 1].ValidationLoss);
        (double loss, _) = new NetworkEvaluator(shape, test, new NetworkWorkspace(shape, 100)).Evaluate(result.Network);
        Assert.Equal(bestLoss, loss, 1e-9);
    }

    [Fact]
    public void Train_Cancelled_ThrowsOperationCanceled()
    {
        (TrainingData train, _) = Digits();
        using var cancellation = new CancellationTokenSource();
        var settings = new TrainingSettings
        {
            Epochs = 1000,
            Progress = new SynchronousProgress(r =>
            {
                if (r.Epoch == 2)
                {
                    cancellation.Cancel();
                }
            }),
        };

        Assert.ThrowsAny<OperationCanceledException>(() => NetworkTrainer.Train(
            new NetworkShape(64, 8, 10, Activation.Relu, NetworkHead.Softmax), train, null, settings, 1, cancellation.Token));
    }

    [Fact]
    public void Train_ProgressAndSchedule_OneReportPerEpochWithDecayedRates()
    {
        (TrainingData train, TrainingData test) = Digits();
        var reports = new List<EpochReport>();
        var settings = new TrainingSettings
        {
            Epochs = 5, LearningRateSchedule = LearningRateSchedule.StepDecay, DecayRate = 0.5f, DecayStepEpochs = 2,
            Progress = new SynchronousProgress(reports.Add),
        };

        NetworkTrainer.Train(new NetworkShape(64, 8, 10, Activation.Relu, NetworkHead.Softmax), train, test, settings, 1);

        Assert.Equal([1, 2, 3, 4, 5], reports.Select(r => r.Epoch));
        Assert.Equal([1e-3f, 1e-3f, 5e-4f, 5e-4f, 2.5e-4f], reports.Select(r => r.LearningRate));
        Assert.All(reports, r => Assert.InRange(r.ValidationMetric!.Value, 0.0, 1.0));
        Assert.True(reports[^1].TrainingLoss < reports[0].TrainingLoss);
    }

    [Theory]
    [InlineData(nameof(TrainingSettings.Epochs))]
    [InlineData(nameof(TrainingSettings.BatchSize))]
    [InlineData(nameof(TrainingSettings.LearningRate))]
    [InlineData(nameof(TrainingSettings.DropoutRate))]
    [InlineData(nameof(TrainingSettings.L2Regularization))]
    [InlineData(nameof(TrainingSettings.EarlyStoppingPatience))]
    public void Validate_OutOfRange_NamesTheSetting(string name)
    {
        var settings = new TrainingSettings();
        switch (name)
        {
            case nameof(TrainingSettings.Epochs): settings.Epochs = 0; break;
            case nameof(TrainingSettings.BatchSize): settings.BatchSize = -1; break;
            case nameof(TrainingSettings.LearningRate): settings.LearningRate = float.NaN; break;
            case nameof(TrainingSettings.DropoutRate): settings.DropoutRate = 1f; break;
            case nameof(TrainingSettings.L2Regularization): settings.L2Regularization = -1f; break;
            default: settings.EarlyStoppingPatience = -1; break;
        }

        var error = Assert.Throws<ArgumentOutOfRangeException>(settings.Validate);
        Assert.Equal(name, error.ParamName);
    }

    private sealed class SynchronousProgress(Action<EpochReport> action) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => action(value);
    }
}
