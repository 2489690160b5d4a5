using System.Diagnostics.CodeAnalysis;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace MLNetFromScratch.Persistence;

/// <summary>
/// Reads the state texts of our components back from a model, in particular one returned by
/// <c>mlContext.Model.Load</c>, which is a (possibly nested) chain of ML.NET's transforms.
/// </summary>
/// <remarks>
/// It walks the chain in order, finds each state (the constant-key mapping, with or without the serial-read marker, followed by the stage that turns the key
/// into the text: an expression, as <see cref="ChainBuilder.AppendState"/> writes it, or, in models saved before, a
/// value lookup, or, in a chain held in memory, the mapping that writes the state,
/// <see cref="ChainBuilder.BuildChainWithInMemoryState"/>), runs just those two stages on a one-row view with no
/// columns, and keeps the states of the requested kind.
/// </remarks>
internal static class ModelStateReader
{
    /// <summary>The state texts of kind <paramref name="kind"/> in <paramref name="model"/>, in pipeline order.</summary>
    public static IReadOnlyList<string> ReadStates(ITransformer model, string kind)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(kind);
        var states = new List<string>();
        var context = new MLContext();
        IDataView? oneRow = null;
        List<ITransformer> stages = [.. Flatten(model)];
        for (int i = 0; i + 1 < stages.Count; i++)
        {
            if (!IsStateKeyStage(stages[i]))
            {
                continue;
            }

            // One dummy column: ML.NET's parallel cursor splitter refuses a view with no columns at all.
            oneRow ??= context.Data.LoadFromEnumerable([new OneRow()]);
            IDataView withState = stages[i + 1].Transform(stages[i].Transform(oneRow));
            DataViewSchema.Column? column = withState.Schema.GetColumnOrNull(StateColumns.State);
            if (column is null || column.Value.Type is not TextDataViewType)
            {
                continue;
            }

            using DataViewRowCursor cursor = withState.GetRowCursor([column.Value]);
            ValueGetter<ReadOnlyMemory<char>> getter = cursor.GetGetter<ReadOnlyMemory<char>>(column.Value);
            ReadOnlyMemory<char> text = default;
            if (cursor.MoveNext())
            {
                getter(ref text);
                if (StateCodec.TryReadKind(text.Span, out string found) && found == kind)
                {
                    states.Add(text.ToString());
                }
            }
        }

        return states;
    }

    /// <summary>The first state of kind <paramref name="kind"/> in <paramref name="model"/>, if any.</summary>
    public static bool TryReadState(ITransformer model, string kind, [NotNullWhen(true)] out string? state)
    {
        IReadOnlyList<string> states = ReadStates(model, kind);
        state = states.Count > 0 ? states[0] : null;
        return state is not null;
    }

    // The stages that write the constant key the state stage reads: the key alone, or with the serial-read marker (in
    // memory, and saved).
    private static bool IsStateKeyStage(ITransformer stage) =>
        stage is CustomMappingTransformer<ConstantKeyMappingFactory.NoColumns, ConstantKeyMappingFactory.KeyRow>
            or CustomMappingTransformer<ConstantKeyMappingFactory.NoColumns, SerialReadMappingFactory.MarkerRow>
            or StatefulCustomMappingTransformer<ConstantKeyMappingFactory.NoColumns, SerialReadMappingFactory.MarkerRow, SerialReadMappingFactory.NoState>;

    private static IEnumerable<ITransformer> Flatten(ITransformer transformer)
    {
        IEnumerable<ITransformer>? children = transformer switch
        {
            ChainBackedTransformer backed => backed.InnerChain,
            IEnumerable<ITransformer> chain => chain,
            _ => null,
        };

        if (children is null)
        {
            yield return transformer;
            yield break;
        }

        foreach (ITransformer child in children)
        {
            foreach (ITransformer leaf in Flatten(child))
            {
                yield return leaf;
            }
        }
    }

    private sealed class OneRow
    {
        public float Unused { get; set; }
    }
}
