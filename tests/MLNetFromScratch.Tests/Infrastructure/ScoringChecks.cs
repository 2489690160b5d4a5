using Microsoft.ML;

namespace MLNetFromScratch.Tests.Infrastructure;

/// <summary>What the scoring tests compare a chain's output with: the network's direct forward pass, as bits.</summary>
internal static class ScoringChecks
{
    /// <summary>The network's outputs for one row of features, scored directly (no ML.NET).</summary>
    public static float[] Score(NeuralNetworkModelParameters network, float[] features)
    {
        var scores = new float[network.OutputCount];
        network.Score(features, scores);
        return scores;
    }

    /// <summary>The bits of each value, so that equality means the same bits (NaN and -0 included).</summary>
    public static IEnumerable<int> Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits);

    /// <summary>The index of the largest score, the first on a tie (a plain loop, the twin of the chain's class choice).</summary>
    public static int ArgMax(float[] scores)
    {
        int best = 0;
        for (int k = 1; k < scores.Length; k++)
        {
            best = scores[k] > scores[best] ? k : best;
        }

        return best;
    }

    /// <summary>Every stage of a model, nested chains flattened.</summary>
    public static IEnumerable<ITransformer> Stages(ITransformer model) =>
        model is IEnumerable<ITransformer> chain ? chain.SelectMany(Stages) : [model];
}
