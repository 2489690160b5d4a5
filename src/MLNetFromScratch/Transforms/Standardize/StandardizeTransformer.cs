using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFromScratch.Persistence;

namespace MLNetFromScratch.Transforms;

/// <summary>
/// A fitted standardization: writes (x − μ) / σ per slot (0 where σ = 0; a missing x gives 0, or an error).
/// </summary>
/// <remarks>
/// Output column: same type as the input, Single or a known-size vector of Single. Saves with
/// <c>mlContext.Model.Save</c> as ML.NET transforms; after loading, read <see cref="Parameters"/> back with
/// <see cref="StandardizeParameters.ReadFrom"/>.
/// </remarks>
public sealed class StandardizeTransformer : ChainBackedTransformer
{
    internal StandardizeTransformer(StandardizeParameters parameters, TransformerChain<ITransformer> chain)
        : base(chain) => Parameters = parameters;

    /// <summary>The learned means and standard deviations.</summary>
    public StandardizeParameters Parameters { get; }

    private protected override void CheckInputSchema(DataViewSchema inputSchema)
    {
        DataViewSchema.Column column = inputSchema.GetColumnOrNull(Parameters.InputColumnName)
            ?? throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Standardize: input column '{Parameters.InputColumnName}' not found.");
        int expected = Parameters.Means.Count;
        bool ok = Parameters.IsVector
            ? column.Type is VectorDataViewType { ItemType: NumberDataViewType n, Size: var size } && n == NumberDataViewType.Single && size == expected
            : column.Type == NumberDataViewType.Single;
        if (!ok)
        {
            string wanted = Parameters.IsVector ? $"Vector<Single, {expected}>" : "Single";
            throw new ArgumentOutOfRangeException(
                nameof(inputSchema), $"Standardize: input column '{Parameters.InputColumnName}' is {column.Type}; it was fitted on {wanted}.");
        }
    }
}
