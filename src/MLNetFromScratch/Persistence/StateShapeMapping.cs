using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace MLNetFromScratch.Persistence;

/// <summary>
/// Stands for the state lookup when a <see cref="ChainBuilder"/> only computes an output shape: a custom mapping
/// that adds <see cref="StateColumns.State"/> as the scalar text column the lookup adds, and nothing else.
/// </summary>
/// <remarks>
/// Constructing the state stage parses and compiles an expression (and, for models saved before, a lookup serialized
/// its table with ML.NET's binary saver, ~0.2 s of compilation the first time in a process), which
/// <c>GetOutputSchema</c>, called by every pipeline before it fits, would pay for a column it drops again. This mapping is never fitted and never saved.
/// </remarks>
internal static class StateShapeMapping
{
    /// <summary>The estimator whose output shape is that of the state lookup.</summary>
    public static CustomMappingEstimator<ConstantKeyMappingFactory.NoColumns, Row> Estimator(TransformsCatalog transforms) =>
        transforms.CustomMapping<ConstantKeyMappingFactory.NoColumns, Row>(static (_, _) => { }, contractName: null);

    /// <summary>The state column, as the lookup outputs it.</summary>
    public sealed class Row
    {
        /// <summary>Never computed.</summary>
        [ColumnName(StateColumns.State)]
        public ReadOnlyMemory<char> State { get; set; }
    }
}
