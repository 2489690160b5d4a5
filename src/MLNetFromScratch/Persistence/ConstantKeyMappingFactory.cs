using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace MLNetFromScratch.Persistence;

/// <summary>
/// A custom mapping that reads no column and writes the constant <see cref="Key"/> to
/// <see cref="StateColumns.StateKey"/> in every row: the input of the stage that carries a state (an expression, or a
/// value lookup in models saved before).
/// </summary>
[CustomMappingFactoryAttribute(ContractName)]
internal sealed class ConstantKeyMappingFactory : CustomMappingFactory<ConstantKeyMappingFactory.NoColumns, ConstantKeyMappingFactory.KeyRow>
{
    /// <summary>The contract name saved in models; part of the file format, never change it.</summary>
    public const string ContractName = "MLNetFromScratch.ConstantKey.v1";

    /// <summary>The value in the key column.</summary>
    public const float Key = 0f;

    /// <inheritdoc/>
    public override Action<NoColumns, KeyRow> GetMapping() => static (_, row) => row.Key = Key;

    /// <summary>The mapping reads nothing.</summary>
    public sealed class NoColumns
    {
    }

    /// <summary>The constant key.</summary>
    public sealed class KeyRow
    {
        /// <summary>Always <see cref="ConstantKeyMappingFactory.Key"/>.</summary>
        [ColumnName(StateColumns.StateKey)]
        public float Key { get; set; }
    }
}
