using System.Security.Cryptography;
using System.Text;

namespace MLNetFromScratch.Tuning;

/// <summary>
/// A Cartesian grid of typed parameter axes: <c>new ParameterGrid().Add("HiddenSize", new[] { 16, 32 }).Add("LearningRate", new[] { 1e-3f, 1e-2f })</c>
/// holds the 2 x 2 = 4 candidates (16, 1e-3), (16, 1e-2), (32, 1e-3), (32, 1e-2): the first axis varies slowest, as nested loops would.
/// </summary>
public sealed class ParameterGrid
{
    private readonly List<ParameterAxis> _axes = [];

    /// <summary>The axes in the order they were added.</summary>
    public IReadOnlyList<ParameterAxis> Axes => _axes;

    /// <summary>The number of candidates: the product of the axis lengths (1 for a grid without axes).</summary>
    public int Count => _axes.Aggregate(1, (product, axis) => checked(product * axis.Values.Count));

    /// <summary>
    /// A short hexadecimal SHA-256 of the axes (names, types, values in order): two grids with the same fingerprint hold the same candidates in the same order.
    /// </summary>
    public string Fingerprint => Hash(Describe());

    /// <summary>The candidate at <paramref name="index"/> (0 &lt;= index &lt; <see cref="Count"/>).</summary>
    /// <param name="index">The candidate's position in the grid.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside [0, Count).</exception>
    public ParameterSet this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            var values = new object?[_axes.Count];
            int rest = index;
            for (int a = _axes.Count - 1; a >= 0; a--)
            {
                int length = _axes[a].Values.Count;
                values[a] = _axes[a].Values[rest % length];
                rest /= length;
            }

            return new ParameterSet(index, _axes, values);
        }
    }

    /// <summary>Adds an axis named <paramref name="name"/> taking <paramref name="values"/> in order.</summary>
    /// <typeparam name="T">The type of the parameter; <see cref="ParameterSet.Get{T}(string)"/> and <see cref="ParameterSet.ApplyTo{T}(T)"/> check it.</typeparam>
    /// <param name="name">The parameter's name; for <see cref="ParameterSet.ApplyTo{T}(T)"/>, the name of a public property or field of the options.</param>
    /// <param name="values">At least one value, without repeats.</param>
    /// <returns>This grid, to chain calls.</returns>
    /// <exception cref="ArgumentException">The name is empty or already used, or <paramref name="values"/> is empty or repeats a value.</exception>
    public ParameterGrid Add<T>(string name, IEnumerable<T> values)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(values);
        if (_axes.Any(axis => axis.Name == name))
            throw new ArgumentException($"The grid already has an axis named '{name}'.", nameof(name));

        var list = values.Select(value => (object?)value).ToList();
        if (list.Count == 0)
            throw new ArgumentException($"Axis '{name}' needs at least one value.", nameof(values));
        if (list.Distinct().Count() != list.Count)
            throw new ArgumentException($"Axis '{name}' repeats a value: each candidate would be run twice.", nameof(values));

        _axes.Add(new ParameterAxis(name, typeof(T), list.AsReadOnly()));
        return this;
    }

    /// <summary>Every candidate, in grid order.</summary>
    /// <returns>The <see cref="Count"/> parameter sets.</returns>
    public IEnumerable<ParameterSet> GetCandidates()
    {
        int count = Count;
        for (int i = 0; i < count; i++)
            yield return this[i];
    }

    /// <inheritdoc/>
    public override string ToString() => Describe();

    internal string Describe() => string.Join(
        "; ",
        _axes.Select(axis => $"{axis.Name}: {axis.ValueType.Name} = [{string.Join(", ", axis.Values.Select(ParameterAxis.FormatValue))}]"));

    internal static string Hash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
}
