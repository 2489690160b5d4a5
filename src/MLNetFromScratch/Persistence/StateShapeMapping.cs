using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace MLNetFromScratch.Persistence;

/// <summary>
/// Stands for the state lookup: a custom mapping that adds <see cref="StateColumns.State"/> as the scalar text column
/// the lookup adds, and nothing else. When a <see cref="ChainBuilder"/> only computes an output shape it writes nothing;
/// in a fitted chain held in memory (<see cref="ChainBuilder.BuildChainWithInMemoryState"/>) it writes the state text.
/// </summary>
/// <remarks>
/// Constructing the state stage parses and compiles an expression (and, for models saved before, a lookup serialized
/// its table with ML.NET's binary saver, ~0.2 s of compilation the first time in a process, and about 16 bytes of
/// garbage a character of the table), which <c>GetOutputSchema</c>, called by every pipeline before it fits, would pay
/// for a column it drops again. This mapping has no contract name: it is never saved (a chain holding it saves the
/// expression instead).
/// </remarks>
internal static class StateShapeMapping
{
    /// <summary>The estimator whose output shape is that of the state lookup.</summary>
    public static CustomMappingEstimator<ConstantKeyMappingFactory.NoColumns, Row> Estimator(TransformsCatalog transforms) =>
        transforms.CustomMapping<ConstantKeyMappingFactory.NoColumns, Row>(static (_, _) => { }, contractName: null);

    /// <summary>The estimator of a mapping that writes <paramref name="stateText"/> in every row, as the lookup does.</summary>
    public static CustomMappingEstimator<ConstantKeyMappingFactory.NoColumns, Row> Writing(TransformsCatalog transforms, string stateText)
    {
        ReadOnlyMemory<char> state = stateText.AsMemory();
        return transforms.CustomMapping<ConstantKeyMappingFactory.NoColumns, Row>((_, row) => row.State = state, contractName: null);
    }

    /// <summary>The state column, as the lookup outputs it.</summary>
    public sealed class Row
    {
        /// <summary>The state text (empty when only the shape is computed).</summary>
        [ColumnName(StateColumns.State)]
        public ReadOnlyMemory<char> State { get; set; }
    }
}
