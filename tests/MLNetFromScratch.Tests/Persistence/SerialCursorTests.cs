using Microsoft.ML;
using Microsoft.ML.Data;
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

    /// <summary>A view whose cursors record the threads that move them.</summary>
    private sealed class ThreadRecordingView(IDataView inner) : IDataView
    {
        private readonly HashSet<int> _threads = [];

        public int[] Threads
        {
            get
            {
                lock (_threads)
                {
                    return [.. _threads];
                }
            }
        }

        public bool CanShuffle => inner.CanShuffle;

        public DataViewSchema Schema => inner.Schema;

        public long? GetRowCount() => inner.GetRowCount();

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
            new Cursor(inner.GetRowCursor(columnsNeeded, rand), this);

        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
            [.. inner.GetRowCursorSet(columnsNeeded, n, rand).Select(c => (DataViewRowCursor)new Cursor(c, this))];

        private void Record()
        {
            lock (_threads)
            {
                _threads.Add(Environment.CurrentManagedThreadId);
            }
        }

        private sealed class Cursor(DataViewRowCursor inner, ThreadRecordingView view) : DataViewRowCursor
        {
            public override DataViewSchema Schema => inner.Schema;

            public override long Position => inner.Position;

            public override long Batch => inner.Batch;

            public override bool MoveNext()
            {
                view.Record();
                return inner.MoveNext();
            }

            public override ValueGetter<DataViewRowId> GetIdGetter() => inner.GetIdGetter();

            public override bool IsColumnActive(DataViewSchema.Column column) => inner.IsColumnActive(column);

            public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => inner.GetGetter<TValue>(column);

            protected override void Dispose(bool disposing)
            {
                if (disposing)
                {
                    inner.Dispose();
                }

                base.Dispose(disposing);
            }
        }
    }
}
