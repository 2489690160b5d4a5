using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFromScratch.Persistence;
using MLNetFromScratch.Trainers.Scoring;

namespace MLNetFromScratch;

public sealed partial class NeuralNetworkTrainer
{
    private const string PredictedLabel = "PredictedLabel";

    /// <summary>
    /// Appends the stages that score the network, the same list for fitting and for the output shape: its state
    /// (deferred: the weights are known after training) with the serial-read marker, the scoring mapping of the task, and the
    /// output columns, the last of them written by a stage that reads the marker (version 4 of the chain; see
    /// <see cref="SerialReadMappingFactory"/>).
    /// </summary>
    /// <remarks>
    /// The chain held in memory is not the saved one (<see cref="ChainBuilder.AppendSavedAs"/>). Its scoring mapping reads
    /// the features only and scores with the trained network itself (<see cref="TrainedNetwork"/>), so the state column's
    /// mapping never runs; and no stage reads the marker (<see cref="SerialCursorDataView"/> keeps a cursor on the calling
    /// thread already), so the marker's mapping never runs either, and a vector Score is the slot selection of version 3 (or a
    /// copy, when the tier is full) rather than a custom mapping. Each custom mapping that runs costs every row its row
    /// object and compiles its row accessors anew at every <c>Transform</c>: MNIST's chain compiled 12 methods a
    /// <c>Transform</c> (about 2 ms, 0.2 us a row of its 10,000 test rows) with the saved stages, 4 with these. The outputs
    /// are the saved chain's: the same columns in the same order, types and annotations, bit for bit.
    /// </remarks>
    private void AppendScoring(ChainBuilder builder, int outputs, IReadOnlyList<object> classValues, TrainedNetwork network)
    {
        builder.AppendDeferredState(serialRead: true).AppendCopy(StateColumns.Input, _options.FeatureColumnName);
        switch (Task)
        {
            case NeuralNetworkTask.BinaryClassification:
                builder.AppendSavedAs(
                    b => b.Append(network.Mapping<BinaryScoreRow>(b.Transforms, static (network, features, destination) =>
                    {
                        Span<float> logit = stackalloc float[1];
                        network.ScoreChecked(features, logit);
                        BinaryScoreMappingFactory.Write(logit[0], destination);
                    })),
                    b => b.Append(_context.Transforms.CustomMapping(
                        new SerialBinaryScoreMappingFactory().GetMapping(), SerialBinaryScoreMappingFactory.ContractName)));
                break;
            case NeuralNetworkTask.Regression when !IsVectorLabel(builder):
                builder.AppendSavedAs(
                    b => b.Append(network.Mapping<RegressionScoreRow>(b.Transforms, static (network, features, destination) =>
                    {
                        Span<float> value = stackalloc float[1];
                        network.ScoreChecked(features, value);
                        destination.Score = value[0];
                    })),
                    b => b.Append(_context.Transforms.CustomMapping(
                        new SerialRegressionScoreMappingFactory().GetMapping(), SerialRegressionScoreMappingFactory.ContractName)));
                break;
            case NeuralNetworkTask.Regression:
                AppendScoreVector(builder, VectorScore4.Tiers, outputs, network, static _ => { });
                break;
            default:
                // One mapping writes the probabilities and the predicted class (its name when the classes are named by
                // text, else its index); a lookup makes the key; the last stage writes Score.
                bool byName = TextClassValues(classValues) is not null;
                AppendScoreVector(builder, byName ? ClassNameScore4.Tiers : ClassScore4.Tiers, outputs, network, b => AppendPredictedLabel(b, classValues));
                break;
        }

        builder.AppendDropTemporaryColumns();
    }

    /// <summary>
    /// Appends the padded-vector scoring mapping of <paramref name="tiers"/>, the stages of <paramref name="appendOthers"/>
    /// (the other output columns, made from the mapping's), then the stage that writes Score: saved, one of exactly
    /// <paramref name="outputs"/> values that reads the serial-read marker, held in memory as the trim of version 3 (a
    /// copy when the tier holds exactly <paramref name="outputs"/>); past <see cref="ExactScoreMapping{TDst}.MaxSize"/>,
    /// the trim of version 3 in both (whose loaded chain ML.NET may split over threads).
    /// </summary>
    private static void AppendScoreVector(
        ChainBuilder builder, IReadOnlyList<IPaddedVectorStage> tiers, int outputs, TrainedNetwork network, Action<ChainBuilder> appendOthers)
    {
        if (outputs is < 2 or > ExactScore2.MaxSize)
        {
            builder.AppendPaddedVectorMapping(tiers, outputs, nameof(NeuralNetworkTrainer), "Score");
            appendOthers(builder);
            return;
        }

        IPaddedVectorStage tier = PaddedVectorTiers.Select(tiers, outputs, nameof(NeuralNetworkTrainer));
        builder.AppendSavedAs(b => b.Append(((IInMemoryScoringStage)tier).InMemory(b.Transforms, network)), tier.AppendMappingTo);
        appendOthers(builder);
        builder.AppendSavedAs(
            b => _ = outputs == tier.Size ? b.AppendCopy("Score", StateColumns.Output) : b.AppendTrim("Score", StateColumns.Output, outputs, tier.Size),
            ExactScore2.Sizes[outputs - 2].AppendMappingTo);
    }

