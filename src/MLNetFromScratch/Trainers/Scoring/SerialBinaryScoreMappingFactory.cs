using Microsoft.ML.Transforms;

namespace MLNetFromScratch.Trainers.Scoring;

/// <summary>
/// <see cref="BinaryScoreMappingFactory"/> reading the serial-read marker as well (version 4 of the scoring chain), so
/// that a loaded binary classifier reads its rows on the consumer's thread; the same outputs, bit for bit.
/// </summary>
[CustomMappingFactoryAttribute(ContractName)]
internal sealed class SerialBinaryScoreMappingFactory : CustomMappingFactory<MarkedNetworkInputRow, BinaryScoreRow>
{
    /// <summary>The contract name saved in models.</summary>
    public const string ContractName = "MLNetFromScratch.NeuralNetwork.Binary.v2";

    /// <inheritdoc/>
    public override Action<MarkedNetworkInputRow, BinaryScoreRow> GetMapping() => static (source, destination) =>
    {
        Span<float> logit = stackalloc float[1];
        NetworkStates.Score(source, logit);
        BinaryScoreMappingFactory.Write(logit[0], destination);
    };
}
