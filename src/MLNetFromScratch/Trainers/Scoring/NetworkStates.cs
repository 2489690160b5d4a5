using MLNetFromScratch.Persistence;

namespace MLNetFromScratch.Trainers.Scoring;

/// <summary>The decoded networks of every loaded model, each decoded once (see <see cref="DecodedStateCache{T}"/>).</summary>
internal static class NetworkStates
{
    public static DecodedStateCache<NeuralNetworkModelParameters> Cache { get; } = new(NeuralNetworkModelParameters.FromStateText);

    /// <summary>Scores the row's features with the row's network into <paramref name="outputs"/>.</summary>
    /// <exception cref="InvalidOperationException">The row's feature count differs from the network's.</exception>
    public static NeuralNetworkModelParameters Score(NetworkInputRow row, Span<float> outputs)
    {
        NeuralNetworkModelParameters network = Cache.Get(row.State);
        int count = row.Features.Length;
        if (count != network.InputCount)
        {
            throw new InvalidOperationException(
                $"The network was trained on {network.InputCount} features; the feature column now holds {count}. Score with the same feature pipeline the model was trained with.");
        }

        network.ScoreChecked(row.DenseFeatures(), outputs);
        return network;
    }
}
