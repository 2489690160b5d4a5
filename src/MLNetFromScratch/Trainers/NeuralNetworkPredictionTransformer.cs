using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFromScratch.Persistence;

namespace MLNetFromScratch;

/// <summary>
/// A fitted neural network in a pipeline. It adds, by task: binary <c>Score</c> (Single, the logit),
/// <c>Probability</c> (Single) and <c>PredictedLabel</c> (Boolean); multiclass <c>Score</c> (vector of Single, the
/// class probabilities) and <c>PredictedLabel</c> (the label's key type); regression <c>Score</c> (Single, or a
/// vector of Single for several targets).
/// </summary>
/// <remarks>
/// It saves with <c>mlContext.Model.Save</c> as a chain of ML.NET's own transforms; <c>mlContext.Model.Load</c>
/// returns that chain, whose scores are bit-identical to this transformer's. Read the network back from a
/// loaded model with <see cref="NeuralNetworkModelParameters.FromModel"/>.
/// </remarks>
public sealed class NeuralNetworkPredictionTransformer : ChainBackedTransformer, ISingleFeaturePredictionTransformer<NeuralNetworkModelParameters>
{
    internal NeuralNetworkPredictionTransformer(
        (TransformerChain<ITransformer> Chain, Func<TransformerChain<ITransformer>> SaveableChain) chain, NeuralNetworkModelParameters model,
        string featureColumnName, DataViewType featureColumnType)
        : base(chain.Chain, chain.SaveableChain)
    {
        Model = model;
        FeatureColumnName = featureColumnName;
        FeatureColumnType = featureColumnType;
    }

    /// <summary>The trained network.</summary>
    public NeuralNetworkModelParameters Model { get; }

    /// <summary>The feature column the network reads.</summary>
    public string FeatureColumnName { get; }

    /// <summary>The feature column's type at training.</summary>
    public DataViewType FeatureColumnType { get; }

    private protected override void CheckInputSchema(DataViewSchema inputSchema)
    {
        DataViewSchema.Column column = inputSchema.GetColumnOrNull(FeatureColumnName)
            ?? throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Feature column '{FeatureColumnName}' not found.");
        int count = TrainerSchema.FeatureCount(column.Type, FeatureColumnName);
        if (count != Model.InputCount)
        {
            throw new ArgumentOutOfRangeException(
                nameof(inputSchema),
                $"Feature column '{FeatureColumnName}' holds {count} features; the network was trained on {Model.InputCount}.");
        }
    }
}
