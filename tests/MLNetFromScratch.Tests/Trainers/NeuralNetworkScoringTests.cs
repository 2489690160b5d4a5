using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFromScratch.Core.Network;
using MLNetFromScratch.Tests.Infrastructure;
using static MLNetFromScratch.Tests.Infrastructure.ScoringChecks;

namespace MLNetFromScratch.Tests.Trainers;

/// <summary>The single-row scoring path: its accuracy, its agreement across ML.NET's paths, its allocations.</summary>
public sealed class NeuralNetworkScoringTests
{
    [Theory]
    [InlineData(NeuralNetworkTask.MulticlassClassification, 784, 128, 10, Activation.Relu)]
    [InlineData(NeuralNetworkTask.MulticlassClassification, 64, 70, 10, Activation.Tanh)]
    [InlineData(NeuralNetworkTask.BinaryClassification, 31, 1, 1, Activation.Sigmoid)]
    [InlineData(NeuralNetworkTask.BinaryClassification, 2500, 33, 1, Activation.Relu)]
    [InlineData(NeuralNetworkTask.Regression, 13, 1030, 3, Activation.Relu)]
    public void Score_SparseAndDenseRows_WithinRoundingOfDoublePrecisionForward(
        NeuralNetworkTask task, int inputs, int hidden, int outputs, Activation activation)
    {
        var random = new Random(inputs + hidden + outputs);
        NeuralNetworkModelParameters model = RandomModel(task, inputs, hidden, outputs, activation, random);
        float[] scores = new float[outputs];
        foreach (double density in new[] { 0, 0.2, 1 })
        {
            for (int r = 0; r < 5; r++)
            {
                float[] x = Row(random, inputs, density);

                model.Score(x, scores);

                (double[] expected, double[] allowed) = Reference(model, x);
                for (int k = 0; k < outputs; k++)
                {
                    double error = Math.Abs(scores[k] - expected[k]);
                    Assert.True(error <= allowed[k], $"density {density}, row {r}, output {k}: {scores[k]} against {expected[k]} (error {error:g3}, allowed {allowed[k]:g3})");
                }
            }
        }
    }

    [Fact]
    public void Score_SparseDigitsRows_SameBitsAsTransformAndPredictionEngineBeforeAndAfterLoad()
    {
        // Raw 8x8 digits: about half the pixels are 0, so the rows exercise the zero-skipping path.
        var context = new MLContext(seed: 1);
        IDataView data = TrainerData.Digits(context);
        ITransformer model = context.Transforms.Conversion.MapValueToKey("Label", "Digit")
            .Append(context.MulticlassClassification.Trainers.NeuralNetwork(new NeuralNetworkOptions { HiddenSize = 70, Epochs = 3, Seed = 1 }))
            .Fit(data);
        using var directory = new TempDirectory();
        context.Model.Save(model, data.Schema, directory.File("m.zip"));
        var fresh = new MLContext(seed: 1);
        ITransformer loaded = fresh.Model.Load(directory.File("m.zip"), out _);
        DigitsRow[] rows = [.. context.Data.CreateEnumerable<DigitsRow>(data, reuseRowObject: false).Take(300)];
        Assert.True(rows.Average(r => r.Features.Count(v => v == 0)) > 16, "the rows are not sparse");

        int[] direct = [.. rows.SelectMany(r => Bits(Score(NeuralNetworkModelParameters.FromModel(model), r.Features)))];
        int[] directLoaded = [.. rows.SelectMany(r => Bits(Score(NeuralNetworkModelParameters.FromModel(loaded), r.Features)))];
        IDataView subset = context.Data.TakeRows(data, rows.Length);

        Assert.Equal(direct, directLoaded);
        Assert.Equal(direct, ColumnBits.Singles(model.Transform(subset), "Score"));
        Assert.Equal(direct, ColumnBits.Singles(loaded.Transform(subset), "Score"));
        Assert.Equal(direct, Engine(context, model, rows));
        Assert.Equal(direct, Engine(fresh, loaded, rows));
    }

