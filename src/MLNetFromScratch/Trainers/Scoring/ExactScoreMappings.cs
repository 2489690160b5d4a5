using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using MLNetFromScratch.Persistence;

namespace MLNetFromScratch.Trainers.Scoring;

/// <summary>
/// The last stage of a scoring chain whose Score is a vector of K values (multiclass probabilities, several regression
/// targets), K from 2 to <see cref="MaxSize"/>: copies the first K values of the padded <see cref="StateColumns.Output"/>
/// into the user's Score column, of exactly K values, and reads the serial-read marker, so that a loaded chain reads its
/// rows on the consumer's thread (see <see cref="SerialReadMappingFactory"/>). One sealed subclass per K, each with its
/// own contract.
/// </summary>
/// <remarks>
/// It stands for the saved slot selection that trims the padded vector to K in version 3 of the chain (and still does
/// for larger K), with the same values; it must come after the stage that makes <c>PredictedLabel</c>, as the last stage
/// that writes a user column.
/// </remarks>
internal abstract class ExactScoreMapping<TDst> : PaddedVectorMappingFactory<ExactScoreSource, TDst>
    where TDst : class, IPaddedVector, new()
{
    /// <summary>The largest K with a stage of its own.</summary>
    public const int MaxSize = 32;

    /// <summary>Every size, smallest first: the stage for K is at index K - 2.</summary>
    public static IReadOnlyList<IPaddedVectorStage> Sizes { get; } =
    [
        new ExactScore2(), new ExactScore3(), new ExactScore4(), new ExactScore5(), new ExactScore6(), new ExactScore7(), new ExactScore8(), new ExactScore9(),
        new ExactScore10(), new ExactScore11(), new ExactScore12(), new ExactScore13(), new ExactScore14(), new ExactScore15(), new ExactScore16(), new ExactScore17(),
        new ExactScore18(), new ExactScore19(), new ExactScore20(), new ExactScore21(), new ExactScore22(), new ExactScore23(), new ExactScore24(), new ExactScore25(),
        new ExactScore26(), new ExactScore27(), new ExactScore28(), new ExactScore29(), new ExactScore30(), new ExactScore31(), new ExactScore32(),
    ];

    public override Action<ExactScoreSource, TDst> GetMapping() => (source, destination) => MapRow(source, destination.Values);

    protected override void MapRow(ExactScoreSource source, Span<float> destination)
    {
        VBuffer<float> padded = source.Padded;
        if (padded.IsDense)
        {
            padded.GetValues()[..destination.Length].CopyTo(destination);
            return;
        }

        destination.Clear();
        ReadOnlySpan<int> indices = padded.GetIndices();
        ReadOnlySpan<float> values = padded.GetValues();
        for (int i = 0; i < indices.Length && indices[i] < destination.Length; i++)
        {
            destination[indices[i]] = values[i];
        }
    }
}

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.Score2.v1")]
internal sealed class ExactScore2 : ExactScoreMapping<ExactScoreRow2>;

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.Score3.v1")]
internal sealed class ExactScore3 : ExactScoreMapping<ExactScoreRow3>;

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.Score4.v1")]
internal sealed class ExactScore4 : ExactScoreMapping<ExactScoreRow4>;

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.Score5.v1")]
internal sealed class ExactScore5 : ExactScoreMapping<ExactScoreRow5>;

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.Score6.v1")]
internal sealed class ExactScore6 : ExactScoreMapping<ExactScoreRow6>;

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.Score7.v1")]
internal sealed class ExactScore7 : ExactScoreMapping<ExactScoreRow7>;

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.Score8.v1")]
internal sealed class ExactScore8 : ExactScoreMapping<ExactScoreRow8>;

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.Score9.v1")]
internal sealed class ExactScore9 : ExactScoreMapping<ExactScoreRow9>;

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.Score10.v1")]
internal sealed class ExactScore10 : ExactScoreMapping<ExactScoreRow10>;

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.Score11.v1")]
internal sealed class ExactScore11 : ExactScoreMapping<ExactScoreRow11>;

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.Score12.v1")]
internal sealed class ExactScore12 : ExactScoreMapping<ExactScoreRow12>;

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.Score13.v1")]
internal sealed class ExactScore13 : ExactScoreMapping<ExactScoreRow13>;

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.Score14.v1")]
internal sealed class ExactScore14 : ExactScoreMapping<ExactScoreRow14>;

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.Score15.v1")]
internal sealed class ExactScore15 : ExactScoreMapping<ExactScoreRow15>;

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.Score16.v1")]
internal sealed class ExactScore16 : ExactScoreMapping<ExactScoreRow16>;

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.Score17.v1")]
internal sealed class ExactScore17 : ExactScoreMapping<ExactScoreRow17>;

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.Score18.v1")]
internal sealed class ExactScore18 : ExactScoreMapping<ExactScoreRow18>;

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.Score19.v1")]
internal sealed class ExactScore19 : ExactScoreMapping<ExactScoreRow19>;

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.Score20.v1")]
internal sealed class ExactScore20 : ExactScoreMapping<ExactScoreRow20>;

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.Score21.v1")]
internal sealed class ExactScore21 : ExactScoreMapping<ExactScoreRow21>;

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.Score22.v1")]
internal sealed class ExactScore22 : ExactScoreMapping<ExactScoreRow22>;

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.Score23.v1")]
internal sealed class ExactScore23 : ExactScoreMapping<ExactScoreRow23>;

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.Score24.v1")]
internal sealed class ExactScore24 : ExactScoreMapping<ExactScoreRow24>;

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.Score25.v1")]
internal sealed class ExactScore25 : ExactScoreMapping<ExactScoreRow25>;

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.Score26.v1")]
internal sealed class ExactScore26 : ExactScoreMapping<ExactScoreRow26>;

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.Score27.v1")]
internal sealed class ExactScore27 : ExactScoreMapping<ExactScoreRow27>;

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.Score28.v1")]
internal sealed class ExactScore28 : ExactScoreMapping<ExactScoreRow28>;

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.Score29.v1")]
internal sealed class ExactScore29 : ExactScoreMapping<ExactScoreRow29>;

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.Score30.v1")]
internal sealed class ExactScore30 : ExactScoreMapping<ExactScoreRow30>;

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.Score31.v1")]
internal sealed class ExactScore31 : ExactScoreMapping<ExactScoreRow31>;

[CustomMappingFactoryAttribute("MLNetFromScratch.NeuralNetwork.Score32.v1")]
internal sealed class ExactScore32 : ExactScoreMapping<ExactScoreRow32>;
