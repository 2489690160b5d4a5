using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace MLNetFromScratch.Persistence;

/// <summary>
/// Assembles the inner chain of ML.NET's own saveable transforms that a fitted component of ours is made of.
/// </summary>
/// <remarks>
/// One description of the stages serves two purposes. <see cref="ForData"/> fits each stage on the output of
/// the previous ones (every stage here is trivial: fitting reads the schema, never the rows) and
/// <see cref="BuildChain()"/> returns the transformers. <see cref="ForShape"/> asks the same public
/// estimators for their <see cref="SchemaShape"/>, which is how an estimator of ours answers
/// <c>GetOutputSchema</c> without constructing <see cref="SchemaShape.Column"/> (an internal constructor).
/// A typical component appends: its state (<see cref="AppendState"/>), a copy of the user's input to
/// <see cref="StateColumns.Input"/>, its custom mapping, a copy of the result to the user's output column,
/// and <see cref="AppendDropTemporaryColumns"/>. A component whose state is learned from the rows after its
/// stages could be fitted (a trainer) appends <see cref="AppendDeferredState"/> instead and passes the state to
/// <see cref="BuildChain(string)"/>.
/// </remarks>
internal sealed class ChainBuilder
{
    private readonly List<ITransformer> _stages = [];
    private IDataView? _view;
    private SchemaShape? _shape;
    private int _deferredStateStage = -1;
    private int _serialReadStage = -1;
    private IDataView? _viewBeforeDeferredState;

    // The stages saved in place of the one held in memory at the same index (see AppendSavedAs).
    private readonly Dictionary<int, ITransformer> _savedForms = [];

    private ChainBuilder(TransformsCatalog transforms) => Transforms = transforms;

    /// <summary>The catalog the stages are created with (the user's context: its seed and log).</summary>
    public TransformsCatalog Transforms { get; }

    /// <summary>True when building transformers, false when only computing the output shape.</summary>
    public bool IsFitting => _view is not null;

    /// <summary>The schema after the stages appended so far (fitting mode only).</summary>
    public DataViewSchema Schema => (_view ?? throw new InvalidOperationException("Only a fitting builder has a schema.")).Schema;

    /// <summary>The shape after the stages appended so far (shape mode only).</summary>
    public SchemaShape OutputShape => _shape ?? throw new InvalidOperationException("Only a shape builder has an output shape.");

    /// <summary>A builder that fits the stages, starting from <paramref name="input"/>'s schema.</summary>
    public static ChainBuilder ForData(TransformsCatalog transforms, IDataView input) => new(transforms) { _view = input };

    /// <summary>A builder that only propagates <paramref name="input"/> through the stages' estimators.</summary>
    public static ChainBuilder ForShape(TransformsCatalog transforms, SchemaShape input) => new(transforms) { _shape = input };

    /// <summary>Appends a trivial estimator (one whose fit needs no rows): CopyColumns, MapValue, CustomMapping, ...</summary>
    public ChainBuilder Append(IEstimator<ITransformer> estimator)
    {
        if (_view is not null)
        {
            ITransformer transformer = estimator.Fit(_view);
            return Append(transformer);
        }

        _shape = estimator.GetOutputSchema(OutputShape);
        return this;
    }

    /// <summary>Appends a transformer fitted elsewhere; in shape mode, <paramref name="shapeEstimator"/> stands for it.</summary>
    public ChainBuilder Append(ITransformer transformer, IEstimator<ITransformer>? shapeEstimator = null)
    {
        if (_view is not null)
        {
            _stages.Add(transformer);
            _view = transformer.Transform(_view);
            return this;
        }

        _shape = (shapeEstimator ?? throw new ArgumentNullException(nameof(shapeEstimator))).GetOutputSchema(OutputShape);
        return this;
    }

