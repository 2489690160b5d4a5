using Microsoft.ML;
using Microsoft.ML.Transforms;
using MLNetFromScratch.Persistence;

namespace MLNetFromScratch.Trainers.Scoring;

/// <summary>
/// The mapping that scores a multiclass network: writes the K class probabilities into a padded vector (trimmed to K
/// by the next stage) and the index of the largest into <see cref="StateColumns.Output2"/>, which a value lookup turns
/// into the label's key. One sealed subclass per tier of <see cref="PaddedVectorTiers"/>, each with its own contract.
/// </summary>
/// <remarks>
/// It does in one stage what <see cref="VectorScoreMapping{TDst}"/> followed by <see cref="ArgMaxMappingFactory"/> did
/// (version 1 of the multiclass chain, still loadable): the class index comes from the same K floats, so the
/// predicted labels are the same, and each row is spared a stage, a copy of its scores and a reflective row fill.
/// The trainer now fits <see cref="ClassNameScoreMapping{TDst}"/> instead when the classes are named by text (always,
/// in practice), whose key comes from a term lookup rather than a value lookup; this one scores the models saved
/// before, and classes of other value types.
/// </remarks>
internal abstract class ClassScoreMapping<TDst> : PaddedVectorMappingFactory<NetworkInputRow, TDst>, IInMemoryScoringStage
    where TDst : class, IClassScoreRow, new()
{
    /// <summary>Every tier, smallest first.</summary>
    public static IReadOnlyList<IPaddedVectorStage> Tiers { get; } =
    [
        new ClassScore4(), new ClassScore16(), new ClassScore64(), new ClassScore256(),
        new ClassScore1024(), new ClassScore4096(), new ClassScore16384(), new ClassScore65536(),
    ];

    public override Action<NetworkInputRow, TDst> GetMapping() => (source, destination) =>
    {
        float[] values = destination.Values;
        NeuralNetworkModelParameters network = NetworkStates.Score(source, values);
        destination.Index = ArgMaxMappingFactory.IndexOfMax(values.AsSpan(0, network.OutputCount));
    };

    /// <inheritdoc/>
    public IEstimator<ITransformer> InMemory(TransformsCatalog transforms, TrainedNetwork network) =>
        network.Mapping<TDst>(transforms, static (network, features, destination) =>
        {
            float[] values = destination.Values;
            network.ScoreChecked(features, values);
            destination.Index = ArgMaxMappingFactory.IndexOfMax(values.AsSpan(0, network.OutputCount));
        });

    protected override void MapRow(NetworkInputRow source, Span<float> destination) => NetworkStates.Score(source, destination);
}

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.Classes4.v1")]
internal sealed class ClassScore4 : ClassScoreMapping<ClassScoreRow4>;

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.Classes16.v1")]
internal sealed class ClassScore16 : ClassScoreMapping<ClassScoreRow16>;

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.Classes64.v1")]
internal sealed class ClassScore64 : ClassScoreMapping<ClassScoreRow64>;

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.Classes256.v1")]
internal sealed class ClassScore256 : ClassScoreMapping<ClassScoreRow256>;

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.Classes1024.v1")]
internal sealed class ClassScore1024 : ClassScoreMapping<ClassScoreRow1024>;

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.Classes4096.v1")]
internal sealed class ClassScore4096 : ClassScoreMapping<ClassScoreRow4096>;

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.Classes16384.v1")]
internal sealed class ClassScore16384 : ClassScoreMapping<ClassScoreRow16384>;

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.Classes65536.v1")]
internal sealed class ClassScore65536 : ClassScoreMapping<ClassScoreRow65536>;
