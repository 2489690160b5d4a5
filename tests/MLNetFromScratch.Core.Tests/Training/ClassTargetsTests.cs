using MLNetFromScratch.Core.Kernels;
using MLNetFromScratch.Core.Network;
using MLNetFromScratch.Core.Optimizers;
using MLNetFromScratch.Core.Training;

namespace MLNetFromScratch.Core.Tests.Training;

/// <summary>
/// Targets held as class indices (<see cref="TrainingData.ClassTargets"/>) against the same targets held as one-hot
/// float rows: the same bits from training (sparse and dense paths, validation and early stopping included) and from
/// evaluation, the same rows selected, and a training step that writes the one-hot rows allocates nothing.
/// </summary>
[Collection(nameof(AllocationSensitive))]
public sealed class ClassTargetsTests
{
    [Theory]
    [InlineData(1.0, false)] // the sparse first layer, converted from dense features
    [InlineData(1.0, true)] // the sparse first layer on features held sparse
    [InlineData(0.0, false)] // the dense path
    [InlineData(0.0, true)] // the dense path, decoding each batch from the sparse rows
    public void Train_ClassIndexTargets_SameBitsAsOneHotFloats(double sparseInputDensity, bool sparseHeld)
    {
        (TrainingData train, TrainingData test) = TrainingLoopTests.RawDigits();
        if (sparseHeld)
        {
            (train, test) = (Sparse(train), Sparse(test));
        }

        var shape = new NetworkShape(64, 48, 10, Activation.Relu, NetworkHead.Softmax);
        var settings = new TrainingSettings
        {
            Epochs = 4, BatchSize = 50, DropoutRate = 0.1f, SparseInputDensity = sparseInputDensity, EarlyStoppingPatience = 2,
        };

        TrainingResult floats = NetworkTrainer.Train(shape, train, test, settings, seed: 7);
        TrainingResult classes = NetworkTrainer.Train(shape, Compact(train), Compact(test), settings, seed: 7);

        Assert.Equal(floats.Network.Parameters, classes.Network.Parameters);
        Assert.Equal(floats.History.Select(h => h.TrainingLoss), classes.History.Select(h => h.TrainingLoss));
        Assert.Equal(floats.History.Select(h => h.ValidationLoss), classes.History.Select(h => h.ValidationLoss));
        Assert.Equal(floats.History.Select(h => h.ValidationMetric), classes.History.Select(h => h.ValidationMetric));
        Assert.Equal(floats.BestEpoch, classes.BestEpoch);
    }

    [Fact]
    public void Evaluate_ClassIndexTargets_SameLossAndAccuracyAsOneHotFloats()
    {
        TrainingData test = TrainingLoopTests.RawDigits().Test;
        var shape = new NetworkShape(64, 20, 10, Activation.Tanh, NetworkHead.Softmax);
        TwoLayerNetwork network = TwoLayerNetwork.Create(shape, new Rng(3));
        TrainingData compact = Compact(test);

        // A batch that does not divide the rows, so the last partial batch is read too.
        (double Loss, double Metric) floats = new NetworkEvaluator(shape, test, new NetworkWorkspace(shape, 64)).Evaluate(network);
        (double Loss, double Metric) classes = new NetworkEvaluator(shape, compact, new NetworkWorkspace(shape, 64)).Evaluate(network);

        Assert.Equal(floats, classes);
        // Accuracy counted here from the class indices themselves.
        var output = new float[10];
        var hidden = new float[20];
        var row = new float[64];
        int correct = 0;
        for (int r = 0; r < test.Rows; r++)
        {
            test.CopyFeatureRow(r, row);
            network.Predict(row, 1, hidden, output);
            correct += NetworkEvaluator.ArgMax(output) == compact.ClassTargets![r] ? 1 : 0;
        }

        Assert.Equal((double)correct / test.Rows, classes.Metric);
    }

    [Fact]
    public void CopyTargetRowAndSelect_ClassIndexTargets_SameRowsAsOneHotFloats()
    {
        TrainingData floats = TrainingLoopTests.RawDigits().Test;
        TrainingData classes = Compact(floats);
        int[] rows = [4, 0, 4, floats.Rows - 1];

        Assert.Null(classes.Targets);
        Assert.Equal(Targets(floats), Targets(classes));
        TrainingData selected = classes.Select(rows);
        Assert.NotNull(selected.ClassTargets);
        Assert.Equal(Targets(floats.Select(rows)), Targets(selected));
        Assert.Equal(Targets(floats.Select(rows)), Targets(Sparse(classes).Select(rows)));
    }

