using System.Runtime.CompilerServices;
using MLNetFromScratch.Core.Kernels;
using MLNetFromScratch.Core.Training;

namespace MLNetFromScratch;

// Where the rows of one part (kept or held out) go as they are read: targets into a float array of the expected
// size, features into a sparse builder or a dense array of the expected size.
internal static partial class TrainingDataReader
{
    /// <summary>The features and targets of one part of the rows, the features sparse or dense.</summary>
    private sealed class Destination
    {
        private readonly long _expectedRows;
        private readonly int _inputs;
        private readonly int _outputs;
        private SparseRowsBuilder? _sparse;
        private GrowableArray? _dense;

        public Destination(long rows, int inputs, int outputs, bool dense)
        {
            _expectedRows = rows;
            _inputs = inputs;
            _outputs = outputs;
            Targets = new GrowableArray(checked((int)Math.Max(rows * outputs, 1)));
            if (dense)
            {
                _dense = new GrowableArray(checked((int)Math.Max(rows * inputs, 1)));
            }
            else
            {
                _sparse = new SparseRowsBuilder(inputs, (int)Math.Clamp(rows, 0, Array.MaxLength - 1));
            }
        }

        public GrowableArray Targets { get; }

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
            float[] targets = Targets.ToArray();
            bool sparseEnough = NonZeros <= sparseDensity * Rows * _inputs;
            if (_sparse is not null && !sparseEnough)
            {
                ToDense(Rows);
            }

            if (_sparse is not null)
            {
                return new TrainingData(_sparse.Build(), targets, _outputs);
            }

            if (sparseEnough)
            {
                SparseRows sparse = SparseRows.FromDense(_dense!.Items, Rows, _inputs);
                _dense = null;
                return new TrainingData(sparse, targets, _outputs);
            }

            return new TrainingData(_dense!.ToArray(), targets, Rows, _inputs, _outputs);
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