    private bool IsVectorLabel(ChainBuilder builder)
    {
        if (builder.IsFitting)
        {
            return builder.Schema[_options.LabelColumnName].Type is VectorDataViewType;
        }

        foreach (SchemaShape.Column column in builder.OutputShape)
        {
            if (column.Name == _options.LabelColumnName)
            {
                return column.Kind != SchemaShape.Column.VectorKind.Scalar;
            }
        }

        return false;
    }

    /// <summary>
    /// Appends the lookup from the class index to <c>PredictedLabel</c>, a key of the label's key type and key values.
    /// </summary>
    /// <remarks>
    /// When only the output shape is asked for and the label has key values, a copy of the label has the shape the
    /// lookup will have (a scalar key with those key values): constructing the lookup instead would compile ML.NET's
    /// binary saver, ~0.2 s the first time in a process, at the <c>GetOutputSchema</c> every pipeline calls before it fits.
    /// </remarks>
    private void AppendPredictedLabel(ChainBuilder builder, IReadOnlyList<object> classValues)
    {
        if (!builder.IsFitting
            && builder.OutputShape.FirstOrDefault(c => c.Name == _options.LabelColumnName) is { IsKey: true } label
            && label.Annotations.Any(a => a.Name == "KeyValues"))
        {
            builder.AppendCopy(PredictedLabel, _options.LabelColumnName);
            return;
        }

        AppendPredictedKey(builder, classValues);
    }

    /// <summary>
    /// The class values as text when every one is non-empty text (then the scoring mapping writes the predicted class's
    /// name and a term lookup makes the key), else null (the mapping writes the index and a value lookup makes the key).
    /// </summary>
    private static string[]? TextClassValues(IReadOnlyList<object> values) =>
        values.All(v => v is string { Length: > 0 }) ? [.. values.Cast<string>()] : null;

    private static void AppendPredictedKey(ChainBuilder builder, IReadOnlyList<object> values)
    {
        if (TextClassValues(values) is { } names)
        {
            builder.AppendKeyFromText(PredictedLabel, StateColumns.Output2, names);
            return;
        }

        const string Output = PredictedLabel;
        const string Index = StateColumns.Output2;
        _ = values[0] switch
        {
            float => builder.AppendKeyFromIndex(Output, Index, [.. values.Cast<float>()]),
            double => builder.AppendKeyFromIndex(Output, Index, [.. values.Cast<double>()]),
            int => builder.AppendKeyFromIndex(Output, Index, [.. values.Cast<int>()]),
            long => builder.AppendKeyFromIndex(Output, Index, [.. values.Cast<long>()]),
            bool => builder.AppendKeyFromIndex(Output, Index, [.. values.Cast<bool>()]),
            _ => builder.AppendKeyFromIndex(Output, Index, [.. values.Select(v => (string)v)]),
        };
    }

    /// <summary>
    /// Fits the scoring stages on a thread-pool thread while <see cref="Fit"/> reads the data on its own.
    /// </summary>
    /// <remarks>
    /// The stages read only the schema, and the first fit of them in a process is mostly the JIT compilation of
    /// ML.NET's code (a few hundred milliseconds) that would otherwise follow the reading and the training; the
    /// network's state is put in after training (<see cref="ChainBuilder.BuildChainWithInMemoryState"/>). The stages use the
    /// trainer's context, which is not thread-safe: <see cref="Fit"/> joins them before it uses the context again.
    /// Whichever thread comes first fits them, so a Fit never waits for a pool thread that has not started.
    /// </remarks>
    private sealed class ScoringStages
    {
        private readonly Func<ChainBuilder> _fit;
        private readonly Task<ChainBuilder?> _background;
        private int _claimed;

        public ScoringStages(Func<ChainBuilder> fit)
        {
            _fit = fit;
            _background = System.Threading.Tasks.Task.Run(() => Claim() ? _fit() : null);
        }

        /// <summary>The fitted stages: fitted now on this thread if the pool has not started them, else waited for.</summary>
        /// <exception cref="Exception">What fitting the stages threw.</exception>
        public ChainBuilder Join() => Claim() ? _fit() : _background.GetAwaiter().GetResult()!;

        /// <summary>After a failed read: keeps the stages from starting, or waits for them (their failure is moot).</summary>
        public void Abandon()
        {
            if (!Claim())
            {
                _ = ((IAsyncResult)_background).AsyncWaitHandle.WaitOne();
                _ = _background.Exception; // observed: what the stages threw is moot once the read failed
            }
        }

        private bool Claim() => Interlocked.Exchange(ref _claimed, 1) == 0;
    }
}
