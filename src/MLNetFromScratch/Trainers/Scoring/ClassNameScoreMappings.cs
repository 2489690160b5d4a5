using Microsoft.ML;
using Microsoft.ML.Transforms;
using MLNetFromScratch.Persistence;

namespace MLNetFromScratch.Trainers.Scoring;

/// <summary>
/// The mapping that scores a multiclass network whose classes are named by text: writes the K class probabilities into
/// a padded vector (trimmed to K by the next stage) and the name of the most probable class into
/// <see cref="StateColumns.Output2"/>, which ML.NET's term lookup (<c>MapValueToKey</c>, its terms the class names in
/// class order) turns into the label's key. One sealed subclass per tier of <see cref="PaddedVectorTiers"/>.
/// </summary>
/// <remarks>
/// The class index of <see cref="ClassScoreMapping{TDst}"/> becomes the key through a value lookup (<c>MapValue</c>),
/// which calls ML.NET's reflection for every row; the term lookup hashes the name instead, allocating nothing. The
/// names are the network's <see cref="NeuralNetworkModelParameters.ClassNames"/>, which for text classes are the key
/// values themselves, so the key is the same. A NaN probability gives the empty name, which is no class (the trainer
/// takes this path only when no class is named by the empty text), so the missing key, as before.
/// </remarks>
internal abstract class ClassNameScoreMapping<TDst> : PaddedVectorMappingFactory<NetworkInputRow, TDst>, IInMemoryScoringStage
    where TDst : class, IClassNameScoreRow, new()
{
    /// <summary>Every tier, smallest first.</summary>
    public static IReadOnlyList<IPaddedVectorStage> Tiers { get; } =
    [
        new ClassNameScore4(), new ClassNameScore16(), new ClassNameScore64(), new ClassNameScore256(),
        new ClassNameScore1024(), new ClassNameScore4096(), new ClassNameScore16384(), new ClassNameScore65536(),
    ];

    public override Action<NetworkInputRow, TDst> GetMapping() => (source, destination) =>
        WriteClass(NetworkStates.Score(source, destination.Values), destination);

    /// <inheritdoc/>
    public IEstimator<ITransformer> InMemory(TransformsCatalog transforms, TrainedNetwork network) =>
        network.Mapping<TDst>(transforms, static (network, features, destination) =>
        {
            network.ScoreChecked(features, destination.Values);
            WriteClass(network, destination);
        });

    // The predicted class's name, from the scores already written.
    private static void WriteClass(NeuralNetworkModelParameters network, TDst destination)
    {
        uint index = ArgMaxMappingFactory.IndexOfMax(destination.Values.AsSpan(0, network.OutputCount));
        IReadOnlyList<string> names = network.ClassNames;
        destination.ClassName = index < (uint)names.Count ? names[(int)index].AsMemory() : ReadOnlyMemory<char>.Empty;
    }

    protected override void MapRow(NetworkInputRow source, Span<float> destination) => NetworkStates.Score(source, destination);
}

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.ClassNames4.v1")]
internal sealed class ClassNameScore4 : ClassNameScoreMapping<ClassNameScoreRow4>;

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.ClassNames16.v1")]
internal sealed class ClassNameScore16 : ClassNameScoreMapping<ClassNameScoreRow16>;

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.ClassNames64.v1")]
internal sealed class ClassNameScore64 : ClassNameScoreMapping<ClassNameScoreRow64>;

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.ClassNames256.v1")]
internal sealed class ClassNameScore256 : ClassNameScoreMapping<ClassNameScoreRow256>;

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.ClassNames1024.v1")]
internal sealed class ClassNameScore1024 : ClassNameScoreMapping<ClassNameScoreRow1024>;

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.ClassNames4096.v1")]
internal sealed class ClassNameScore4096 : ClassNameScoreMapping<ClassNameScoreRow4096>;

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.ClassNames16384.v1")]
internal sealed class ClassNameScore16384 : ClassNameScoreMapping<ClassNameScoreRow16384>;

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.ClassNames65536.v1")]
internal sealed class ClassNameScore65536 : ClassNameScoreMapping<ClassNameScoreRow65536>;
