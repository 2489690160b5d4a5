using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using MLNetFromScratch.Persistence;

namespace MLNetFromScratch.Trainers.Scoring;

/// <summary>
/// The stateless mapping from a multiclass Score vector to the 0-based index of its largest value (the first on ties),
/// or to an index past the classes (the missing key once mapped) when a score is NaN.
/// </summary>
/// <remarks>
/// Models saved by version 1 of the multiclass chain score with this stage after the Score vector; newer ones compute the
/// index in the scoring mapping itself (<see cref="ClassScoreMapping{TDst}"/>), one stage fewer a row. Kept so that those
/// models load.
/// </remarks>
[CustomMappingFactoryAttribute(ContractName)]
public sealed class ArgMaxMappingFactory : CustomMappingFactory<ArgMaxMappingFactory.ScoreRow, ArgMaxMappingFactory.IndexRow>
{
    /// <summary>The contract name saved in models.</summary>
    public const string ContractName = "MLNetFromScratch.ArgMax.v1";

    /// <inheritdoc/>
    public override Action<ScoreRow, IndexRow> GetMapping() => static (source, destination) => destination.Index = IndexOfMax(source.Score);

    /// <summary>
    /// The 0-based index of the largest of <paramref name="score"/> (the first on ties), or <see cref="uint.MaxValue"/>
    /// (an index past the classes, the missing key once mapped) when a score is NaN or there is none.
    /// </summary>
    internal static uint IndexOfMax(ReadOnlySpan<float> score)
    {
        int best = 0;
        bool anyNaN = false;
        for (int k = 0; k < score.Length; k++)
        {
            anyNaN |= float.IsNaN(score[k]);
            if (score[k] > score[best])
            {
                best = k;
            }
        }

        // NaN scores (from NaN or infinite features) name no class: an index past the classes maps to the missing
        // key, where NaN comparisons would otherwise pick class 0 without a word.
        return anyNaN || score.Length == 0 ? uint.MaxValue : (uint)best;
    }

    /// <summary>The input: the Score column.</summary>
    public sealed class ScoreRow
    {
        /// <summary>Class probabilities.</summary>
        [ColumnName("Score")]
        public float[] Score { get; set; } = [];
    }

    /// <summary>The output: a temporary index column.</summary>
    public sealed class IndexRow
    {
        /// <summary>The predicted class, 0-based.</summary>
        [ColumnName(StateColumns.Output2)]
        public uint Index { get; set; }
    }
}
