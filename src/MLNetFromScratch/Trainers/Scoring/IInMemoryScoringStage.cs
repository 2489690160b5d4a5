using Microsoft.ML;
using MLNetFromScratch.Persistence;

namespace MLNetFromScratch.Trainers.Scoring;

/// <summary>A padded-vector scoring mapping with a twin for the chain held in memory (see <see cref="TrainedNetwork"/>).</summary>
internal interface IInMemoryScoringStage : IPaddedVectorStage
{
    /// <summary>The twin: the same output columns and values, scored with <paramref name="network"/>'s network.</summary>
    IEstimator<ITransformer> InMemory(TransformsCatalog transforms, TrainedNetwork network);
}