    /// <summary>
    /// Appends the two stages that put <paramref name="stateText"/> into <see cref="StateColumns.State"/>
    /// in every row: a constant key column, then an expression of it whose body is the text (see <see cref="StateLookup"/>),
    /// saved with the model.
    /// </summary>
    public ChainBuilder AppendState(string stateText)
    {
        Append(Transforms.CustomMapping(new ConstantKeyMappingFactory().GetMapping(), ConstantKeyMappingFactory.ContractName));
        return AppendStateLookup(stateText);
    }

    /// <summary>
    /// Appends the stages of <see cref="AppendState"/> for a state learned later (a network's weights, known after
    /// training) with an empty text in its place, so that the stages after it, which read only the schema, can be
    /// fitted first. <see cref="BuildChain(string)"/> puts the state in.
    /// </summary>
    /// <param name="serialRead">
    /// Whether the key comes with the marker column <see cref="StateColumns.SerialRead"/> (see
    /// <see cref="SerialReadMappingFactory"/>): written in memory by a stateless mapping, saved as the stateful one. A stage
    /// appended later that writes the component's last user column must read the marker in the saved chain, or it changes
    /// nothing; in memory no stage needs to (<see cref="AppendSavedAs"/>).
    /// </param>
    public ChainBuilder AppendDeferredState(bool serialRead = false)
    {
        if (_deferredStateStage >= 0)
        {
            throw new InvalidOperationException("A chain holds at most one deferred state.");
        }

        if (serialRead)
        {
            _serialReadStage = _view is not null ? _stages.Count : -1;
            Append(SerialReadMappingFactory.InMemory(Transforms));
        }
        else
        {
            Append(Transforms.CustomMapping(new ConstantKeyMappingFactory().GetMapping(), ConstantKeyMappingFactory.ContractName));
        }

        if (_view is not null)
        {
            _viewBeforeDeferredState = _view;
            _deferredStateStage = _stages.Count;
        }

        // A placeholder with the lookup's output column (text, whatever the text): the stages after it see the schema
        // they will score with, and no lookup is constructed for a text that is replaced.
        return Append(StateShapeMapping.Estimator(Transforms));
    }

    /// <summary>Appends a copy of <paramref name="inputColumnName"/> as <paramref name="outputColumnName"/>.</summary>
    public ChainBuilder AppendCopy(string outputColumnName, string inputColumnName) =>
        Append(Transforms.CopyColumns(outputColumnName, inputColumnName));

    /// <summary>
    /// Appends one stage held in memory as the one <paramref name="inMemory"/> appends and saved as the one
    /// <paramref name="saved"/> appends: two stages with the same output columns (names, types, annotations) and values,
    /// the in-memory one cheaper a row, the saved one doing what only matters once loaded. In shape mode, the saved one.
    /// </summary>
    /// <exception cref="InvalidOperationException">One of them appended no stage or more than one.</exception>
    public ChainBuilder AppendSavedAs(Action<ChainBuilder> inMemory, Action<ChainBuilder> saved)
    {
        if (_view is null)
        {
            saved(this);
            return this;
        }

        IDataView before = _view;
        int index = _stages.Count;
        saved(this);
        if (_stages.Count != index + 1)
        {
            throw new InvalidOperationException("The saved form must be one stage.");
        }

        ITransformer savedStage = _stages[index];
        _stages.RemoveAt(index);
        _view = before;
        inMemory(this);
        if (_stages.Count != index + 1)
        {
            throw new InvalidOperationException("The in-memory form must be one stage.");
        }

        _savedForms[index] = savedStage;
        return this;
    }

