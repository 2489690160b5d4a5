using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace MLNetFromScratch.Persistence;

/// <summary>
/// The first stage of a saved scoring chain: a stateful custom mapping that reads no column and writes, in every row,
/// the constant key of the state (as <see cref="ConstantKeyMappingFactory"/> does: the same stage, one fewer a row) and
/// <see cref="SerialReadMarker.Instance"/> to <see cref="StateColumns.SerialRead"/>. The stage that writes the chain's
/// last user column reads the marker, so that every cursor of a loaded chain reads the input on the
/// consumer's thread, as <see cref="SerialCursorDataView"/> does before the model is saved.
/// </summary>
/// <remarks>
/// After <c>mlContext.Model.Load</c> the model is a chain of ML.NET's transforms, and ML.NET asked for one cursor splits
/// the rows over two worker threads (a third reading the input) and merges them back in order whenever a stage adds
/// a column that is read: on two cores that cost MNIST's scores about 1.3x the time of one thread. From the source of
/// ML.NET 5: a row-mapping stage (<c>RowToRowMapperTransform</c>) splits its input cursor only when every active column
/// of it can be cached (a primitive or a vector), and a stateful custom mapping never splits (it reads its input with a
/// single cursor). So: this stage, stateful, reads the input with one cursor; its marker column, of a type that cannot be
/// cached, stays active up to the last stage that reads it, so no stage in between splits; and the set of one cursor
/// that comes back needs no merging. A consumer that asks for a cursor set gets one cursor. Stages before this one
/// (ML.NET's own, earlier in a loaded pipeline) are asked for a single cursor even when the consumer asked for a set of
/// one, and may split it over threads themselves (a stateful mapping asked for a set of one asks its input for a cursor).
/// In memory the chain holds the stateless twin (<see cref="InMemory"/>), whose outputs are the same, and no stage reads
/// the marker (the stages that do are saved in place of their in-memory twins, see <see cref="ChainBuilder.AppendSavedAs"/>),
/// so the twin costs a row nothing: there <see cref="SerialCursorDataView"/> runs a single cursor on the calling thread all
/// the way up the pipeline, and a consumer that asks for a cursor set still gets the split it asks for.
/// </remarks>
[CustomMappingFactoryAttribute(ContractName)]
internal sealed class SerialReadMappingFactory
    : StatefulCustomMappingFactory<ConstantKeyMappingFactory.NoColumns, SerialReadMappingFactory.MarkerRow, SerialReadMappingFactory.NoState>
{
    /// <summary>The contract name saved in models; part of the file format, never change it.</summary>
    public const string ContractName = "MLNetFromScratch.SerialRead.v1";

    /// <summary>The stage to save.</summary>
    public static StatefulCustomMappingEstimator<ConstantKeyMappingFactory.NoColumns, MarkerRow, NoState> Saveable(TransformsCatalog transforms)
    {
        var factory = new SerialReadMappingFactory();
        return transforms.StatefulCustomMapping(factory.GetMapping(), factory.GetStateInitAction(), ContractName);
    }

    /// <summary>The stateless stage with the same output, for the chain held in memory (never saved).</summary>
    public static CustomMappingEstimator<ConstantKeyMappingFactory.NoColumns, MarkerRow> InMemory(TransformsCatalog transforms) =>
        transforms.CustomMapping<ConstantKeyMappingFactory.NoColumns, MarkerRow>(static (_, row) => Write(row), contractName: null);

    /// <inheritdoc/>
    public override Action<ConstantKeyMappingFactory.NoColumns, MarkerRow, NoState> GetMapping() => static (_, row, _) => Write(row);

    /// <inheritdoc/>
    public override Action<NoState> GetStateInitAction() => static _ => { };

    private static void Write(MarkerRow row)
    {
        row.Key = ConstantKeyMappingFactory.Key;
        row.Marker = SerialReadMarker.Instance;
    }

    /// <summary>The constant key and the marker column.</summary>
    public sealed class MarkerRow
    {
        /// <summary>Always <see cref="ConstantKeyMappingFactory.Key"/>.</summary>
        [ColumnName(StateColumns.StateKey)]
        public float Key { get; set; }

        /// <summary>Always <see cref="SerialReadMarker.Instance"/>.</summary>
        [ColumnName(StateColumns.SerialRead)]
        [SerialReadMarkerType]
        public SerialReadMarker Marker { get; set; } = SerialReadMarker.Instance;
    }

    /// <summary>The stateful mapping's state: none.</summary>
    public sealed class NoState
    {
    }
}
