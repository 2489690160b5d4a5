using Microsoft.ML;

namespace MLNetFromScratch.Persistence;

/// <summary>
/// The view <see cref="ChainBackedTransformer.Transform"/> returns: the inner chain's view, whose single cursor reads
/// the rows on the calling thread.
/// </summary>
/// <remarks>
/// Asked for one cursor, ML.NET's row-mapping stages split the rows over worker threads and merge them back in order
/// (two workers and the consumer, on any machine with up to three cores) whenever a stage adds a column that is
/// read. For our stages, a few microseconds a row, the hand-offs cost more than the parallel work saves: on two cores
/// iterating MNIST's scores that way took about 1.5x the time of one thread, with megabytes of buffers a cursor.
/// So a single cursor here is the inner view's cursor set of one, which runs every stage on the consumer's thread.
/// A consumer that asks for a cursor set (an evaluator, a stage appended after ours) still gets the split it asks for.
/// </remarks>
internal sealed class SerialCursorDataView(IDataView inner) : IDataView
{
    public bool CanShuffle => inner.CanShuffle;

    public DataViewSchema Schema => inner.Schema;

    public long? GetRowCount() => inner.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        DataViewRowCursor[] set = inner.GetRowCursorSet(columnsNeeded, 1, rand);
        if (set is [DataViewRowCursor only])
        {
            return only;
        }

        // A view that splits even when asked for one cursor: its own single cursor instead.
        foreach (DataViewRowCursor cursor in set)
        {
            cursor.Dispose();
        }

        return inner.GetRowCursor(columnsNeeded, rand);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        inner.GetRowCursorSet(columnsNeeded, n, rand);
}