    /// <summary>
    /// Appends a padded-vector mapping of the smallest tier that holds <paramref name="length"/> values and the
    /// saved slot selection that trims <see cref="StateColumns.Output"/> to a known-size vector of that length,
    /// written to <paramref name="outputColumnName"/>: the selection trims straight into it, or, when no trimming is
    /// needed and it is another column, a copy of <see cref="StateColumns.Output"/>.
    /// </summary>
    /// <remarks>Trimming into the output column is one stage fewer than trimming in place and copying: every stage costs each row a cursor step.</remarks>
    public ChainBuilder AppendPaddedVectorMapping(
        IReadOnlyList<IPaddedVectorStage> tiers, int length, string component, string outputColumnName = StateColumns.Output)
    {
        IPaddedVectorStage tier = PaddedVectorTiers.Select(tiers, length, component);
        tier.AppendMappingTo(this);
        if (length != tier.Size)
        {
            return AppendTrim(outputColumnName, StateColumns.Output, length, tier.Size);
        }

        return outputColumnName == StateColumns.Output ? this : AppendCopy(outputColumnName, StateColumns.Output);
    }

    /// <summary>
    /// Appends a value lookup that turns a 0-based <c>uint</c> class index in <paramref name="indexColumnName"/>
    /// into a key column whose key values are <paramref name="keyValues"/>, in that order (index i is key i + 1,
    /// with key value <c>keyValues[i]</c>); an index outside the table gives the missing key, 0.
    /// </summary>
    /// <typeparam name="TValue">The key values' type: text (<see cref="string"/>), float, double, int, long, bool, ...
    /// not <see cref="uint"/> or <see cref="ulong"/>, which the lookup would use as raw key numbers.</typeparam>
    public ChainBuilder AppendKeyFromIndex<TValue>(string outputColumnName, string indexColumnName, IReadOnlyList<TValue> keyValues)
        where TValue : notnull
    {
        if (typeof(TValue) == typeof(uint) || typeof(TValue) == typeof(ulong))
        {
            throw new NotSupportedException(
                $"Key values of type {typeof(TValue).Name} are taken by ML.NET's value lookup as raw key numbers; pass them as another type (long, text).");
        }

        if (keyValues.Count == 0 || keyValues.Distinct().Count() != keyValues.Count)
        {
            throw new ArgumentException("The key values must be non-empty and distinct.", nameof(keyValues));
        }

        var pairs = new KeyValuePair<uint, TValue>[keyValues.Count];
        for (int i = 0; i < pairs.Length; i++)
        {
            pairs[i] = new KeyValuePair<uint, TValue>((uint)i, keyValues[i]);
        }

        return Append(Transforms.Conversion.MapValue(outputColumnName, pairs, indexColumnName, treatValuesAsKeyType: true));
    }

    /// <summary>
    /// Appends ML.NET's term lookup that turns the text in <paramref name="textColumnName"/> into a key column whose key
    /// values are <paramref name="keyValues"/>, in that order (the text <c>keyValues[i]</c> is key i + 1); any other
    /// text gives the missing key, 0. The same key type and key values as <see cref="AppendKeyFromIndex{TValue}"/> with
    /// text values, at a hash of the text a row instead of a reflective call.
    /// </summary>
    /// <exception cref="ArgumentException">The key values are empty, not distinct, or one is the empty text.</exception>
    public ChainBuilder AppendKeyFromText(string outputColumnName, string textColumnName, IReadOnlyList<string> keyValues)
    {
        if (keyValues.Count == 0 || keyValues.Distinct(StringComparer.Ordinal).Count() != keyValues.Count || keyValues.Any(v => v.Length == 0))
        {
            throw new ArgumentException("The key values must be non-empty, distinct and not the empty text.", nameof(keyValues));
        }

        // The terms only feed the lookup's fit, which saves them; any context can make the view (the catalog's own is internal).
        IDataView terms = new MLContext().Data.LoadFromEnumerable(keyValues.Select(v => new TermRow { Term = v }));
        return Append(Transforms.Conversion.MapValueToKey(
            outputColumnName, textColumnName, keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByOccurrence, keyData: terms));
    }

    /// <summary>Appends the removal of every temporary column present, so only the user's columns remain.</summary>
    public ChainBuilder AppendDropTemporaryColumns()
    {
        string[] present = _view is not null
            ? [.. StateColumns.All.Where(name => _view.Schema.GetColumnOrNull(name) is not null)]
            : [.. StateColumns.All.Where(name => OutputShape.Any(column => column.Name == name))];
        return present.Length == 0 ? this : Append(Transforms.DropColumns(present));
    }

