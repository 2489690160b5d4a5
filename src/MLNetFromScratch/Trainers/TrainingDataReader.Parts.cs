using System.Runtime.CompilerServices;

namespace MLNetFromScratch;

internal static partial class TrainingDataReader
{
    /// <summary>
    /// The appending side: each row read goes to its part (kept, or held out when the mask says so), in the view's
    /// order; after the first <see cref="SampleRows"/> rows, both parts take the form (dense or sparse) those rows call for.
    /// </summary>
    private sealed class Parts(Destination kept, Destination? held, bool[]? mask, int inputs, bool vectorFeatures, double sparseDensity)
    {
        /// <summary>Appends the features of <paramref name="row"/> to its part.</summary>
        /// <exception cref="ArgumentException">A sparse vector's indices do not ascend strictly within the vector.</exception>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void AppendFeatures(Row row)
        {
            Destination to = For(row.Number);
            if (!vectorFeatures)
            {
                to.AppendDense(new ReadOnlySpan<float>(in row.Scalar));
            }
            else if (row.Features.IsDense)
            {
                to.AppendDense(row.Features.GetValues());
            }
            else
            {
                to.AppendSparse(row.Features.GetIndices(), row.Features.GetValues());
            }
        }

        /// <summary>Appends the label of <paramref name="row"/> to its part; after the sample rows, chooses the form.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void AppendLabel(Row row)
        {
            Destination to = For(row.Number);
            if (row.Targets.Length == 0) // multiclass
            {
                to.AppendClass(row.Class);
            }
            else
            {
                row.Targets.CopyTo(to.AppendTargets());
            }

            if (row.Number + 1 == SampleRows)
            {
                ChooseForm(row.Number + 1);
            }
        }

        private Destination For(long row) => held is not null && row < mask!.Length && mask[row] ? held : kept;

        /// <summary>After the first rows: when they are too dense to be held sparse, both parts go dense from here on.</summary>
        private void ChooseForm(long rows)
        {
            long nonZeros = kept.NonZeros + (held?.NonZeros ?? 0);
            if (nonZeros > sparseDensity * rows * inputs)
            {
                kept.ToDense();
                held?.ToDense();
            }
        }
    }
}
