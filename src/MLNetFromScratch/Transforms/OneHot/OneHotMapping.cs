using Microsoft.ML.Data;
using MLNetFromScratch.Persistence;

namespace MLNetFromScratch.Transforms;

// The per-row computation of OneHot, as stateless custom mappings that read the state from its column: one
// for key columns (the raw key number), one for number columns (converted to Double by a saved ML.NET
// conversion before the mapping), each in every padded tier (OneHotMappingTiers.cs).

/// <summary>The decoded states, once per loaded model.</summary>
internal static class OneHotStateCache
{
    public static readonly DecodedStateCache<OneHotState> Instance = new(OneHotState.Decode);
}

/// <summary>Input of the key mapping.</summary>
internal sealed class OneHotKeyInput
{
    /// <summary>
    /// The raw key number (0 = missing). The count is only there so the member reads as a key; a custom mapping
    /// binds by raw type (UInt32), so any key count up to it is accepted.
    /// </summary>
    [ColumnName(StateColumns.Input)]
    [KeyType(65536)]
    public uint Input { get; set; }

    /// <summary>The state text.</summary>
    [ColumnName(StateColumns.State)]
    public ReadOnlyMemory<char> State { get; set; }
}

/// <summary>Input of the number mapping.</summary>
internal sealed class OneHotNumberInput
{
    /// <summary>The value, converted to Double (exact for every supported type within ±2^53).</summary>
    [ColumnName(StateColumns.Input)]
    public double Input { get; set; }

    /// <summary>The state text.</summary>
    [ColumnName(StateColumns.State)]
    public ReadOnlyMemory<char> State { get; set; }
}

/// <summary>The key mapping, one subclass per padded tier.</summary>
internal abstract class OneHotKeyMapping<TDst> : PaddedVectorMappingFactory<OneHotKeyInput, TDst>
    where TDst : class, IPaddedVector, new()
{
    public override Action<OneHotKeyInput, TDst> GetMapping() => (source, destination) => MapRow(source, destination.Values);

    // ML.NET reuses the output row within a cursor: the state clears the k slots before setting one.
    protected override void MapRow(OneHotKeyInput source, Span<float> destination) =>
        OneHotStateCache.Instance.Get(source.State).Map(source.Input, destination);
}

/// <summary>The number mapping, one subclass per padded tier.</summary>
internal abstract class OneHotNumberMapping<TDst> : PaddedVectorMappingFactory<OneHotNumberInput, TDst>
    where TDst : class, IPaddedVector, new()
{
    public override Action<OneHotNumberInput, TDst> GetMapping() => (source, destination) => MapRow(source, destination.Values);

    // ML.NET reuses the output row within a cursor: the state clears the k slots before setting one.
    protected override void MapRow(OneHotNumberInput source, Span<float> destination) =>
        OneHotStateCache.Instance.Get(source.State).Map(source.Input, destination);
}
