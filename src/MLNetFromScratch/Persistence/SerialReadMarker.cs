using Microsoft.ML.Data;

namespace MLNetFromScratch.Persistence;

/// <summary>
/// The value of the <see cref="StateColumns.SerialRead"/> column: no data, only a column type that ML.NET cannot cache,
/// which keeps a loaded chain's cursor on the consumer's thread (see <see cref="SerialReadMappingFactory"/>).
/// </summary>
internal sealed class SerialReadMarker
{
    private SerialReadMarker()
    {
    }

    /// <summary>The one value every row holds.</summary>
    public static SerialReadMarker Instance { get; } = new();
}

/// <summary>
/// The column type of <see cref="SerialReadMarker"/>: structured (neither primitive nor vector), so ML.NET's cursor
/// splitter refuses a cursor where the column is active.
/// </summary>
internal sealed class SerialReadMarkerType : StructuredDataViewType
{
    private SerialReadMarkerType()
        : base(typeof(SerialReadMarker))
    {
    }

    /// <summary>The one instance.</summary>
    public static SerialReadMarkerType Instance { get; } = new();

    /// <inheritdoc/>
    public override bool Equals(DataViewType? other) => other is SerialReadMarkerType;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is SerialReadMarkerType;

    /// <inheritdoc/>
    public override int GetHashCode() => typeof(SerialReadMarkerType).GetHashCode();

    /// <inheritdoc/>
    public override string ToString() => "SerialReadMarker";
}

/// <summary>
/// Marks a member of type <see cref="SerialReadMarker"/> in a custom mapping's row. ML.NET calls <see cref="Register"/>
/// whenever it reads the row's schema, loading a model included, so the type needs no registration by the user.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
internal sealed class SerialReadMarkerTypeAttribute : DataViewTypeAttribute
{
    /// <inheritdoc/>
    public override void Register() => DataViewTypeManager.Register(SerialReadMarkerType.Instance, typeof(SerialReadMarker), this);

    /// <inheritdoc/>
    public override bool Equals(DataViewTypeAttribute other) => other is SerialReadMarkerTypeAttribute;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is SerialReadMarkerTypeAttribute;

    /// <inheritdoc/>
    public override int GetHashCode() => typeof(SerialReadMarkerTypeAttribute).GetHashCode();
}
