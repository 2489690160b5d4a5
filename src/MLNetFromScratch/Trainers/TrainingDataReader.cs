using System.Runtime.CompilerServices;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFromScratch.Core.Kernels;
using MLNetFromScratch.Core.Training;

namespace MLNetFromScratch;

/// <summary>
/// Reads the feature and label columns of an <see cref="IDataView"/> once into memory, checking every value: the
/// network never sees a NaN, an infinity or a label it cannot learn. Mostly-zero features (pixels, one-hot codes) are
/// held with their zeros left out, compactly encoded (<see cref="SparseRows"/>), the others as dense rows. Multiclass
/// labels are held as one class index a row (<see cref="ClassIndices"/>), never as one-hot float rows.
/// </summary>
/// <remarks>
/// Rows to be held out (a validation split) go straight into their own part as they are read, so the data is held
/// once, never as a whole and then again as its two parts. Every row goes first into the sparse form; after the first
/// 1,024 rows, if more than <see cref="TrainingDefaults.SparseInputDensity"/> of their features are non-zero, the rows
/// so far are decoded into dense arrays of the final size and the rest is read densely. A part whose density at the
/// end is on the other side of the threshold than that guess is converted once, when it is complete.
/// </remarks>
internal static partial class TrainingDataReader
{
    /// <summary>Rows read before the form (dense or sparse) is chosen.</summary>
    internal const int SampleRows = 1024;

    /// <summary>
    /// Rows from which a view is read on two threads, when the trainer may use two: fewer are read in a few
    /// milliseconds, and starting the second thread and handing the rows over would not pay.
    /// </summary>
    internal const int PipelineMinimumRows = 4096;

    /// <summary>
    /// The rows read: <see cref="Kept"/> and, when some were held out, <see cref="HeldOut"/>, each in the view's
    /// order; <see cref="HeldOutMask"/>[r] tells which of the two holds the view's row r.
    /// </summary>
    internal sealed record Result(TrainingData Kept, TrainingData? HeldOut, bool[]? HeldOutMask, int Inputs, int Outputs)
    {
        /// <summary>All the rows read.</summary>
        public int Rows => Kept.Rows + (HeldOut?.Rows ?? 0);
    }

    /// <summary>Reads every row of <paramref name="data"/>.</summary>
    /// <param name="data">The view to read.</param>
    /// <param name="task">Decides how the label is read and checked.</param>
    /// <param name="labelColumnName">The label column.</param>
    /// <param name="featureColumnName">The feature column.</param>
    /// <param name="classCount">Multiclass: the label's key count.</param>
    /// <param name="holdOut">
    /// Given the number of rows, which of them to hold out (a mask of that length), or null to keep them all.
    /// It must depend on the number of rows only: it is asked again when a view yields another number of rows than it counted.
    /// </param>
    /// <param name="cancellationToken">Checked every 1,024 rows.</param>
    /// <param name="threads">
    /// Threads the trainer may use: with two or more, a view of at least <see cref="PipelineMinimumRows"/> rows is read
    /// on two (<see cref="ReadOnTwoThreads"/>), with the same result and the same errors as on one.
    /// </param>
    /// <param name="sparseDensity">Features up to this fraction of non-zeros are held sparse.</param>
    public static Result Read(
        IDataView data, NeuralNetworkTask task, string labelColumnName, string featureColumnName, int classCount,
        Func<int, bool[]?> holdOut, CancellationToken cancellationToken, int threads = 1,
        double sparseDensity = TrainingDefaults.SparseInputDensity)
    {
        DataViewSchema.Column features = data.Schema[featureColumnName];
        DataViewSchema.Column label = data.Schema[labelColumnName];
        int inputs = TrainerSchema.FeatureCount(features.Type);
        int outputs = TrainerSchema.OutputCount(task, label.Type, classCount);
        // One exact allocation per part: a view that does not know its row count is counted first by a cursor with
        // no column active (no value is computed). Growing by doubling would hold up to three copies at once.
        long rowCount = data.GetRowCount() ?? CountRows(data);
        bool[]? mask = rowCount is > 0 and <= int.MaxValue ? holdOut((int)rowCount) : null;
        long heldCount = mask is null ? 0 : mask.Count(h => h);
        bool classes = task == NeuralNetworkTask.MulticlassClassification;
        var kept = new Destination(rowCount - heldCount, inputs, outputs, classes, dense: false);
        Destination? held = heldCount > 0 ? new Destination(heldCount, inputs, outputs, classes, dense: false) : null;

        var parts = new Parts(kept, held, mask, inputs, features.Type is VectorDataViewType, sparseDensity);
        long read;
        using (DataViewRowCursor cursor = data.GetRowCursor([features, label]))
        {
            var reader = new RowReader(cursor, features, label, task, inputs, outputs, cancellationToken);
            read = ReadsOnTwoThreads(threads, rowCount, inputs, outputs)
                ? ReadOnTwoThreads(reader, parts, RowRing.Slots(inputs, outputs))
                : ReadOnOneThread(reader, parts);
        }

        int rows = checked((int)read);
        if (rows == 0)
        {
            throw new InvalidDataException("The training data has no rows.");
        }

        Result result = new(kept.ToData(sparseDensity), held?.ToData(sparseDensity), held is null ? null : mask, inputs, outputs);
        if (rows != rowCount)
        {
            // The view yielded another number of rows than it counted: split the rows as they came, as for any view.
            result = SplitAgain(result, holdOut(rows), sparseDensity);
        }

        if (task == NeuralNetworkTask.BinaryClassification)
        {
            CheckBothClasses(result, labelColumnName);
        }

        return result;
    }

