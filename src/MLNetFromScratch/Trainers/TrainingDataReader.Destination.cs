using System.Runtime.CompilerServices;
using MLNetFromScratch.Core.Kernels;
using MLNetFromScratch.Core.Training;

namespace MLNetFromScratch;

// Where the rows of one part (kept or held out) go as they are read: targets into a float array of the expected
// size (class indices for multiclass labels), features into a sparse builder or a dense array of the expected size.
internal static partial class TrainingDataReader
{
    /// <summary>The features and targets of one part of the rows, the features sparse or dense.</summary>
    private sealed class Destination
    {
        private readonly long _expectedRows;
        private readonly int _inputs;
        private readonly int _outputs;
        private readonly GrowableArray? _targets;
        private ClassIndices? _classes;
        private int _classRows;
        private SparseRowsBuilder? _sparse;
        private GrowableArray? _dense;

        /// <param name="rows">The rows expected.</param>
        /// <param name="inputs">Features a row.</param>
        /// <param name="outputs">Targets a row; with <paramref name="classes"/>, the number of classes.</param>
        /// <param name="classes">The targets come as class indices (<see cref="AppendClass"/>), else as float rows (<see cref="AppendTargets"/>).</param>
        /// <param name="dense">The features are held dense from the start.</param>
        public Destination(long rows, int inputs, int outputs, bool classes, bool dense)
        {
            _expectedRows = rows;
            _inputs = inputs;
            _outputs = outputs;
            if (classes)
            {
                _classes = new ClassIndices((int)Math.Clamp(rows, 0, Array.MaxLength), outputs);
            }
            else
            {
                _targets = new GrowableArray(checked((int)Math.Max(rows * outputs, 1)));
            }

            if (dense)
            {
                _dense = new GrowableArray(checked((int)Math.Max(rows * inputs, 1)));
            }
            else
            {
                _sparse = new SparseRowsBuilder(inputs, (int)Math.Clamp(rows, 0, Array.MaxLength - 1));
            }
        }

        /// <summary>The next row's float targets, to be written (outputs values).</summary>
        public Span<float> AppendTargets() => _targets!.Append(_outputs);

        /// <summary>Appends the next row's class index; the indices grow by doubling only if a view yields more rows than it counted.</summary>
        public void AppendClass(int index)
        {
            if (_classRows == _classes!.Count)
            {
                _classes = Resized(_classes, (int)Math.Min(Array.MaxLength, Math.Max(2L * _classRows, 1)));
            }

            _classes[_classRows++] = index;
        }

        /// <summary>Rows appended.</summary>
        public int Rows { get; private set; }

        /// <summary>Non-zero features appended.</summary>
        public long NonZeros { get; private set; }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void AppendDense(ReadOnlySpan<float> values)
        {
            if (_sparse is not null)
            {
                int before = _sparse.Count;
                _sparse.AppendDense(values);
                NonZeros += _sparse.Count - before;
            }
            else
            {
                values.CopyTo(_dense!.Append(_inputs));
                NonZeros += SparseRows.CountNonZeros(values);
            }

            Rows++;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void AppendSparse(ReadOnlySpan<int> indices, ReadOnlySpan<float> values)
        {
            if (_sparse is not null)
            {
                int before = _sparse.Count;
                _sparse.AppendSparse(indices, values);
                NonZeros += _sparse.Count - before;
            }
            else
            {
                Span<float> row = _dense!.Append(_inputs);
                row.Clear();
                for (int k = 0; k < indices.Length; k++)
                {
                    row[indices[k]] = values[k];
                }

                NonZeros += SparseRows.CountNonZeros(values);
            }

            Rows++;
        }

        /// <summary>From now on, dense: the rows so far are decoded into an array of the expected size.</summary>
        public void ToDense() => ToDense(Math.Max(_expectedRows, Rows));

        private void ToDense(long rows)
        {
            if (_sparse is null)
            {
                return;
            }

            SparseRows sparse = _sparse.Build();
            _sparse = null;
            _dense = new GrowableArray(checked((int)Math.Max(rows * _inputs, 1)));
            for (int r = 0; r < sparse.Rows; r++)
            {
                sparse.CopyRowTo(r, _dense.Append(_inputs));
            }
        }

        /// <summary>The part as training data, converted once to the other form when its density is on the other side of the threshold.</summary>
        public TrainingData ToData(double sparseDensity)
        {
            ClassIndices? classes = _classes is null ? null : _classRows == _classes.Count ? _classes : Resized(_classes, _classRows);
            float[]? targets = _targets?.ToArray();
            bool sparseEnough = NonZeros <= sparseDensity * Rows * _inputs;
            if (_sparse is not null && !sparseEnough)
            {
                ToDense(Rows);
            }

            if (_sparse is not null || sparseEnough)
            {
                SparseRows sparse = _sparse?.Build() ?? SparseRows.FromDense(_dense!.Items, Rows, _inputs);
                _dense = null;
                return classes is not null ? new TrainingData(sparse, classes) : new TrainingData(sparse, targets!, _outputs);
            }

            float[] features = _dense!.ToArray();
            return classes is not null ? new TrainingData(features, classes, Rows, _inputs) : new TrainingData(features, targets!, Rows, _inputs, _outputs);
        }

        /// <summary>A copy of the first rows of <paramref name="classes"/>, <paramref name="count"/> rows long (class 0 past the end).</summary>
        private static ClassIndices Resized(ClassIndices classes, int count)
        {
            var resized = new ClassIndices(count, classes.Classes);
            for (int r = 0; r < Math.Min(count, classes.Count); r++)
            {
                resized[r] = classes[r];
            }

            return resized;
        }
    }

    /// <summary>A float buffer allocated at its exact final size; it grows by doubling only if a view yields more rows than it counted.</summary>
    private sealed class GrowableArray(int capacity)
    {
        private float[] _items = new float[Math.Max(capacity, 1)];
        private int _count;

        public int Count => _count;

        /// <summary>The values appended.</summary>
        public ReadOnlySpan<float> Items => _items.AsSpan(0, _count);

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
