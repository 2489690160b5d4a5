using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
    /// <param name="sparseDensity">Features up to this fraction of non-zeros are held sparse.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Result Read(
        IDataView data, NeuralNetworkTask task, string labelColumnName, string featureColumnName, int classCount,
        Func<int, bool[]?> holdOut, CancellationToken cancellationToken, double sparseDensity = TrainingDefaults.SparseInputDensity)
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

        using DataViewRowCursor cursor = data.GetRowCursor([features, label]);
        ValueGetter<VBuffer<float>>? vectorGetter = features.Type is VectorDataViewType ? cursor.GetGetter<VBuffer<float>>(features) : null;
        ValueGetter<float>? scalarGetter = vectorGetter is null ? cursor.GetGetter<float>(features) : null;
        Func<long, int>? readClass = classes ? ClassReader(cursor, label, outputs) : null;
        Action<long, Span<float>>? readLabel = classes ? null : LabelReader(cursor, label, task);
        VBuffer<float> buffer = default;
        var scalar = new float[1];
        long row = -1;
        while (cursor.MoveNext())
        {
            row++;
            if ((row & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            Destination to = held is not null && row < mask!.Length && mask[row] ? held : kept;
            if (vectorGetter is not null)
            {
                vectorGetter(ref buffer);
                ReadOnlySpan<float> values = buffer.GetValues();
                ReadOnlySpan<int> indices = buffer.IsDense ? default : buffer.GetIndices();
                int bad = IndexOfNonFinite(values);
                if (bad >= 0)
                {
                    throw NonFinite(featureColumnName, values[bad], row, buffer.IsDense ? bad : indices[bad]);
                }

                if (buffer.Length != inputs)
                {
                    throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                        $"Feature column '{featureColumnName}' holds a vector of {buffer.Length} values at row {row}; its type says {inputs}."));
                }

                if (buffer.IsDense)
                {
                    to.AppendDense(values);
                }
                else
                {
                    to.AppendSparse(indices, values);
                }
            }
            else
            {
                scalarGetter!(ref scalar[0]);
                if (!float.IsFinite(scalar[0]))
                {
                    throw NonFinite(featureColumnName, scalar[0], row, 0);
                }

                to.AppendDense(scalar);
            }

            if (readClass is not null)
            {
                to.AppendClass(readClass(row));
            }
            else
            {
                readLabel!(row, to.AppendTargets());
            }

            if (row + 1 == SampleRows)
            {
                ChooseForm(kept, held, row + 1, inputs, sparseDensity);
            }
        }

        int rows = checked((int)(row + 1));
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

    /// <summary>After the first rows: when they are too dense to be held sparse, both parts go dense from here on.</summary>
    private static void ChooseForm(Destination kept, Destination? held, long rows, int inputs, double sparseDensity)
    {
        long nonZeros = kept.NonZeros + (held?.NonZeros ?? 0);
        if (nonZeros > sparseDensity * rows * inputs)
        {
            kept.ToDense();
            held?.ToDense();
        }
    }

    private static InvalidDataException NonFinite(string featureColumnName, float value, long row, int slot) =>
        new(string.Create(CultureInfo.InvariantCulture,
            $"Feature column '{featureColumnName}' holds {value} at row {row}, slot {slot}. The network needs finite values: impute missing values (mlContext.Transforms.Standardize replaces NaN by the mean) or filter those rows."));

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

    /// <summary>The first slot holding NaN or an infinity (all exponent bits set), or -1; a vector of slots at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int IndexOfNonFinite(ReadOnlySpan<float> values)
    {
        ReadOnlySpan<int> bits = MemoryMarshal.Cast<float, int>(values);
        const int Exponent = 0x7F80_0000;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var exponent = new Vector<int>(Exponent);
            for (; i <= bits.Length - Vector<int>.Count; i += Vector<int>.Count)
            {
                if (Vector.EqualsAny(new Vector<int>(bits[i..]) & exponent, exponent))
                {
                    break;
                }
            }
        }

        for (; i < bits.Length; i++)
        {
            if ((bits[i] & Exponent) == Exponent)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Reads a multiclass label: its key (1-based) as a class index in [0, <paramref name="classCount"/>).</summary>
    private static Func<long, int> ClassReader(DataViewRowCursor cursor, DataViewSchema.Column label, int classCount)
    {
        string name = label.Name;
        ValueGetter<uint> getter = cursor.GetGetter<uint>(label);
        uint key = 0;
        return row =>
        {
            getter(ref key);
            if (key == 0 || key > classCount)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"Label column '{name}' holds the missing key at row {row} (a value MapValueToKey did not know when it was fitted); filter those rows or fit the key mapping on all the data."));
            }

            return (int)key - 1;
        };
    }

    /// <summary>Reads a binary or regression label into its float targets.</summary>
    private static Action<long, Span<float>> LabelReader(DataViewRowCursor cursor, DataViewSchema.Column label, NeuralNetworkTask task)
    {
        string name = label.Name;
        DataViewType type = label.Type;
        switch (task)
        {
            case NeuralNetworkTask.BinaryClassification when type is BooleanDataViewType:
            {
                ValueGetter<bool> getter = cursor.GetGetter<bool>(label);
                bool value = false;
                return (_, y) =>
                {
                    getter(ref value);
                    y[0] = value ? 1f : 0f;
                };
            }

            case NeuralNetworkTask.BinaryClassification:
            {
                ValueGetter<float> getter = cursor.GetGetter<float>(label);
                float value = 0;
                return (row, y) =>
                {
                    getter(ref value);
                    if (value is not (0f or 1f))
                    {
                        throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                            $"Label column '{name}' holds {value} at row {row}; a binary label must be 0 or 1 (or Boolean)."));
                    }

                    y[0] = value;
                };
            }

            default:
            {
                bool vector = type is VectorDataViewType;
                ValueGetter<VBuffer<float>>? vectorGetter = vector ? cursor.GetGetter<VBuffer<float>>(label) : null;
                ValueGetter<float>? scalarGetter = vector ? null : cursor.GetGetter<float>(label);
                VBuffer<float> buffer = default;
                float value = 0;
                return (row, y) =>
                {
                    if (vectorGetter is not null)
                    {
                        vectorGetter(ref buffer);
                        buffer.CopyTo(y);
                    }
                    else
                    {
                        scalarGetter!(ref value);
                        y[0] = value;
                    }

                    for (int k = 0; k < y.Length; k++)
                    {
                        if (!float.IsFinite(y[k]))
                        {
                            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                                $"Label column '{name}' holds {y[k]} at row {row}{(vector ? $", slot {k}" : "")}; regression targets must be finite."));
                        }
                    }
                };
            }
        }
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
