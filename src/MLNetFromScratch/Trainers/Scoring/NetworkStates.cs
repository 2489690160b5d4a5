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
        NeuralNetworkModelParameters network = Network(row.State, row.Features.Length);
        network.ScoreChecked(row.DenseFeatures(), outputs);
        return network;
    }

    /// <inheritdoc cref="Score(NetworkInputRow, Span{float})"/>
    public static NeuralNetworkModelParameters Score(MarkedNetworkInputRow row, Span<float> outputs)
    {
        NeuralNetworkModelParameters network = Network(row.State, row.Features.Length);
        network.ScoreChecked(row.DenseFeatures(), outputs);
        return network;
    }

    private static NeuralNetworkModelParameters Network(ReadOnlyMemory<char> state, int featureCount) => CheckFeatureCount(Cache.Get(state), featureCount);

    /// <summary><paramref name="network"/>, when it was trained on <paramref name="featureCount"/> features.</summary>
    /// <exception cref="InvalidOperationException">The feature counts differ.</exception>
    public static NeuralNetworkModelParameters CheckFeatureCount(NeuralNetworkModelParameters network, int featureCount)
    {
        if (featureCount != network.InputCount)
        {
            throw new InvalidOperationException(
                $"The network was trained on {network.InputCount} features; the feature column now holds {featureCount}. Score with the same feature pipeline the model was trained with.");
        }

        return network;
    }
}
