using Microsoft.ML.Transforms;

namespace MLNetFromScratch.Trainers.Scoring;

/// <summary>
/// <see cref="RegressionScoreMappingFactory"/> reading the serial-read marker as well (version 4 of the scoring chain),
/// so that a loaded regression reads its rows on the consumer's thread; the same outputs, bit for bit.
/// </summary>
[CustomMappingFactoryAttribute(ContractName)]
internal sealed class SerialRegressionScoreMappingFactory : CustomMappingFactory<MarkedNetworkInputRow, RegressionScoreRow>
{
    /// <summary>The contract name saved in models.</summary>
    public const string ContractName = "MLNetFromScratch.NeuralNetwork.Regression.v2";

    /// <inheritdoc/>
    public override Action<MarkedNetworkInputRow, RegressionScoreRow> GetMapping() => static (source, destination) =>
    {
        Span<float> value = stackalloc float[1];
        NetworkStates.Score(source, value);
        destination.Score = value[0];
    };
}