    /// <summary>The fitted inner chain (fitting mode only).</summary>
    public TransformerChain<ITransformer> BuildChain()
    {
        if (_view is null)
        {
            throw new InvalidOperationException("A shape builder has no transformers.");
        }

        if (_deferredStateStage >= 0)
        {
            throw new InvalidOperationException("The chain has a deferred state: build it with its state text.");
        }

        return new TransformerChain<ITransformer>(SaveableStages(Transforms, [.. _stages], _serialReadStage, _savedForms, _viewBeforeDeferredState ?? _view));
    }

    /// <summary>The fitted inner chain with <paramref name="stateText"/> as the state of <see cref="AppendDeferredState"/>.</summary>
    public TransformerChain<ITransformer> BuildChain(string stateText)
    {
        if (_viewBeforeDeferredState is null)
        {
            throw new InvalidOperationException("Only a fitting builder with a deferred state takes a state text.");
        }

        ITransformer[] stages = SaveableStages(Transforms, [.. _stages], _serialReadStage, _savedForms, _viewBeforeDeferredState);
        stages[_deferredStateStage] = StateLookup(Transforms, stateText).Fit(_viewBeforeDeferredState);
        return new TransformerChain<ITransformer>(stages);
    }

    /// <summary>
    /// The fitted inner chain with <paramref name="stateText"/> as the state of <see cref="AppendDeferredState"/>,
    /// held in memory by a mapping that writes the text, and the function that builds the chain to save, where the
    /// expression holds the text (the chain <see cref="BuildChain(string)"/> returns).
    /// </summary>
    /// <remarks>
    /// Constructing the state stage parses the text into an expression (a value lookup, as models saved before hold it,
    /// serialized its table with ML.NET's binary saver, about 16 bytes of garbage a character of state: a network's
    /// state is 4/3 characters a weight, 9 MB for 100,000 weights), garbage that no collection reclaims before a Fit
    /// that allocates little else returns. In memory the text is written by a closure instead; the expression is
    /// constructed when the model is saved, so the saved model is the same. Both chains score the same
    /// text with the same stages, except those appended by <see cref="AppendSavedAs"/> (whose two forms give the same
    /// outputs), so their outputs are bit-identical. The functions hold the fitted stages and the
    /// text, never the view the stages were fitted on (the training data).
    /// </remarks>
    public (TransformerChain<ITransformer> Chain, Func<TransformerChain<ITransformer>> SaveableChain) BuildChainWithInMemoryState(string stateText)
    {
        ArgumentNullException.ThrowIfNull(stateText);
        if (_viewBeforeDeferredState is null)
        {
            throw new InvalidOperationException("Only a fitting builder with a deferred state takes a state text.");
        }

        ITransformer[] stages = [.. _stages];
        int stateStage = _deferredStateStage, serialReadStage = _serialReadStage;
        Dictionary<int, ITransformer> savedForms = new(_savedForms);
        stages[stateStage] = StateShapeMapping.Writing(Transforms, stateText).Fit(_viewBeforeDeferredState);
        return (new TransformerChain<ITransformer>(stages), () => SaveableChain(stages, stateStage, serialReadStage, savedForms, stateText));
    }

    // The chain with the state expression in place of the in-memory state mapping, and the stateful serial-read marker in
    // place of its stateless twin; the expression is built by its estimator, whose fit only checks that the input has the
    // key column (the marker's reads no column).
    private static TransformerChain<ITransformer> SaveableChain(
        ITransformer[] stages, int stateStage, int serialReadStage, IReadOnlyDictionary<int, ITransformer> savedForms, string stateText)
    {
        var context = new MLContext();
        IDataView keyColumn = context.Data.LoadFromEnumerable(Array.Empty<ConstantKeyMappingFactory.KeyRow>());
        ITransformer[] saved = SaveableStages(context.Transforms, [.. stages], serialReadStage, savedForms, keyColumn);
        saved[stateStage] = StateLookup(context.Transforms, stateText).Fit(keyColumn);
        return new TransformerChain<ITransformer>(saved);
    }

