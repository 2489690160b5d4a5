using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetFromScratch;

internal static partial class TrainingDataReader
{
    /// <summary>
    /// The reading side: drives the cursor and calls its getters (from one thread, in the view's order, as ML.NET
    /// requires), and checks every value: features finite and as many as the column's type says, labels ones the
    /// network can learn. What it reads goes into a <see cref="Row"/>.
    /// </summary>
    private sealed class RowReader
    {
        private readonly DataViewRowCursor _cursor;
        private readonly ValueGetter<VBuffer<float>>? _vectorGetter;
        private readonly ValueGetter<float>? _scalarGetter;
        private readonly Func<long, int>? _readClass;
        private readonly Action<long, Span<float>>? _readLabel;
        private readonly string _featureColumnName;
        private readonly int _inputs;
        private readonly CancellationToken _cancellationToken;

        /// <param name="cursor">A cursor with the feature and label columns active.</param>
        /// <param name="features">The feature column.</param>
        /// <param name="label">The label column.</param>
        /// <param name="task">Decides how the label is read and checked.</param>
        /// <param name="inputs">Features a row.</param>
        /// <param name="outputs">Targets a row; multiclass: the number of classes.</param>
        /// <param name="cancellationToken">Checked every 1,024 rows.</param>
        public RowReader(
            DataViewRowCursor cursor, DataViewSchema.Column features, DataViewSchema.Column label, NeuralNetworkTask task, int inputs, int outputs,
            CancellationToken cancellationToken)
        {
            _cursor = cursor;
            _featureColumnName = features.Name;
            _inputs = inputs;
            _cancellationToken = cancellationToken;
            _vectorGetter = features.Type is VectorDataViewType ? cursor.GetGetter<VBuffer<float>>(features) : null;
            _scalarGetter = _vectorGetter is null ? cursor.GetGetter<float>(features) : null;
            bool classes = task == NeuralNetworkTask.MulticlassClassification;
            _readClass = classes ? ClassReader(cursor, label, outputs) : null;
            _readLabel = classes ? null : LabelReader(cursor, label, task);
            TargetCount = classes ? 0 : outputs;
        }

        /// <summary>Float targets a row (0 for multiclass labels, read as class indices).</summary>
        public int TargetCount { get; }

        /// <summary>The current row's number in the view's order (-1 before the first).</summary>
        public long Row { get; private set; } = -1;

        /// <summary>Moves to the next row, if any; checks for cancellation every 1,024 rows, the first row included.</summary>
        /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool MoveNext()
        {
            if (!_cursor.MoveNext())
            {
                return false;
            }

            Row++;
            if ((Row & 1023) == 0)
            {
                _cancellationToken.ThrowIfCancellationRequested();
            }

            return true;
        }

        /// <summary>Reads the current row's features into <paramref name="row"/> (and its number) and checks them.</summary>
        /// <exception cref="InvalidDataException">A value is NaN or infinite, or the vector is not as long as its type says.</exception>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void ReadFeatures(Row row)
        {
            row.Number = Row;
            if (_vectorGetter is not null)
            {
                _vectorGetter(ref row.Features);
                ReadOnlySpan<float> values = row.Features.GetValues();
                int bad = IndexOfNonFinite(values);
                if (bad >= 0)
                {
                    throw NonFinite(values[bad], row.Features.IsDense ? bad : row.Features.GetIndices()[bad]);
                }

                if (row.Features.Length != _inputs)
                {
                    throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                        $"Feature column '{_featureColumnName}' holds a vector of {row.Features.Length} values at row {Row}; its type says {_inputs}."));
                }
            }
            else
            {
                _scalarGetter!(ref row.Scalar);
                if (!float.IsFinite(row.Scalar))
                {
                    throw NonFinite(row.Scalar, 0);
                }
            }
        }

        /// <summary>Reads the current row's label into <paramref name="row"/> and checks it.</summary>
        /// <exception cref="InvalidDataException">The label is one the network cannot learn.</exception>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void ReadLabel(Row row)
        {
            if (_readClass is not null)
            {
                row.Class = _readClass(Row);
            }
            else
            {
                _readLabel!(Row, row.Targets);
            }
        }

        private InvalidDataException NonFinite(float value, int slot) =>
            new(string.Create(CultureInfo.InvariantCulture,
                $"Feature column '{_featureColumnName}' holds {value} at row {Row}, slot {slot}. The network needs finite values: impute missing values (mlContext.Transforms.Standardize replaces NaN by the mean) or filter those rows."));

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
    }
}
