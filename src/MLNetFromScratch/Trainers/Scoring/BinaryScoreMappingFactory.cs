using Microsoft.ML.Transforms;
using MLNetFromScratch.Core.Kernels;

namespace MLNetFromScratch.Trainers.Scoring;

/// <summary>The stateless mapping that scores a binary classifier's rows. Its contract name is part of the file format.</summary>
[CustomMappingFactoryAttribute(ContractName)]
public sealed class BinaryScoreMappingFactory : CustomMappingFactory<NetworkInputRow, BinaryScoreRow>
{
    /// <summary>The contract name saved in models.</summary>
    public const string ContractName = "MLNetFromScratch.NeuralNetwork.Binary.v1";

    /// <inheritdoc/>
    public override Action<NetworkInputRow, BinaryScoreRow> GetMapping() => static (source, destination) =>
    {
        Span<float> logit = stackalloc float[1];
        NetworkStates.Score(source, logit);
        destination.Score = logit[0];
        destination.Probability = ActivationKernels.Sigmoid(logit[0]);
        destination.PredictedLabel = logit[0] > 0f;
    };
}