    /// <summary>
    /// Whether the rows are read on two threads: the trainer may use two or more, the view has at least
    /// <see cref="PipelineMinimumRows"/> rows, and its rows are small enough for a ring of a few of them to stay small.
    /// </summary>
    internal static bool ReadsOnTwoThreads(int threads, long rowCount, int inputs, int outputs) =>
        threads > 1 && rowCount >= PipelineMinimumRows && RowRing.Slots(inputs, outputs) >= RowRing.MinimumSlots;

    /// <summary>Reads the rows on the calling thread, each checked and appended before the next is read; returns how many.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long ReadOnOneThread(RowReader reader, Parts parts)
    {
        var row = new Row(reader.TargetCount);
        while (reader.MoveNext())
        {
            reader.ReadFeatures(row);
            parts.AppendFeatures(row);
            reader.ReadLabel(row);
            parts.AppendLabel(row);
        }

        return reader.Row + 1;
    }

    /// <summary>Puts the rows of <paramref name="read"/> back in the view's order and splits them by <paramref name="mask"/>.</summary>
    private static Result SplitAgain(Result read, bool[]? mask, double sparseDensity)
    {
        if (read.HeldOut is null && mask is null)
        {
            return read;
        }

        int inputs = read.Inputs, outputs = read.Outputs, rows = read.Rows;
        int heldCount = mask?.Count(h => h) ?? 0;
        bool dense = read.Kept.SparseFeatures is null, classes = read.Kept.ClassTargets is not null;
        var kept = new Destination(rows - heldCount, inputs, outputs, classes, dense);
        Destination? held = heldCount > 0 ? new Destination(heldCount, inputs, outputs, classes, dense) : null;
        var features = new float[inputs];
        int fromKept = 0, fromHeld = 0;
        for (int r = 0; r < rows; r++)
        {
            bool wasHeld = read.HeldOutMask is { } old && r < old.Length && old[r];
            TrainingData source = wasHeld ? read.HeldOut! : read.Kept;
            int i = wasHeld ? fromHeld++ : fromKept++;
            Destination to = held is not null && mask![r] ? held : kept;
            source.CopyFeatureRow(i, features);
            to.AppendDense(features);
            if (source.ClassTargets is { } sourceClasses)
            {
                to.AppendClass(sourceClasses[i]);
            }
            else
            {
                source.TargetRow(i).CopyTo(to.AppendTargets());
            }
        }

        return new Result(kept.ToData(sparseDensity), held?.ToData(sparseDensity), held is null ? null : mask, inputs, outputs);
    }

    private static long CountRows(IDataView data)
    {
        long count = 0;
        using DataViewRowCursor cursor = data.GetRowCursor([]);
        while (cursor.MoveNext())
        {
            count++;
        }

        return count;
    }

    private static void CheckBothClasses(Result result, string labelColumnName)
    {
        bool positive = false, negative = false;
        foreach (TrainingData? part in (ReadOnlySpan<TrainingData?>)[result.Kept, result.HeldOut])
        {
            foreach (float t in part?.Targets ?? [])
            {
                positive |= t == 1f;
                negative |= t == 0f;
            }
        }

        if (!(positive && negative))
        {
            throw new InvalidDataException(
                $"Label column '{labelColumnName}' holds only {(positive ? "positive" : "negative")} examples; a binary classifier needs both classes.");
        }
    }
}
