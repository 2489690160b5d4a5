using Microsoft.ML.Data;

namespace MLNetFromScratch;

internal static partial class TrainingDataReader
{
    /// <summary>
    /// One row of the view as read and checked by <see cref="RowReader"/>, to be appended by <see cref="Parts"/>: its
    /// features in a buffer of its own (the feature getter writes into it, no copy), and its label.
    /// </summary>
    /// <remarks>On two threads, each row of the ring (<see cref="RowRing"/>) is one of these, filled again and again.</remarks>
    private sealed class Row(int outputs)
    {
        /// <summary>The row's number in the view's order, from 0.</summary>
        public long Number;

        /// <summary>A vector feature column's values (the getter's buffer, reused from row to row).</summary>
        public VBuffer<float> Features;

        /// <summary>A scalar feature column's value.</summary>
        public float Scalar;

        /// <summary>Multiclass: the class index.</summary>
        public int Class;

        /// <summary>Binary and regression: the float targets; empty for multiclass labels.</summary>
        public readonly float[] Targets = new float[outputs];

        /// <summary>On two threads: false when reading the label failed (the features were read; the error follows).</summary>
        public bool LabelRead;
    }
}
