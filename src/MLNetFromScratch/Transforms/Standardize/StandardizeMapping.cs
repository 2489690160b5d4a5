using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using MLNetFromScratch.Persistence;

namespace MLNetFromScratch.Transforms;

// The per-row computation of Standardize, as stateless custom mappings that read the state from its column.
// The contract names are part of the saved model format: never change one; add a new version beside it.

/// <summary>The decoded states, once per loaded model.</summary>
internal static class StandardizeStateCache
{
    public static readonly DecodedStateCache<StandardizeState> Instance = new(StandardizeState.Decode);
}

/// <summary>Input of the vector mapping.</summary>
internal sealed class StandardizeVectorInput
{
    /// <summary>The values to standardize.</summary>
    [ColumnName(StateColumns.Input)]
    public float[] Input { get; set; } = [];

    /// <summary>The state text.</summary>
    [ColumnName(StateColumns.State)]
    public ReadOnlyMemory<char> State { get; set; }
}

/// <summary>Input of the scalar mapping.</summary>
internal sealed class StandardizeScalarInput
{
    /// <summary>The value to standardize.</summary>
    [ColumnName(StateColumns.Input)]
    public float Input { get; set; }

    /// <summary>The state text.</summary>
    [ColumnName(StateColumns.State)]
    public ReadOnlyMemory<char> State { get; set; }
}

/// <summary>Output of the scalar mapping.</summary>
internal sealed class StandardizeScalarOutput
{
    /// <summary>The standardized value.</summary>
    [ColumnName(StateColumns.Output)]
    public float Output { get; set; }
}

/// <summary>The scalar mapping.</summary>
[CustomMappingFactoryAttribute(ContractName)]
internal sealed class StandardizeScalarMapping : CustomMappingFactory<StandardizeScalarInput, StandardizeScalarOutput>
{
    public const string ContractName = "MLNetFromScratch.Standardize.Scalar.v1";

    public override Action<StandardizeScalarInput, StandardizeScalarOutput> GetMapping() =>
        static (source, destination) => destination.Output = StandardizeStateCache.Instance.Get(source.State).Map(source.Input, 0);
}

/// <summary>The vector mapping, one subclass per padded tier.</summary>
internal abstract class StandardizeVectorMapping<TDst> : PaddedVectorMappingFactory<StandardizeVectorInput, TDst>
    where TDst : class, IPaddedVector, new()
{
    public override Action<StandardizeVectorInput, TDst> GetMapping() => (source, destination) => MapRow(source, destination.Values);

    protected override void MapRow(StandardizeVectorInput source, Span<float> destination)
    {
        StandardizeState state = StandardizeStateCache.Instance.Get(source.State);
        float[] input = source.Input;
        if (input.Length != state.Means.Length)
        {
            throw new InvalidDataException(
                $"Standardize: column '{state.Parameters.InputColumnName}' has {input.Length} slots; it was fitted on {state.Means.Length}.");
        }

        for (int i = 0; i < input.Length; i++)
        {
            destination[i] = state.Map(input[i], i);
        }
    }
}

[CustomMappingFactoryAttribute("MLNetFromScratch.Standardize.Vector4.v1")]
internal sealed class StandardizeVector4 : StandardizeVectorMapping<PaddedVector4>;

[CustomMappingFactoryAttribute("MLNetFromScratch.Standardize.Vector16.v1")]
internal sealed class StandardizeVector16 : StandardizeVectorMapping<PaddedVector16>;

[CustomMappingFactoryAttribute("MLNetFromScratch.Standardize.Vector64.v1")]
internal sealed class StandardizeVector64 : StandardizeVectorMapping<PaddedVector64>;

[CustomMappingFactoryAttribute("MLNetFromScratch.Standardize.Vector256.v1")]
internal sealed class StandardizeVector256 : StandardizeVectorMapping<PaddedVector256>;

[CustomMappingFactoryAttribute("MLNetFromScratch.Standardize.Vector1024.v1")]
internal sealed class StandardizeVector1024 : StandardizeVectorMapping<PaddedVector1024>;

[CustomMappingFactoryAttribute("MLNetFromScratch.Standardize.Vector4096.v1")]
internal sealed class StandardizeVector4096 : StandardizeVectorMapping<PaddedVector4096>;

[CustomMappingFactoryAttribute("MLNetFromScratch.Standardize.Vector16384.v1")]
internal sealed class StandardizeVector16384 : StandardizeVectorMapping<PaddedVector16384>;

[CustomMappingFactoryAttribute("MLNetFromScratch.Standardize.Vector65536.v1")]
internal sealed class StandardizeVector65536 : StandardizeVectorMapping<PaddedVector65536>;
