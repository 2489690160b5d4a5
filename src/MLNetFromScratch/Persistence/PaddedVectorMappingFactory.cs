using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Transforms;

namespace MLNetFromScratch.Persistence;

/// <summary>
/// The base of a component's custom mapping whose output is a vector of fit-time size: the component writes
/// <see cref="MapRow"/> once, and declares one sealed, empty subclass per tier of
/// <see cref="PaddedVectorTiers"/>, each with a <see cref="CustomMappingFactoryAttributeAttribute"/> of its own.
/// </summary>
/// <remarks>
/// <see cref="CustomMappingFactory{TSrc, TDst}.GetMapping"/> is left to the component, which writes it as
/// <c>public override Action&lt;TSrc, TDst&gt; GetMapping() =&gt; (source, destination) =&gt; MapRow(source, destination.Values);</c>
/// in its own assembly: ML.NET records the assembly that declares the mapping delegate and looks the contract
/// name up in that assembly when loading a model (checked in <see cref="AppendMappingTo"/>).
/// </remarks>
/// <typeparam name="TSrc">The input row: the mapping's inputs, including the state text.</typeparam>
/// <typeparam name="TDst">The padded output row of one tier, for example <see cref="PaddedVector64"/>.</typeparam>
internal abstract class PaddedVectorMappingFactory<TSrc, TDst> : CustomMappingFactory<TSrc, TDst>, IPaddedVectorStage
    where TSrc : class, new()
    where TDst : class, IPaddedVector, new()
{
    private static readonly int s_size = new TDst().Values.Length;

    /// <inheritdoc/>
    public int Size => s_size;

    /// <summary>The contract name, read from the subclass's attribute.</summary>
    public string ContractName =>
        GetType().GetCustomAttribute<CustomMappingFactoryAttributeAttribute>()?.ContractName
        ?? throw new InvalidOperationException($"{GetType().Name} has no {nameof(CustomMappingFactoryAttributeAttribute)}.");

    /// <inheritdoc/>
    public void AppendMappingTo(ChainBuilder builder)
    {
        Action<TSrc, TDst> mapping = GetMapping();

        // ML.NET saves the assembly of the delegate's declaring type and, at load, looks the contract name up in
        // that assembly only: a delegate declared here would send the loader to this assembly, not the factory's.
        if (mapping.Method.DeclaringType?.Assembly != GetType().Assembly)
        {
            throw new InvalidOperationException(
                $"{GetType().Name}.GetMapping must return a delegate declared in its own assembly, or the saved model will not load.");
        }

        builder.Append(builder.Transforms.CustomMapping(mapping, ContractName));
    }

    /// <summary>
    /// Computes one row: writes the first k values of <paramref name="destination"/> (k fixed at fit, at most
    /// <see cref="Size"/>); the slots after k must be left at 0.
    /// </summary>
    protected abstract void MapRow(TSrc source, Span<float> destination);
}