    // The stages with the stateful serial-read marker in place of its in-memory twin (when there is one), and the saved
    // form of every stage appended by AppendSavedAs in place of its in-memory form.
    private static ITransformer[] SaveableStages(
        TransformsCatalog transforms, ITransformer[] stages, int serialReadStage, IReadOnlyDictionary<int, ITransformer> savedForms, IDataView? anyView)
    {
        foreach ((int index, ITransformer saved) in savedForms)
        {
            stages[index] = saved;
        }

        if (serialReadStage >= 0 && anyView is not null)
        {
            stages[serialReadStage] = SerialReadMappingFactory.Saveable(transforms).Fit(anyView);
        }

        return stages;
    }

    /// <summary>Appends the state stage; in shape mode, a mapping with the same output shape that costs far less to construct.</summary>
    private ChainBuilder AppendStateLookup(string stateText) =>
        _view is not null ? Append(StateLookup(Transforms, stateText)) : Append(StateShapeMapping.Estimator(Transforms));

    /// <summary>
    /// The stage that turns the constant key into <paramref name="stateText"/>: an expression whose body is the text as
    /// a literal, saved with the model.
    /// </summary>
    /// <remarks>
    /// Models saved before carry the text in a value lookup (<c>MapValue</c>) instead; they still load, and
    /// <see cref="ModelStateReader"/> reads both. The expression costs a row far less: the lookup calls ML.NET's
    /// reflection for every row (about 100 B of garbage and a sixth of the chain's time on top of the forward pass),
    /// where the compiled expression returns the same string every time, without allocating.
    /// </remarks>
    private static ExpressionEstimator StateLookup(TransformsCatalog transforms, string stateText)
    {
        // A state text is base64 (StateCodec): it needs no escaping in the expression's string literal.
        if (stateText.Contains('"', StringComparison.Ordinal) || stateText.Contains('\\', StringComparison.Ordinal))
        {
            throw new ArgumentException("A state text holds no quote or backslash.", nameof(stateText));
        }

        return transforms.Expression(StateColumns.State, string.Concat("x : \"", stateText, "\""), StateColumns.StateKey);
    }

    /// <summary>
    /// Appends the saved slot selection that keeps the first <paramref name="length"/> of the
    /// <paramref name="paddedLength"/> slots of <paramref name="column"/>, written to <paramref name="outputColumnName"/>.
    /// </summary>
    public ChainBuilder AppendTrim(string outputColumnName, string column, int length, int paddedLength)
    {
        // No public transform drops a fixed slot range; a count-based feature selection fitted on one row whose
        // first `length` slots are non-zero keeps exactly those slots, and saves as ML.NET's slot-dropping transform.
        CountFeatureSelectingEstimator selector = Transforms.FeatureSelection.SelectFeaturesBasedOnCount(outputColumnName, column, count: 1);
        if (_view is null)
        {
            return Append(selector);
        }

        var values = new float[paddedLength];
        values.AsSpan(0, length).Fill(1f);
        SchemaDefinition definition = SchemaDefinition.Create(typeof(TrimRow));
        definition[0].ColumnName = column;
        definition[0].ColumnType = new VectorDataViewType(NumberDataViewType.Single, paddedLength);
        // The one-row view only feeds the selector's fit; any context can make it (the catalog's own is internal).
        IDataView oneRow = new MLContext().Data.LoadFromEnumerable([new TrimRow { Values = values }], definition);
        return Append(selector.Fit(oneRow));
    }

    private sealed class TermRow
    {
        public string Term { get; set; } = "";
    }

    private sealed class TrimRow
    {
        public float[] Values { get; set; } = [];
    }
}
