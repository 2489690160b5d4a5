using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MLNetFromScratch.Core.Network;
using MLNetFromScratch.Core.Preprocessing;
using MLNetFromScratch.Core.Training;
using MLNetFromScratch.Persistence;

namespace MLNetFromScratch;

public sealed partial class NeuralNetworkTrainer
{
    private NeuralNetworkModelParameters Train(TrainingDataReader.Result data, int seed, string[] classNames)
    {
        NetworkHead head = Task switch
        {
            NeuralNetworkTask.BinaryClassification => NetworkHead.Logistic,
            NeuralNetworkTask.MulticlassClassification => NetworkHead.Softmax,
            _ => NetworkHead.Identity,
        };
        var shape = new NetworkShape(data.Inputs, _options.HiddenSize, data.Outputs, _options.HiddenActivation, head);
        (double[] means, double[] scales) = TargetScaling(data);
        TrainingData train = data.Kept;
        TrainingData? validation = data.HeldOut;

        // Epoch lines go to this trainer's own context: ML.NET keeps the user's context out of a catalog's reach.
        using IChannel channel = ((IChannelProvider)_context).Start("NeuralNetwork");
        channel.Info(MessageSensitivity.None, $"Training a {shape.Inputs}-{shape.Hidden}-{shape.Outputs} network ({_options.HiddenActivation}, {_options.Optimizer}) on {train.Rows} rows"
            + (validation is null ? "." : $", validating on {validation.Rows}."));
        TrainingSettings settings = _options.Clone();
        IProgress<EpochReport>? userProgress = _options.Progress;
        settings.Progress = new LoggingProgress(channel, userProgress, Task);

        TrainingResult result = NetworkTrainer.Train(shape, train, validation, settings, seed, _options.CancellationToken);
        return new NeuralNetworkModelParameters(Task, result.Network, classNames, means, scales, [.. result.History], result.BestEpoch);
    }

    /// <summary>Regression: standardizes the targets in place when asked; returns the means and scales to undo it.</summary>
    private (double[] Means, double[] Scales) TargetScaling(TrainingDataReader.Result data)
    {
        if (Task != NeuralNetworkTask.Regression)
        {
            return ([], []);
        }

        int k = data.Outputs;
        var means = new double[k];
        var scales = new double[k];
        Array.Fill(scales, 1.0);
        if (!_options.StandardizeTargets)
        {
            return (means, scales);
        }

        // The statistics are accumulated in the view's order, whichever part holds a row. Regression targets are
        // held as floats (only multiclass labels are held as class indices).
        var statistics = new RunningMeanVariance(k);
        int kept = 0, held = 0;
        for (int r = 0; r < data.Rows; r++)
        {
            statistics.Add(data.HeldOutMask is { } mask && mask[r]
                ? data.HeldOut!.TargetRow(held++)
                : data.Kept.TargetRow(kept++));
        }

        for (int j = 0; j < k; j++)
        {
            means[j] = statistics.Mean(j);
            double sd = statistics.StandardDeviation(j);
            scales[j] = sd > 0 ? sd : 1.0;
        }

        foreach (float[] targets in (ReadOnlySpan<float[]>)[data.Kept.Targets!, data.HeldOut?.Targets ?? []])
        {
            for (int i = 0; i < targets.Length; i++)
            {
                int j = i % k;
                targets[i] = (float)((targets[i] - means[j]) / scales[j]);
            }
        }

        return (means, scales);
    }

    /// <summary>
    /// Which of <paramref name="rows"/> rows to hold out for validation: a seeded random <paramref name="fraction"/>
    /// of them (at least one, leaving at least one), or null when <paramref name="fraction"/> is 0 or there is one row.
    /// </summary>
    internal static bool[]? HoldOutMask(int rows, float fraction, int seed)
    {
        if (fraction <= 0f || rows < 2)
        {
            return null;
        }

        int held = Math.Clamp((int)Math.Round(rows * (double)fraction), 1, rows - 1);
        var order = new int[rows];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        new Rng(unchecked(seed ^ 0x5EED)).Shuffle(order);
        var mask = new bool[rows];
        foreach (int row in order.AsSpan(0, held))
        {
            mask[row] = true;
        }

        return mask;
    }

    /// <summary>The label's key values as text (for reports) and as typed values (for the predicted key column).</summary>
    private string[] ClassNames(DataViewSchema.Column label, int classCount, out IReadOnlyList<object> values)
    {
        values = [];
        if (Task != NeuralNetworkTask.MulticlassClassification)
        {
            return [];
        }

        values = KeyValues(label, classCount);
        return [.. values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "")];
    }

    private static object[] KeyValues(DataViewSchema.Column label, int classCount)
    {
        if (label.HasKeyValues())
        {
            DataViewType itemType = label.Annotations.Schema["KeyValues"].Type is VectorDataViewType v ? v.ItemType : TextDataViewType.Instance;
            object[]? typed = itemType.RawType switch
            {
                Type t when t == typeof(ReadOnlyMemory<char>) => Read<ReadOnlyMemory<char>>(label, m => m.ToString()),
                Type t when t == typeof(float) => Read<float>(label, x => x),
                Type t when t == typeof(double) => Read<double>(label, x => x),
                Type t when t == typeof(int) => Read<int>(label, x => x),
                Type t when t == typeof(long) => Read<long>(label, x => x),
                Type t when t == typeof(uint) => Read<uint>(label, x => (long)x),
                Type t when t == typeof(ulong) => Read<ulong>(label, x => (long)x),
                Type t when t == typeof(bool) => Read<bool>(label, x => x),
                _ => null,
            };
            if (typed is not null && typed.Length == classCount && typed.Distinct().Count() == classCount)
            {
                return typed;
            }
        }

        // No (usable) key values: the classes are named by their 0-based index.
        return [.. Enumerable.Range(0, classCount).Select(i => (object)i.ToString(CultureInfo.InvariantCulture))];
    }

    private static object[] Read<T>(DataViewSchema.Column label, Func<T, object> convert)
    {
        VBuffer<T> buffer = default;
        label.GetKeyValues<T>(ref buffer);
        return [.. buffer.DenseValues().Select(convert)];
    }

    /// <summary>Writes a line per epoch to the context's log and forwards the report to the user's callback.</summary>
    private sealed class LoggingProgress(IChannel channel, IProgress<EpochReport>? user, NeuralNetworkTask task) : IProgress<EpochReport>
    {
        public void Report(EpochReport value)
        {
            string metric = task == NeuralNetworkTask.Regression ? "R²" : "accuracy";
            string validation = value.ValidationLoss is { } v
                ? string.Create(CultureInfo.InvariantCulture, $", validation loss {v:G5}, validation {metric} {value.ValidationMetric:G4}")
                : "";
            channel.Info(MessageSensitivity.None, string.Create(
                CultureInfo.InvariantCulture, $"Epoch {value.Epoch}: loss {value.TrainingLoss:G5}{validation}, {value.Elapsed.TotalSeconds:F2} s"));
            user?.Report(value);
        }
    }
}
