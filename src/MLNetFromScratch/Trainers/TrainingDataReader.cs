using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetFromScratch;

/// <summary>
/// Reads the feature and label columns of an <see cref="IDataView"/> once into dense row-major arrays,
/// checking every value: the network never sees a NaN, an infinity or a label it cannot learn.
/// </summary>
/// <remarks>
/// Rows to be held out (a validation split) go straight into their own arrays as they are read, so the data
/// is held once, never as a whole and then again as its two parts.
/// </remarks>
internal static class TrainingDataReader
{
    /// <summary>Rows read, in the view's order: features (rows, inputs) and targets (rows, outputs), row-major.</summary>
    internal sealed record Block(float[] Features, float[] Targets, int Rows);

    /// <summary>
    /// The rows read: <see cref="Kept"/> and, when some were held out, <see cref="HeldOut"/>, each in the view's
    /// order; <see cref="HeldOutMask"/>[r] tells which of the two holds the view's row r.
    /// </summary>
    internal sealed record Result(Block Kept, Block? HeldOut, bool[]? HeldOutMask, int Inputs, int Outputs)
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
    public static Result Read(
        IDataView data, NeuralNetworkTask task, string labelColumnName, string featureColumnName, int classCount,
        Func<int, bool[]?> holdOut, CancellationToken cancellationToken)
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
        var kept = new Destination(rowCount - heldCount, inputs, outputs);
        Destination? held = heldCount > 0 ? new Destination(heldCount, inputs, outputs) : null;

        using DataViewRowCursor cursor = data.GetRowCursor([features, label]);
        ValueGetter<VBuffer<float>>? vectorGetter = features.Type is VectorDataViewType ? cursor.GetGetter<VBuffer<float>>(features) : null;
        ValueGetter<float>? scalarGetter = vectorGetter is null ? cursor.GetGetter<float>(features) : null;
        Action<long, Span<float>> readLabel = LabelReader(cursor, label, task, outputs);
        VBuffer<float> buffer = default;
        float scalar = 0;
        long row = -1;
        while (cursor.MoveNext())
        {
            row++;
            if ((row & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            Destination to = held is not null && row < mask!.Length && mask[row] ? held : kept;
            Span<float> xr = to.Features.Append(inputs);
            if (vectorGetter is not null)
            {
                vectorGetter(ref buffer);
                buffer.CopyTo(xr);
            }
            else
            {
                scalarGetter!(ref scalar);
                xr[0] = scalar;
            }

            int bad = IndexOfNonFinite(xr);
            if (bad >= 0)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"Feature column '{featureColumnName}' holds {xr[bad]} at row {row}, slot {bad}. The network needs finite values: impute missing values (mlContext.Transforms.Standardize replaces NaN by the mean) or filter those rows."));
            }

            readLabel(row, to.Targets.Append(outputs));
        }

        int rows = checked((int)(row + 1));
        if (rows == 0)
        {
            throw new InvalidDataException("The training data has no rows.");
        }

        Result result = new(kept.ToBlock(), held?.ToBlock(), held is null ? null : mask, inputs, outputs);
        if (rows != rowCount)
        {
            // The view yielded another number of rows than it counted: split the rows as they came, as for any view.
            result = SplitAgain(result, holdOut(rows));
        }

        if (task == NeuralNetworkTask.BinaryClassification)
        {
            CheckBothClasses(result, labelColumnName);
        }

        return result;
    }

    /// <summary>Puts the rows of <paramref name="read"/> back in the view's order and splits them by <paramref name="mask"/>.</summary>
    private static Result SplitAgain(Result read, bool[]? mask)
    {
        if (read.HeldOut is null && mask is null)
        {
            return read;
        }

        int inputs = read.Inputs, outputs = read.Outputs, rows = read.Rows;
        int heldCount = mask?.Count(h => h) ?? 0;
        var kept = new Destination(rows - heldCount, inputs, outputs);
        Destination? held = heldCount > 0 ? new Destination(heldCount, inputs, outputs) : null;
        int fromKept = 0, fromHeld = 0;
        for (int r = 0; r < rows; r++)
        {
            bool wasHeld = read.HeldOutMask is { } old && r < old.Length && old[r];
            Block source = wasHeld ? read.HeldOut! : read.Kept;
            int i = wasHeld ? fromHeld++ : fromKept++;
            Destination to = held is not null && mask![r] ? held : kept;
            source.Features.AsSpan(i * inputs, inputs).CopyTo(to.Features.Append(inputs));
            source.Targets.AsSpan(i * outputs, outputs).CopyTo(to.Targets.Append(outputs));
        }

        return new Result(kept.ToBlock(), held?.ToBlock(), held is null ? null : mask, inputs, outputs);
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

    private static Action<long, Span<float>> LabelReader(DataViewRowCursor cursor, DataViewSchema.Column label, NeuralNetworkTask task, int outputs)
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

            case NeuralNetworkTask.MulticlassClassification:
            {
                ValueGetter<uint> getter = cursor.GetGetter<uint>(label);
                uint key = 0;
                return (row, y) =>
                {
                    getter(ref key);
                    if (key == 0 || key > outputs)
                    {
                        throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                            $"Label column '{name}' holds the missing key at row {row} (a value MapValueToKey did not know when it was fitted); filter those rows or fit the key mapping on all the data."));
                    }

                    y.Clear();
                    y[(int)key - 1] = 1f;
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
        foreach (Block? block in (ReadOnlySpan<Block?>)[result.Kept, result.HeldOut])
        {
            foreach (float t in block?.Targets ?? [])
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

    /// <summary>The features and targets of one part of the rows, each allocated at its expected size.</summary>
    private sealed class Destination(long rows, int inputs, int outputs)
    {
        public GrowableArray Features { get; } = new(checked((int)Math.Max(rows * inputs, 1)));

        public GrowableArray Targets { get; } = new(checked((int)Math.Max(rows * outputs, 1)));

        public Block ToBlock() => new(Features.ToArray(), Targets.ToArray(), Features.Count / inputs);
    }

    /// <summary>A float buffer allocated at its exact final size; it grows by doubling only if a view yields more rows than it counted.</summary>
    private sealed class GrowableArray(int capacity)
    {
        private float[] _items = new float[Math.Max(capacity, 1)];
        private int _count;

        public int Count => _count;

        public Span<float> Append(int length)
        {
            if (_count + length > _items.Length)
            {
                Array.Resize(ref _items, (int)Math.Min(Array.MaxLength, Math.Max((long)_items.Length * 2, (long)_count + length)));
            }

            Span<float> slot = _items.AsSpan(_count, length);
            _count += length;
            return slot;
        }

        public float[] ToArray()
        {
            if (_count != _items.Length)
            {
                Array.Resize(ref _items, _count);
            }

            return _items;
        }
    }
}
