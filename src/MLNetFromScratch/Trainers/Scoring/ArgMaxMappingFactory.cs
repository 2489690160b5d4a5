using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using MLNetFromScratch.Persistence;

namespace MLNetFromScratch.Trainers.Scoring;

/// <summary>The stateless mapping from a multiclass Score vector to the 0-based index of its largest value (the first on ties).</summary>
[CustomMappingFactoryAttribute(ContractName)]
public sealed class ArgMaxMappingFactory : CustomMappingFactory<ArgMaxMappingFactory.ScoreRow, ArgMaxMappingFactory.IndexRow>
{
    /// <summary>The contract name saved in models.</summary>
    public const string ContractName = "MLNetFromScratch.ArgMax.v1";

    /// <inheritdoc/>
    public override Action<ScoreRow, IndexRow> GetMapping() => static (source, destination) =>
    {
        float[] score = source.Score;
        int best = 0;
        for (int k = 1; k < score.Length; k++)
        {
            if (score[k] > score[best])
            {
                best = k;
            }
        }

        destination.Index = (uint)best;
    };

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
