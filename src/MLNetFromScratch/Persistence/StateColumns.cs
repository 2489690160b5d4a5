using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetFromScratch.Persistence;

/// <summary>
/// Names of the temporary columns our components add inside their inner chains, and the check that keeps
/// them apart from the user's columns.
/// </summary>
/// <remarks>
/// A custom mapping binds its input and output members by names fixed at compile time, so the temporary
/// names are constants with a reserved prefix. Each component drops its temporary columns at its end, so
/// several of our components follow each other in one pipeline without meeting; a user column that starts
/// with the prefix is refused at fit time rather than silently shadowed.
/// </remarks>
internal static class StateColumns
{
    /// <summary>The prefix no user column may start with.</summary>
    public const string ReservedPrefix = "__MLNetFromScratch.";

    /// <summary>The constant key column the state lookup is keyed by.</summary>
    public const string StateKey = ReservedPrefix + "StateKey";

    /// <summary>The column holding the component's state text in every row.</summary>
    public const string State = ReservedPrefix + "State";

    /// <summary>A copy of the user's input column, under the name the mapping binds to.</summary>
    public const string Input = ReservedPrefix + "Input";

    /// <summary>The mapping's output, before it is trimmed and copied to the user's output column.</summary>
    public const string Output = ReservedPrefix + "Output";

    /// <summary>A second output (for example a class index before it becomes a key).</summary>
    public const string Output2 = ReservedPrefix + "Output2";

    /// <summary>The marker that keeps a loaded chain's cursor on the consumer's thread (see <see cref="SerialReadMappingFactory"/>).</summary>
    public const string SerialRead = ReservedPrefix + "SerialRead";

    /// <summary>Every temporary column a component may add, for dropping at its end.</summary>
    public static readonly string[] All = [SerialRead, StateKey, State, Input, Output, Output2];

    /// <summary>Throws when <paramref name="schema"/> holds a column with the reserved prefix.</summary>
    public static void CheckNoReservedColumns(DataViewSchema schema, string component)
    {
        foreach (DataViewSchema.Column column in schema)
        {
            ThrowIfReserved(column.Name, component);
        }
    }

    /// <summary>Throws when <paramref name="shape"/> holds a column with the reserved prefix.</summary>
    public static void CheckNoReservedColumns(SchemaShape shape, string component)
    {
        foreach (SchemaShape.Column column in shape)
        {
            ThrowIfReserved(column.Name, component);
        }
    }

    private static void ThrowIfReserved(string name, string component)
    {
        if (name.StartsWith(ReservedPrefix, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"{component}: the input has a column named '{name}'; names starting with '{ReservedPrefix}' are reserved for MLNetFromScratch's temporary columns.");
        }
    }
}
