using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetFromScratch.Persistence;

/// <summary>
/// The base of our fitted components: a transformer that is, inside, a chain of ML.NET's own saveable
/// transforms, and that saves as that chain.
/// </summary>
/// <remarks>
/// <see cref="Transform"/>, <see cref="GetOutputSchema"/> and <see cref="GetRowToRowMapper"/> delegate to the
/// inner chain, and <see cref="ICanSaveModel.Save"/> hands the save context to it (or to the saveable chain of the
/// same stages that stands for it, whose stages may differ from the in-memory ones where only the loaded chain needs them:
/// see <see cref="ChainBuilder.AppendSavedAs"/>), so the scores computed before a save and after <c>mlContext.Model.Load</c>
/// come from the same scoring code and are bit-identical.
/// After loading, the model is that chain of ML.NET types, not this class: components that expose learned
/// parameters read them back from their state (see <see cref="ModelStateReader"/>).
/// </remarks>
public abstract class ChainBackedTransformer : ITransformer
{
    private readonly TransformerChain<ITransformer> _chain;
    private readonly Func<TransformerChain<ITransformer>>? _saveableChain;

    private protected ChainBackedTransformer(TransformerChain<ITransformer> chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        _chain = chain;
    }

    /// <summary>
    /// A transformer whose inner chain holds a stage that cannot be saved (the state written by a closure,
    /// <see cref="ChainBuilder.BuildChainWithInMemoryState"/>): <paramref name="saveableChain"/> builds, at each save,
    /// the chain of ML.NET's own transforms that computes the same outputs, and that chain is saved.
    /// </summary>
    private protected ChainBackedTransformer(TransformerChain<ITransformer> chain, Func<TransformerChain<ITransformer>> saveableChain)
        : this(chain)
    {
        ArgumentNullException.ThrowIfNull(saveableChain);
        _saveableChain = saveableChain;
    }

    /// <summary>Whether every stage of the inner chain maps row to row (true for our components).</summary>
    public bool IsRowToRowMapper => ((ITransformer)_chain).IsRowToRowMapper;

    internal TransformerChain<ITransformer> InnerChain => _chain;

    /// <summary>The schema <see cref="Transform"/> produces from <paramref name="inputSchema"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The input lacks a column the component needs, or has the wrong type.</exception>
    /// <exception cref="ArgumentException">The input has a column with the reserved temporary-column prefix, which the inner chain would overwrite and drop.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        CheckInputSchema(inputSchema);
        StateColumns.CheckNoReservedColumns(inputSchema, GetType().Name);
        return _chain.GetOutputSchema(inputSchema);
    }

    /// <summary>A row-to-row mapper over <paramref name="inputSchema"/> (used by <c>PredictionEngine</c>).</summary>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        CheckInputSchema(inputSchema);
        StateColumns.CheckNoReservedColumns(inputSchema, GetType().Name);
        return ((ITransformer)_chain).GetRowToRowMapper(inputSchema);
    }

    /// <summary>Applies the component to <paramref name="input"/>, lazily; a single cursor of the result runs on the calling thread (see <see cref="SerialCursorDataView"/>).</summary>
    /// <exception cref="ArgumentException">The input has a column with the reserved temporary-column prefix, which the inner chain would overwrite and drop.</exception>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInputSchema(input.Schema);
        StateColumns.CheckNoReservedColumns(input.Schema, GetType().Name);
        return new SerialCursorDataView(_chain.Transform(input));
    }

    void ICanSaveModel.Save(ModelSaveContext ctx) => ((ICanSaveModel)(_saveableChain?.Invoke() ?? _chain)).Save(ctx);

    /// <summary>
    /// Checks that <paramref name="inputSchema"/> suits the component, throwing an exception that names the
    /// column at fault (the inner chain's own errors name temporary columns). The default checks nothing.
    /// </summary>
    private protected virtual void CheckInputSchema(DataViewSchema inputSchema)
    {
    }
}