    [Theory]
    [InlineData(784, 128, 10)]
    [InlineData(20, 1500, 3)] // the hidden layer in the thread's buffer, not on the stack
    public void Score_AfterWarmUp_AllocatesNothing(int inputs, int hidden, int outputs)
    {
        var random = new Random(3);
        NeuralNetworkModelParameters model = RandomModel(NeuralNetworkTask.MulticlassClassification, inputs, hidden, outputs, Activation.Relu, random);
        float[][] rows = [Row(random, inputs, 0), Row(random, inputs, 0.2), Row(random, inputs, 1)];
        float[] scores = new float[outputs];
        for (int i = 0; i < 100; i++)
        {
            model.Score(rows[i % 3], scores);
        }

        // The fewest bytes over several windows of 30 rows: a Score that allocated would spoil every window, while the
        // runtime now and then counts a few kilobytes on this thread (seen once in a dozen full runs, with the other
        // test assembly running beside this one).
        long fewest = long.MaxValue;
        for (int window = 0; window < 10 && fewest > 0; window++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 30; i++)
            {
                model.Score(rows[i % 3], scores);
            }

            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, fewest);
    }

    private static NeuralNetworkModelParameters RandomModel(
        NeuralNetworkTask task, int inputs, int hidden, int outputs, Activation activation, Random random)
    {
        NetworkHead head = task switch
        {
            NeuralNetworkTask.BinaryClassification => NetworkHead.Logistic,
            NeuralNetworkTask.MulticlassClassification => NetworkHead.Softmax,
            _ => NetworkHead.Identity,
        };
        var shape = new NetworkShape(inputs, hidden, outputs, activation, head);
        float[] parameters = new float[shape.ParameterCount];
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] = (float)(((random.NextDouble() * 2) - 1) / Math.Sqrt(Math.Min(inputs, hidden)));
        }

        bool regression = task == NeuralNetworkTask.Regression;
        string[] classes = task == NeuralNetworkTask.MulticlassClassification ? [.. Enumerable.Range(0, outputs).Select(k => $"c{k}")] : [];
        double[] means = regression ? [.. Enumerable.Range(0, outputs).Select(k => 100.0 + k)] : [];
        double[] scales = regression ? [.. Enumerable.Range(0, outputs).Select(k => 3.0 + k)] : [];
        return new NeuralNetworkModelParameters(task, new TwoLayerNetwork(shape, parameters), classes, means, scales, [], 0);
    }

    /// <summary>
    /// The outputs in double precision, and how far a float evaluation may be from them: each float sum of n terms is
    /// off by at most (n + 4)·2⁻²³·Σ|terms|, carried through g (1-Lipschitz, plus its own rounding) and the output layer
    /// by Σ|W2|·error; softmax moves by at most twice the largest logit error, regression by the error times the scale.
    /// </summary>
    private static (double[] Expected, double[] Allowed) Reference(NeuralNetworkModelParameters model, float[] x)
    {
        int inputs = model.InputCount, hidden = model.HiddenSize, outputs = model.OutputCount;
        float[] w1 = model.HiddenWeights.ToArray(), b1 = model.HiddenBiases.ToArray(), w2 = model.OutputWeights.ToArray(), b2 = model.OutputBiases.ToArray();
        double unit1 = (inputs + 4) * Math.Pow(2, -23), unit2 = (hidden + 4) * Math.Pow(2, -23);
        var a = new double[hidden];
        var aError = new double[hidden];
        for (int h = 0; h < hidden; h++)
        {
            double z = b1[h], magnitude = Math.Abs(b1[h]);
            for (int i = 0; i < inputs; i++)
            {
                z += (double)x[i] * w1[(h * inputs) + i];
                magnitude += Math.Abs((double)x[i] * w1[(h * inputs) + i]);
            }

            a[h] = model.HiddenActivation switch
            {
                Activation.Relu => Math.Max(z, 0),
                Activation.Tanh => Math.Tanh(z),
                _ => 1 / (1 + Math.Exp(-z)),
            };
            aError[h] = (unit1 * magnitude) + (Math.Abs(a[h]) * Math.Pow(2, -21));
        }

        var logits = new double[outputs];
        double largestError = 0;
        var logitError = new double[outputs];
        for (int k = 0; k < outputs; k++)
        {
            double z = b2[k], magnitude = Math.Abs(b2[k]), carried = 0;
            for (int h = 0; h < hidden; h++)
            {
                z += a[h] * w2[(k * hidden) + h];
                magnitude += Math.Abs(a[h] * w2[(k * hidden) + h]);
                carried += Math.Abs(w2[(k * hidden) + h]) * aError[h];
            }

            logits[k] = z;
            logitError[k] = carried + (unit2 * magnitude);
            largestError = Math.Max(largestError, logitError[k]);
        }

        switch (model.Task)
        {
            case NeuralNetworkTask.MulticlassClassification:
                double max = logits.Max(), sum = logits.Sum(z => Math.Exp(z - max));
                return ([.. logits.Select(z => Math.Exp(z - max) / sum)], [.. logits.Select(_ => (2 * largestError) + 1e-6)]);
            case NeuralNetworkTask.Regression:
                double[] values = [.. logits.Select((z, k) => (z * model.TargetScales[k]) + model.TargetMeans[k])];
                return (values, [.. values.Select((v, k) => (logitError[k] * model.TargetScales[k]) + (Math.Abs(v) * Math.Pow(2, -22)))]);
            default:
                return (logits, logitError);
        }
    }

    private static float[] Row(Random random, int inputs, double density)
    {
        var x = new float[inputs];
        for (int i = 0; i < inputs; i++)
        {
            x[i] = random.NextDouble() < density ? random.NextSingle() : 0f;
        }

        return x;
    }

    private static int[] Engine(MLContext context, ITransformer model, DigitsRow[] rows)
    {
        using PredictionEngine<DigitsRow, DigitsPrediction> engine = context.Model.CreatePredictionEngine<DigitsRow, DigitsPrediction>(model);
        var prediction = new DigitsPrediction();
        var bits = new List<int>();
        foreach (DigitsRow row in rows)
        {
            engine.Predict(row, ref prediction);
            bits.AddRange(Bits(prediction.Score));
        }

        return [.. bits];
    }

    public sealed class DigitsRow
    {
        [VectorType(64)]
        public float[] Features { get; set; } = [];

        public float Digit { get; set; }
    }

    public sealed class DigitsPrediction
    {
        public float[] Score { get; set; } = [];
    }
}
