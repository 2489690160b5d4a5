using MLNetFromScratch.Core.Kernels;
using MLNetFromScratch.Core.Network;
using MLNetFromScratch.Core.Training;

namespace MLNetFromScratch.Core.Tests.Training;

/// <summary>
/// Training data held sparse (<see cref="TrainingData.SparseFeatures"/>) against the same rows held dense: the same
/// bits on the sparse path and on the dense path (which decodes the batches), validation included, and a step of
/// the dense path that decodes allocates nothing.
/// </summary>
[Collection(nameof(AllocationSensitive))]
public sealed class SparseTrainingDataTests
{
    [Theory]
    [InlineData(1.0)] // the sparse first layer
    [InlineData(0.0)] // the dense path, decoding each batch from the sparse rows
    public void Train_SparseHeldData_SameBitsAsDenseHeld(double sparseInputDensity)
    {
        (TrainingData denseTrain, TrainingData denseTest) = TrainingLoopTests.RawDigits();
        TrainingData sparseTrain = Sparse(denseTrain), sparseTest = Sparse(denseTest);
        var shape = new NetworkShape(64, 48, 10, Activation.Relu, NetworkHead.Softmax);
        var settings = new TrainingSettings { Epochs = 3, BatchSize = 64, SparseInputDensity = sparseInputDensity, EarlyStoppingPatience = 5 };

        TrainingResult dense = NetworkTrainer.Train(shape, denseTrain, denseTest, settings, seed: 7);
        TrainingResult sparse = NetworkTrainer.Train(shape, sparseTrain, sparseTest, settings, seed: 7);

        Assert.Equal(dense.Network.Parameters, sparse.Network.Parameters);
        Assert.Equal(dense.History.Select(h => h.TrainingLoss), sparse.History.Select(h => h.TrainingLoss));
        Assert.Equal(dense.History.Select(h => h.ValidationLoss), sparse.History.Select(h => h.ValidationLoss));
        Assert.Equal(dense.History.Select(h => h.ValidationMetric), sparse.History.Select(h => h.ValidationMetric));
    }

    [Fact]
    public void Select_SparseHeldData_SameRowsAsDenseSelect()
    {
        TrainingData dense = TrainingLoopTests.RawDigits().Test;
        int[] rows = [4, 0, 4, dense.Rows - 1];

        TrainingData fromDense = dense.Select(rows), fromSparse = Sparse(dense).Select(rows);

        Assert.NotNull(fromSparse.SparseFeatures);
        Assert.Equal(fromDense.Targets, fromSparse.Targets);
        var row = new float[dense.Inputs];
        for (int r = 0; r < rows.Length; r++)
        {
            fromSparse.CopyFeatureRow(r, row);
            Assert.Equal(fromDense.Features!.AsSpan(r * dense.Inputs, dense.Inputs).ToArray(), row);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void DenseTrainingStep_OnSparseHeldData_AllocatesNothing(int threads)
    {
        TrainingData train = Sparse(TrainingLoopTests.RawDigits().Train);
        var shape = new NetworkShape(64, 128, 10, Activation.Relu, NetworkHead.Softmax);
        var context = new ComputeContext(threads);
        TwoLayerNetwork network = TwoLayerNetwork.Create(shape, new Rng(1));
        var workspace = new NetworkWorkspace(shape, 64);
        var gradients = new float[shape.ParameterCount];
        int[] rows = [.. Enumerable.Range(0, 64).Select(i => (i * 5) % train.Rows)];
        var rng = new Rng(2);

        (long thread, _) = AllocationProbe.Measure(() =>
        {
            NetworkTrainer.Gather(train, rows, workspace);
            network.ComputeGradients(workspace, 64, 1e-4f, 0.1f, rng, gradients, context);
        });

        Assert.Equal(0, thread);
    }

    private static TrainingData Sparse(TrainingData dense)
    {
        SparseRows features = SparseRows.FromDense(dense.Features, dense.Rows, dense.Inputs);
        return dense.ClassTargets is { } classes ? new(features, classes) : new(features, dense.Targets!, dense.Outputs);
    }
}
