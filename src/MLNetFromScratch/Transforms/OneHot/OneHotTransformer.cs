using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFromScratch.Persistence;

namespace MLNetFromScratch.Transforms;

/// <summary>
/// A fitted one-hot encoding: writes e_i, a vector of k Singles with 1 in the slot of the value's category
/// (the zero vector, or an error, for an unseen or missing value).
/// </summary>
/// <remarks>
/// Output column: a known-size vector of Single of <see cref="OneHotParameters.SlotCount"/> slots, without slot
/// names. Saves with <c>mlContext.Model.Save</c> as ML.NET transforms; after loading, read
/// <see cref="Parameters"/> back with <see cref="OneHotParameters.ReadFrom"/>.
/// </remarks>
public sealed class OneHotTransformer : ChainBackedTransformer
{
    private readonly DataViewType _inputType;

    internal OneHotTransformer(OneHotParameters parameters, DataViewType inputType, TransformerChain<ITransformer> chain)
        : base(chain)
    {
        Parameters = parameters;
        _inputType = inputType;
    }

    /// <summary>The learned slot count and categories.</summary>
    public OneHotParameters Parameters { get; }

    private protected override void CheckInputSchema(DataViewSchema inputSchema)
    {
        DataViewSchema.Column column = inputSchema.GetColumnOrNull(Parameters.InputColumnName)
            ?? throw new ArgumentOutOfRangeException(nameof(inputSchema), $"OneHot: input column '{Parameters.InputColumnName}' not found.");

        // Key types are equal when raw type and count are: a key of another count would shift the slots.
        if (!column.Type.Equals(_inputType))
        {
            throw new ArgumentOutOfRangeException(
                nameof(inputSchema), $"OneHot: input column '{Parameters.InputColumnName}' is {column.Type}; it was fitted on {_inputType}.");
        }
    }
}
