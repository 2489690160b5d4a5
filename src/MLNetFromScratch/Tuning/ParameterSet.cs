namespace MLNetFromScratch.Tuning;

/// <summary>
/// One candidate of a <see cref="ParameterGrid"/>: a value for each axis, read with <see cref="Get{T}(string)"/>
/// or copied onto an options object with <see cref="ApplyTo{T}(T)"/>.
/// </summary>
public sealed class ParameterSet
{
    private readonly IReadOnlyList<ParameterAxis> _axes;
    private readonly object?[] _values;

    internal ParameterSet(int index, IReadOnlyList<ParameterAxis> axes, object?[] values)
    {
        Index = index;
        _axes = axes;
        _values = values;
    }

    /// <summary>The candidate's position in its grid (0-based); it also identifies the candidate in shard files.</summary>
    public int Index { get; }

    /// <summary>The parameter names, in axis order.</summary>
    public IReadOnlyList<string> Names => _axes.Select(axis => axis.Name).ToList();

    /// <summary>The value of <paramref name="name"/>, boxed.</summary>
    /// <param name="name">An axis name.</param>
    /// <exception cref="KeyNotFoundException">No axis has that name.</exception>
    public object? this[string name] => _values[IndexOf(name)];

    /// <summary>The value of <paramref name="name"/> as <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The axis' value type (or a type it converts to by reference or boxing).</typeparam>
    /// <param name="name">An axis name.</param>
    /// <returns>The candidate's value.</returns>
    /// <exception cref="KeyNotFoundException">No axis has that name.</exception>
    /// <exception cref="InvalidCastException">The value is not a <typeparamref name="T"/>.</exception>
    public T Get<T>(string name)
    {
        object? value = this[name];
        if (value is T typed)
            return typed;
        if (value is null && default(T) is null)
            return default!;
        throw new InvalidCastException(
            $"Parameter '{name}' is a {_axes[IndexOf(name)].ValueType.Name}, not a {typeof(T).Name}.");
    }

    /// <summary>Whether the set has a parameter named <paramref name="name"/>.</summary>
    /// <param name="name">A parameter name.</param>
    /// <returns><c>true</c> when an axis has that name.</returns>
    public bool Contains(string name) => _axes.Any(axis => axis.Name == name);

    /// <summary>
    /// Copies every parameter onto the public settable property or public field of the same name of <paramref name="target"/>
    /// (for example <c>set.ApplyTo(new SdcaMaximumEntropyMulticlassTrainer.Options { NumberOfThreads = 1 })</c>), and returns it.
    /// A value of type <c>T</c> may go to a member of type <c>T</c>, <c>T?</c>, or a base type or interface of <c>T</c>.
    /// </summary>
    /// <typeparam name="TOptions">The options type.</typeparam>
    /// <param name="target">The object to fill.</param>
    /// <returns><paramref name="target"/>.</returns>
    /// <exception cref="ArgumentException">A parameter names no public settable member of <typeparamref name="TOptions"/>, or its value does not fit the member's type.</exception>
    public TOptions ApplyTo<TOptions>(TOptions target)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(target);
        for (int a = 0; a < _axes.Count; a++)
            MemberSetter.Set(target, _axes[a].Name, _values[a], nameof(target));
        return target;
    }

    /// <summary>The parameters as <c>Name=value</c> pairs, for example <c>HiddenSize=32, LearningRate=0.01</c>.</summary>
    /// <returns>A readable description.</returns>
    public override string ToString() =>
        string.Join(", ", _axes.Select((axis, a) => $"{axis.Name}={ParameterAxis.FormatValue(_values[a])}"));

    private int IndexOf(string name)
    {
        for (int a = 0; a < _axes.Count; a++)
        {
            if (_axes[a].Name == name)
                return a;
        }

        throw new KeyNotFoundException(
            $"No parameter named '{name}'; the grid has {string.Join(", ", _axes.Select(axis => $"'{axis.Name}'"))}.");
    }
}
