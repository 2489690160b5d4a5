using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFromScratch.Tests.Infrastructure;
using MLNetFromScratch.Tests.Trainers;

namespace MLNetFromScratch.Tests.Persistence;

/// <summary>
/// A single cursor over a fitted model's <c>Transform</c> reads the input on the consumer's thread (ML.NET's stages would
/// otherwise split the rows over worker threads), and gives the same rows as the cursor set a consumer may ask for.
/// </summary>
public sealed class SerialCursorTests
{
    [Fact]
    public void Transform_OneCursor_ReadsTheInputOnTheCallingThreadWithTheSameScores()
    {
        var context = new MLContext(seed: 1);
        IDataView data = context.Transforms.Conversion.MapValueToKey("Label", "Species").Fit(TrainerData.Iris(context)).Transform(TrainerData.Iris(context));
        NeuralNetworkPredictionTransformer model = context.MulticlassClassification.Trainers
            .NeuralNetwork(new NeuralNetworkOptions { HiddenSize = 8, Epochs = 5, Seed = 1 }).Fit(data);
        var recording = new ThreadRecordingView(data);

        IDataView scored = model.Transform(recording);
        var scores = new List<float[]>();
        using (DataViewRowCursor cursor = scored.GetRowCursor([scored.Schema["Score"], scored.Schema["PredictedLabel"]]))
        {
            ValueGetter<VBuffer<float>> score = cursor.GetGetter<VBuffer<float>>(scored.Schema["Score"]);
            VBuffer<float> buffer = default;
            while (cursor.MoveNext())
            {
                score(ref buffer);
                scores.Add(buffer.DenseValues().ToArray());
            }
        }

        Assert.Equal(150, scores.Count);
        Assert.Equal([Environment.CurrentManagedThreadId], recording.Threads);
        float[][] fromSet = [.. context.Data.CreateEnumerable<ScoreRow>(model.Transform(data), reuseRowObject: false).Select(r => r.Score)];
        Assert.Equal(fromSet.Select(s => s.Select(BitConverter.SingleToInt32Bits)), scores.Select(s => s.Select(BitConverter.SingleToInt32Bits)));
    }

    private sealed class ScoreRow
    {
        public float[] Score { get; set; } = [];
    }
}
