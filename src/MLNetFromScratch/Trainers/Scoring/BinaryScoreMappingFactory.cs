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
        Write(logit[0], destination);
    };

    /// <summary>Writes the row's columns from its logit.</summary>
    internal static void Write(float logit, BinaryScoreRow destination)
    {
        destination.Score = logit;
        destination.Probability = ActivationKernels.Sigmoid(logit);
        destination.PredictedLabel = logit > 0f;
    }
}
