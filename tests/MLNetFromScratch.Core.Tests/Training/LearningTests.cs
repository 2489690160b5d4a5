using MLNetFromScratch.Core.Kernels;
using MLNetFromScratch.Core.Network;
using MLNetFromScratch.Core.Training;
using Xunit.Abstractions;

namespace MLNetFromScratch.Core.Tests.Training;

public sealed class LearningTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(Activation.Tanh, OptimizerKind.Sgd)]
    [InlineData(Activation.Relu, OptimizerKind.Adam)]
    [InlineData(Activation.Sigmoid, OptimizerKind.Momentum)]
    public void Train_Xor_ClassifiesAllFourPoints(Activation activation, OptimizerKind optimizer)
    {
        var data = new TrainingData([0, 0, 0, 1, 1, 0, 1, 1], [0, 1, 1, 0], 4, 2, 1);
        var shape = new NetworkShape(2, 8, 1, activation, NetworkHead.Logistic);
        var settings = new TrainingSettings
        {
            Epochs = 2000, BatchSize = 4, Optimizer = optimizer, L2Regularization = 0,
            LearningRate = optimizer == OptimizerKind.Adam ? 0.05f : 0.5f,
        };

        TrainingResult result = NetworkTrainer.Train(shape, data, null, settings, seed: 3);

        var probabilities = new float[4];
        result.Network.Predict(data.Features, 4, new float[4 * 8], probabilities);
        output.WriteLine(string.Join(", ", probabilities));
        Assert.True(probabilities[0] < 0.5f && probabilities[1] > 0.5f && probabilities[2] > 0.5f && probabilities[3] < 0.5f);
    }

    [Fact]
    public void Train_BreastCancerStandardized_AtLeast95PercentTestAccuracy()
    {
        (float[][] x, string[] labels) = CsvData.Read("breast-cancer-wdbc.csv");
        float[][] y = labels.Select(l => new[] { float.Parse(l, System.Globalization.CultureInfo.InvariantCulture) }).ToArray();
        (int[] trainRows, int[] testRows) = CsvData.Split(x.Length, 5);
        (TrainingData train, TrainingData test) = CsvData.Build(x, y, trainRows, testRows);
        var shape = new NetworkShape(30, 32, 1, Activation.Relu, NetworkHead.Logistic);

        TrainingResult result = NetworkTrainer.Train(shape, train, null, new TrainingSettings { Epochs = 100, BatchSize = 32 }, seed: 1);

        double accuracy = Accuracy(result.Network, test);
        output.WriteLine($"breast cancer: test accuracy {accuracy:P2} on {test.Rows} rows");
        Assert.True(accuracy >= 0.95, $"accuracy {accuracy:P2}");
    }

    [Fact]
    public void Train_DigitsStandardized_AtLeast95PercentTestAccuracy()
    {
        (float[][] x, string[] labels) = CsvData.Read("digits-8x8.csv");
        float[][] y = CsvData.OneHot(labels, out _);
        (int[] trainRows, int[] testRows) = CsvData.Split(x.Length, 5);
        (TrainingData train, TrainingData test) = CsvData.Build(x, y, trainRows, testRows);
        var shape = new NetworkShape(64, 64, 10, Activation.Relu, NetworkHead.Softmax);

        TrainingResult result = NetworkTrainer.Train(shape, train, null, new TrainingSettings { Epochs = 60, BatchSize = 32 }, seed: 1);

        double accuracy = Accuracy(result.Network, test);
        output.WriteLine($"digits: test accuracy {accuracy:P2} on {test.Rows} rows");
        Assert.True(accuracy >= 0.95, $"accuracy {accuracy:P2}");
    }

    [Fact]
    public void Train_DigitsRawPixelsOnTheSparsePath_AtLeast95PercentTestAccuracy()
    {
        (TrainingData train, TrainingData test) = TrainingLoopTests.RawDigits();
        var shape = new NetworkShape(64, 64, 10, Activation.Relu, NetworkHead.Softmax);
        var settings = new TrainingSettings { Epochs = 60, BatchSize = 32, SparseInputDensity = 1.0 };

        TrainingResult result = NetworkTrainer.Train(shape, train, null, settings, seed: 1);

        double accuracy = Accuracy(result.Network, test);
        output.WriteLine($"digits, raw pixels, sparse first layer: test accuracy {accuracy:P2} on {test.Rows} rows");
        Assert.True(accuracy >= 0.95, $"accuracy {accuracy:P2}");
    }

    internal static double Accuracy(TwoLayerNetwork network, TrainingData test)
    {
        int k = network.Shape.Outputs;
        var outputs = new float[test.Rows * k];
        network.Predict(test.Features, test.Rows, new float[test.Rows * network.Shape.Hidden], outputs, ComputeContext.SingleThreaded);
        int correct = 0;
        for (int r = 0; r < test.Rows; r++)
        {
            ReadOnlySpan<float> o = outputs.AsSpan(r * k, k);
            ReadOnlySpan<float> y = test.TargetRow(r);
            bool right = k == 1 ? (o[0] >= 0.5f) == (y[0] >= 0.5f) : NetworkEvaluator.ArgMax(o) == NetworkEvaluator.ArgMax(y);
            correct += right ? 1 : 0;
        }

        return (double)correct / test.Rows;
    }
}
