using Microsoft.ML;

namespace MLNetFromScratch.Tests.Infrastructure;

/// <summary>
/// Builds a <see cref="SchemaShape"/> with public API only (<c>SchemaShape.Create</c> is internal): the output
/// shape of a custom mapping that reads nothing and writes the members of <typeparamref name="TRow"/>.
/// </summary>
internal static class Shapes
{
    public static SchemaShape Of<TRow>(MLContext context)
        where TRow : class, new() =>
        context.Transforms.CustomMapping<Empty, TRow>((_, _) => { }, contractName: null).GetOutputSchema(new SchemaShape([]));

    public sealed class Empty
    {
    }
}
