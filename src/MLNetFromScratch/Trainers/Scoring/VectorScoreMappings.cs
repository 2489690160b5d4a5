using Microsoft.ML;
using Microsoft.ML.Transforms;
using MLNetFromScratch.Persistence;

namespace MLNetFromScratch.Trainers.Scoring;

/// <summary>
/// The mapping that writes a network's K outputs (class probabilities, or several regression targets) into
/// a padded vector; one sealed subclass per tier of <see cref="PaddedVectorTiers"/>, each with its own contract.
/// </summary>
internal abstract class VectorScoreMapping<TDst> : PaddedVectorMappingFactory<NetworkInputRow, TDst>, IInMemoryScoringStage
    where TDst : class, IPaddedVector, new()
{
    /// <summary>Every tier, smallest first.</summary>
    public static IReadOnlyList<IPaddedVectorStage> Tiers { get; } =
    [
        new VectorScore4(), new VectorScore16(), new VectorScore64(), new VectorScore256(),
        new VectorScore1024(), new VectorScore4096(), new VectorScore16384(), new VectorScore65536(),
    ];

    public override Action<NetworkInputRow, TDst> GetMapping() => (source, destination) => MapRow(source, destination.Values);

    protected override void MapRow(NetworkInputRow source, Span<float> destination) => NetworkStates.Score(source, destination);

    /// <inheritdoc/>
    public IEstimator<ITransformer> InMemory(TransformsCatalog transforms, TrainedNetwork network) =>
        network.Mapping<TDst>(transforms, static (network, features, destination) => network.ScoreChecked(features, destination.Values));
}

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.Vector4.v1")]
internal sealed class VectorScore4 : VectorScoreMapping<PaddedVector4>;

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.Vector16.v1")]
internal sealed class VectorScore16 : VectorScoreMapping<PaddedVector16>;

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.Vector64.v1")]
internal sealed class VectorScore64 : VectorScoreMapping<PaddedVector64>;

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.Vector256.v1")]
internal sealed class VectorScore256 : VectorScoreMapping<PaddedVector256>;

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.Vector1024.v1")]
internal sealed class VectorScore1024 : VectorScoreMapping<PaddedVector1024>;

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.Vector4096.v1")]
internal sealed class VectorScore4096 : VectorScoreMapping<PaddedVector4096>;

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.Vector16384.v1")]
internal sealed class VectorScore16384 : VectorScoreMapping<PaddedVector16384>;

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.Vector65536.v1")]
internal sealed class VectorScore65536 : VectorScoreMapping<PaddedVector65536>;
