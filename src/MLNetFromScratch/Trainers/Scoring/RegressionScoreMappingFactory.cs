using Microsoft.ML.Transforms;

namespace MLNetFromScratch.Trainers.Scoring;

/// <summary>The stateless mapping that scores a single-target regression. Its contract name is part of the file format.</summary>
[CustomMappingFactoryAttribute(ContractName)]
public sealed class RegressionScoreMappingFactory : CustomMappingFactory<NetworkInputRow, RegressionScoreRow>
{
    /// <summary>The contract name saved in models.</summary>
    public const string ContractName = "MLNetFromScratch.NeuralNetwork.Regression.v1";

    /// <inheritdoc/>
    public override Action<NetworkInputRow, RegressionScoreRow> GetMapping() => static (source, destination) =>
    {
        Span<float> value = stackalloc float[1];
        NetworkStates.Score(source, value);
        destination.Score = value[0];
    };
}