    [Fact]
    public void TargetRow_ClassIndexTargets_InvalidOperationNamingCopyTargetRow()
    {
        TrainingData classes = Compact(TrainingLoopTests.RawDigits().Test);

        var e = Assert.Throws<InvalidOperationException>(() => classes.TargetRow(0).ToArray());

        Assert.Contains("CopyTargetRow", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_ClassIndicesNotOnePerRow_ArgumentException()
    {
        var features = new float[4 * 3];

        var e = Assert.Throws<ArgumentException>(() => new TrainingData(features, new ClassIndices(5, 2), 4, 3));
        Assert.Throws<ArgumentException>(() => new TrainingData(SparseRows.FromDense(features, 4, 3), new ClassIndices(3, 2)));

        Assert.Equal("targets", e.ParamName);
    }

    [Theory]
    [InlineData(NetworkHead.Identity)]
    [InlineData(NetworkHead.Logistic)]
    public void Train_ClassIndexTargetsWithoutSoftmaxHead_ArgumentException(NetworkHead head)
    {
        int classes = head == NetworkHead.Logistic ? 1 : 3;
        var data = new TrainingData(new float[6 * 2], new ClassIndices(6, classes), 6, 2);
        var shape = new NetworkShape(2, 4, classes, Activation.Relu, head);

        var e = Assert.Throws<ArgumentException>(() => NetworkTrainer.Train(shape, data, null, new TrainingSettings { Epochs = 1 }, seed: 1));

        Assert.Contains("softmax", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void TrainingStep_ClassIndexTargets_AllocatesNothing(int threads)
    {
        TrainingData train = Compact(TrainingLoopTests.RawDigits().Train);
        var shape = new NetworkShape(64, 128, 10, Activation.Relu, NetworkHead.Softmax);
        var context = new ComputeContext(threads);
        TwoLayerNetwork network = TwoLayerNetwork.Create(shape, new Rng(1));
        var workspace = new NetworkWorkspace(shape, 64);
        var gradients = new float[shape.ParameterCount];
        Optimizer optimizer = Optimizer.Create(OptimizerKind.Adam, shape.ParameterCount, new OptimizerSettings());
        int[] rows = [.. Enumerable.Range(0, 64).Select(i => (i * 5) % train.Rows)];
        var rng = new Rng(2);

        void Step()
        {
            NetworkTrainer.Gather(train, rows, workspace);
            network.ComputeGradients(workspace, 64, 1e-4f, 0.1f, rng, gradients, context);
            optimizer.Step(network.Parameters, gradients, 1e-3f);
        }

        Assert.Equal(0, AllocationProbe.Measure(Step).Thread);
    }

    /// <summary>The same rows with their one-hot float targets held as class indices (each row checked to be one-hot).</summary>
    internal static TrainingData Compact(TrainingData oneHot)
    {
        var classes = new ClassIndices(oneHot.Rows, oneHot.Outputs);
        for (int r = 0; r < oneHot.Rows; r++)
        {
            ReadOnlySpan<float> y = oneHot.TargetRow(r);
            int hot = y.IndexOf(1f);
            Assert.True(hot >= 0 && y.Count(0f) == y.Length - 1, $"Row {r} is not one-hot.");
            classes[r] = hot;
        }

        return oneHot.SparseFeatures is { } sparse
            ? new TrainingData(sparse, classes)
            : new TrainingData(oneHot.Features!, classes, oneHot.Rows, oneHot.Inputs);
    }

    private static TrainingData Sparse(TrainingData dense)
    {
        SparseRows features = SparseRows.FromDense(dense.Features, dense.Rows, dense.Inputs);
        return dense.ClassTargets is { } classes ? new(features, classes) : new(features, dense.Targets!, dense.Outputs);
    }

    private static float[] Targets(TrainingData data)
    {
        var targets = new float[data.Rows * data.Outputs];
        for (int r = 0; r < data.Rows; r++)
        {
            data.CopyTargetRow(r, targets.AsSpan(r * data.Outputs, data.Outputs));
        }

        return targets;
    }
}
