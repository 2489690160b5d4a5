using System.Globalization;

namespace MLNetFromScratch.Tuning;

/// <summary>
/// One named axis of a <see cref="ParameterGrid"/>: a parameter name and the values it takes, all of one type.
/// </summary>
public sealed class ParameterAxis
{
    internal ParameterAxis(string name, Type valueType, IReadOnlyList<object?> values)
    {
        Name = name;
        ValueType = valueType;
        Values = values;
    }

    /// <summary>The parameter's name, as given to <see cref="ParameterGrid.Add{T}(string, IEnumerable{T})"/>.</summary>
    public string Name { get; }

    /// <summary>The declared type of every value on this axis.</summary>
    public Type ValueType { get; }

    /// <summary>The values in the order they were given; the first value varies slowest in the grid if this is the first axis.</summary>
    public IReadOnlyList<object?> Values { get; }

    /// <summary>Formats a parameter value with the invariant culture and round-trip precision; <c>null</c> prints as <c>null</c>.</summary>
    /// <param name="value">The value to format.</param>
    /// <returns>The value's invariant text.</returns>
    public static string FormatValue(object? value) => value switch
    {
        null => "null",
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
