using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace MLNetFromScratch;

internal static partial class TrainingDataReader
{
    /// <summary>
    /// Reads the rows on two threads, with the result and the errors of <see cref="ReadOnOneThread"/>: the calling
    /// thread drives the cursor and checks the values (<see cref="RowReader"/>) while a thread of its own appends the
    /// rows to their parts (<see cref="Parts"/>) in the view's order, the rows passing from one to the other through a
    /// ring of a few (<see cref="RowRing"/>). Returns how many rows were read.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The first error in the view's order wins, whichever thread meets it. The appending thread gets only the rows
    /// read before the row the calling thread failed on, and that row's features when only its label failed (on one
    /// thread, they are appended before the label is read): an error of the appending thread is always the earlier
    /// one, and is thrown in place of the calling thread's. Exceptions are rethrown as they were thrown, never wrapped.
    /// The appending thread has ended when this returns or throws.
    /// </para>
    /// <para>
    /// The appending thread is started here, not taken from the thread pool, whose threads Fit may be waiting on
    /// (it fits the scoring stages there meanwhile, and may itself run on one, as in a grid search), nor from
    /// the trainer's <c>ComputeContext</c>, which runs the chunks of a call one after the other on the calling thread
    /// when its helpers are busy or it has none: the reading chunk would then wait forever for the appending one.
    /// Starting and joining a thread takes about a tenth of a millisecond.
    /// </para>
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long ReadOnTwoThreads(RowReader reader, Parts parts, int slots)
    {
        using var ring = new RowRing(slots, reader.TargetCount);
        ExceptionDispatchInfo? appendError = null;
        var appender = new Thread(() => appendError = AppendAll(ring, parts)) { IsBackground = true, Name = "MLNetFromScratch training data" };
        appender.Start();
        try
        {
            while (ring.NextToFill() is { } row && reader.MoveNext())
            {
                reader.ReadFeatures(row);
                row.LabelRead = false;
                try
                {
                    reader.ReadLabel(row);
                    row.LabelRead = true;
                }
                finally
                {
                    ring.Filled(); // a row whose label failed too: its features are appended before the error is thrown
                }
            }
        }
        catch
        {
            ring.Complete();
            appender.Join();
            appendError?.Throw();
            throw;
        }

        ring.Complete();
        appender.Join();
        appendError?.Throw();
        return reader.Row + 1;
    }

    /// <summary>The appending thread: appends the rows of the ring until it is complete; returns what it threw, if anything.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ExceptionDispatchInfo? AppendAll(RowRing ring, Parts parts)
    {
        try
        {
            while (ring.NextToTake() is { } row)
            {
                parts.AppendFeatures(row);
                if (!row.LabelRead)
                {
                    return null; // the calling thread throws the label's error
                }

                parts.AppendLabel(row);
                ring.Taken();
            }

            return null;
        }
        catch (Exception e)
        {
            ring.Stop();
            return ExceptionDispatchInfo.Capture(e);
        }
    }
}
