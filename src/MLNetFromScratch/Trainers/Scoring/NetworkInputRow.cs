using Microsoft.ML.Data;
using MLNetFromScratch.Persistence;

namespace MLNetFromScratch.Trainers.Scoring;

/// <summary>What the network's custom mappings read from a row: the saved state and the features.</summary>
/// <remarks>
/// ML.NET makes one of these per cursor and fills it for every row. The features are taken as the
/// <see cref="VBuffer{T}"/> the cursor hands over, not as a <c>float[]</c>: ML.NET would copy every row's features
/// into the array, one more copy of the whole row than the scoring needs.
/// </remarks>
public sealed class NetworkInputRow
{
    // The features of a sparse row spread out, reused from row to row (a cursor fills its row object on one thread).
    private float[] _dense = [];

    /// <summary>The network's state text, the same string in every row (decoded once per model).</summary>
    [ColumnName(StateColumns.State)]
    public ReadOnlyMemory<char> State { get; set; }

    /// <summary>The user's feature column (a copy of it under a fixed name), dense or sparse as the cursor gives it.</summary>
    [ColumnName(StateColumns.Input)]
    public VBuffer<float> Features { get; set; }

    /// <summary>The features as a dense span of <see cref="VBuffer{T}.Length"/> values: the buffer itself when dense.</summary>
    internal ReadOnlySpan<float> DenseFeatures() => Dense(Features, ref _dense);

    /// <summary>
    /// <paramref name="features"/> as a dense span: its own values when dense, else spread out into <paramref name="buffer"/>
    /// (replaced when its length differs).
    /// </summary>
    internal static ReadOnlySpan<float> Dense(VBuffer<float> features, ref float[] buffer)
    {
        if (features.IsDense)
        {
            return features.GetValues();
        }

        if (buffer.Length != features.Length)
        {
            buffer = new float[features.Length];
        }

        Span<float> dense = buffer;
        dense.Clear();
        ReadOnlySpan<int> indices = features.GetIndices();
        ReadOnlySpan<float> values = features.GetValues();
        for (int i = 0; i < indices.Length; i++)
        {
            dense[indices[i]] = values[i];
        }

        return dense;
    }
}
