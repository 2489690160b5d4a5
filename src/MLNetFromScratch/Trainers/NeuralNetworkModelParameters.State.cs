using MLNetFromScratch.Core.Network;
using MLNetFromScratch.Core.Training;
using MLNetFromScratch.Persistence;

namespace MLNetFromScratch;

public sealed partial class NeuralNetworkModelParameters
{
    /// <summary>The kind name of a network's saved state; part of the model file format.</summary>
    internal const string StateKind = "MLNetFromScratch.NeuralNetwork";

    /// <summary>The newest state format this assembly writes and reads; older ones stay readable.</summary>
    internal const int StateVersion = 1;

    /// <summary>The largest hidden or output count a saved state may declare, against hand-edited files.</summary>
    private const int MaxLayerSize = 1 << 24;

    /// <summary>Encodes everything needed to score and to describe the network as state text.</summary>
    internal string ToStateText()
    {
        NetworkShape s = _network.Shape;
        // The weights are encoded from the network's own array (borrowed, not copied into the writer).
        var writer = new StatePayloadWriter(expectedLength: (64 * _classNames.Length) + (48 * _history.Length) + 1024);
        writer.WriteInt32((int)Task);
        writer.WriteInt32(s.Inputs);
        writer.WriteInt32(s.Hidden);
        writer.WriteInt32(s.Outputs);
        writer.WriteInt32((int)s.HiddenActivation);
        writer.WriteSinglesBorrowed(_network.Parameters);
        writer.WriteInt32(_classNames.Length);
        foreach (string name in _classNames)
        {
            writer.WriteString(name);
        }

        writer.WriteDoubles(_targetMeans);
        writer.WriteDoubles(_targetScales);
        writer.WriteInt32(BestEpoch);
        writer.WriteInt32(_history.Length);
        foreach (EpochReport r in _history)
        {
            writer.WriteInt32(r.Epoch);
            writer.WriteDouble(r.TrainingLoss);
            writer.WriteDouble(r.ValidationLoss ?? double.NaN);
            writer.WriteDouble(r.ValidationMetric ?? double.NaN);
            writer.WriteSingle(r.LearningRate);
            writer.WriteInt64(r.Elapsed.Ticks);
        }

        return writer.ToStateText(StateKind, StateVersion);
    }

    /// <summary>Decodes state text, checking every size against the others and against the text's length.</summary>
    /// <exception cref="InvalidDataException">The text is damaged or not a network's state.</exception>
    internal static NeuralNetworkModelParameters FromStateText(ReadOnlyMemory<char> text)
    {
        StatePayloadReader reader = StateCodec.Decode(text.Span, StateKind, StateVersion).CreateReader();
        var task = (NeuralNetworkTask)reader.ReadInt32();
        int inputs = reader.ReadInt32(), hidden = reader.ReadInt32(), outputs = reader.ReadInt32();
        var activation = (Activation)reader.ReadInt32();
        if (!Enum.IsDefined(task) || !Enum.IsDefined(activation)
            || inputs < 1 || hidden < 1 || outputs < 1 || hidden > MaxLayerSize || outputs > MaxLayerSize
            || (task == NeuralNetworkTask.BinaryClassification && outputs != 1))
        {
            throw new InvalidDataException($"The saved network declares an impossible shape ({task}, {inputs}-{hidden}-{outputs}, {activation}).");
        }

        NetworkHead head = task switch
        {
            NeuralNetworkTask.BinaryClassification => NetworkHead.Logistic,
            NeuralNetworkTask.MulticlassClassification => NetworkHead.Softmax,
            _ => NetworkHead.Identity,
        };
        NetworkShape shape;
        try
        {
            shape = new NetworkShape(inputs, hidden, outputs, activation, head);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new InvalidDataException($"The saved network declares an impossible shape: {e.Message}", e);
        }

        float[] parameters = reader.ReadSingles();
        if (parameters.Length != shape.ParameterCount)
        {
            throw new InvalidDataException(
                $"The saved network declares a {inputs}-{hidden}-{outputs} shape ({shape.ParameterCount} parameters) but holds {parameters.Length}.");
        }

        var classNames = new string[reader.ReadCount(4, "class names")];
        for (int i = 0; i < classNames.Length; i++)
        {
            classNames[i] = reader.ReadString();
        }

        double[] means = reader.ReadDoubles();
        double[] scales = reader.ReadDoubles();
        if ((task == NeuralNetworkTask.Regression && (means.Length != outputs || scales.Length != outputs))
            || (task == NeuralNetworkTask.MulticlassClassification && classNames.Length != outputs))
        {
            throw new InvalidDataException("The saved network's class names or target scaling do not match its output count.");
        }

        int bestEpoch = reader.ReadInt32();
        var history = new EpochReport[reader.ReadCount(36, "epoch reports")];
        for (int i = 0; i < history.Length; i++)
        {
            int epoch = reader.ReadInt32();
            double loss = reader.ReadDouble(), validationLoss = reader.ReadDouble(), metric = reader.ReadDouble();
            float rate = reader.ReadSingle();
            long ticks = reader.ReadInt64();
            history[i] = new EpochReport(
                epoch, loss, double.IsNaN(validationLoss) ? null : validationLoss, double.IsNaN(metric) ? null : metric, rate,
                TimeSpan.FromTicks(Math.Max(ticks, 0)));
        }

        reader.EnsureEnd();
        return new NeuralNetworkModelParameters(task, new TwoLayerNetwork(shape, parameters), classNames, means, scales, history, bestEpoch);
    }
}
