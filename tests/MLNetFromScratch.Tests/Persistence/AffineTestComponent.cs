using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using MLNetFromScratch.Persistence;

namespace MLNetFromScratch.Tests.Persistence;

// A tiny component built on the persistence mechanism, the way a real one is:
// Score = x * scale + offset (a vector of fit-time size), PredictedLabel = key of argmax(Score) with text key values.

internal sealed record AffineState(float[] Scale, float[] Offset, string[] ClassNames)
{
    public const string Kind = "TestAffine";

    public string Encode()
    {
        var writer = new StatePayloadWriter();
        writer.WriteSingles(Scale);
        writer.WriteSingles(Offset);
        writer.WriteInt32(ClassNames.Length);
        foreach (string name in ClassNames)
        {
            writer.WriteString(name);
        }

        return writer.ToStateText(Kind, version: 1);
    }

    public static AffineState Decode(ReadOnlyMemory<char> text)
    {
        StatePayloadReader reader = StateCodec.Decode(text.Span, Kind, maxSupportedVersion: 1).CreateReader();
        float[] scale = reader.ReadSingles();
        float[] offset = reader.ReadSingles();
        var names = new string[reader.ReadCount(4, "class name")];
        for (int i = 0; i < names.Length; i++)
        {
            names[i] = reader.ReadString();
        }

        reader.EnsureEnd();
        return new AffineState(scale, offset, names);
    }
}

public sealed class AffineInput
{
    [ColumnName(StateColumns.Input)]
    public float[] Input { get; set; } = [];

    [ColumnName(StateColumns.State)]
    public ReadOnlyMemory<char> State { get; set; }
}

internal abstract class AffineFactory<TDst> : PaddedVectorMappingFactory<AffineInput, TDst>
    where TDst : class, IPaddedVector, new()
{
    public override Action<AffineInput, TDst> GetMapping() => (source, destination) => MapRow(source, destination.Values);

    protected override void MapRow(AffineInput source, Span<float> destination)
    {
        AffineState state = AffineFactoryCache.Cache.Get(source.State);
        for (int i = 0; i < state.Scale.Length; i++)
        {
            destination[i] = source.Input[i] * state.Scale[i] + state.Offset[i];
        }
    }
}

internal static class AffineFactoryCache
{
    public static readonly DecodedStateCache<AffineState> Cache = new(AffineState.Decode);
}

[CustomMappingFactoryAttribute("MLNetFromScratch.Tests.Affine4.v1")]
internal sealed class Affine4 : AffineFactory<PaddedVector4>;

[CustomMappingFactoryAttribute("MLNetFromScratch.Tests.Affine16.v1")]
internal sealed class Affine16 : AffineFactory<PaddedVector16>;

[CustomMappingFactoryAttribute("MLNetFromScratch.Tests.Affine64.v1")]
internal sealed class Affine64 : AffineFactory<PaddedVector64>;

public sealed class ArgMaxInput
{
    [ColumnName(StateColumns.Output)]
    public float[] Scores { get; set; } = [];
}

public sealed class ArgMaxOutput
{
    [ColumnName(StateColumns.Output2)]
    public uint Index { get; set; }
}

[CustomMappingFactoryAttribute("MLNetFromScratch.Tests.ArgMax.v1")]
internal sealed class ArgMaxFactory : CustomMappingFactory<ArgMaxInput, ArgMaxOutput>
{
    public const string ContractName = "MLNetFromScratch.Tests.ArgMax.v1";

    public override Action<ArgMaxInput, ArgMaxOutput> GetMapping() => static (src, dst) =>
    {
        int best = 0;
        for (int i = 1; i < src.Scores.Length; i++)
        {
            if (src.Scores[i] > src.Scores[best])
            {
                best = i;
            }
        }

        dst.Index = (uint)best;
    };
}

internal sealed class AffineTransformer : ChainBackedTransformer
{
    public AffineTransformer(TransformerChain<ITransformer> chain)
        : base(chain)
    {
    }
}

internal sealed class AffineEstimator(MLContext context, string inputColumnName, float scale, float offset) : IEstimator<AffineTransformer>
{
    private static readonly IPaddedVectorStage[] s_tiers = [new Affine4(), new Affine16(), new Affine64()];

    public AffineTransformer Fit(IDataView input)
    {
        int k = ((VectorDataViewType)input.Schema[inputColumnName].Type).Size;
        var state = new AffineState(
            [.. Enumerable.Range(0, k).Select(i => scale * (i + 1))],
            [.. Enumerable.Range(0, k).Select(i => offset - i)],
            [.. Enumerable.Range(0, k).Select(i => $"class{i}")]);
        ChainBuilder builder = ChainBuilder.ForData(context.Transforms, input);
        Build(builder, state.Encode(), k, state.ClassNames);
        return new AffineTransformer(builder.BuildChain());
    }

    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ChainBuilder builder = ChainBuilder.ForShape(context.Transforms, inputSchema);
        Build(builder, string.Empty, 1, ["placeholder"]);
        return builder.OutputShape;
    }

    private void Build(ChainBuilder builder, string state, int k, string[] classNames) =>
        AppendStages(context, builder.AppendState(state), inputColumnName, k, classNames);

    /// <summary>The stages after the state: <paramref name="builder"/> has just appended it (now or deferred).</summary>
    public static ChainBuilder AppendStages(MLContext context, ChainBuilder builder, string inputColumnName, int k, string[] classNames) =>
        builder.AppendCopy(StateColumns.Input, inputColumnName)
            .AppendPaddedVectorMapping(s_tiers, k, "TestAffine")
            .Append(context.Transforms.CustomMapping(new ArgMaxFactory().GetMapping(), ArgMaxFactory.ContractName))
            .AppendKeyFromIndex("PredictedLabel", StateColumns.Output2, classNames)
            .AppendCopy("Score", StateColumns.Output)
            .AppendDropTemporaryColumns();
}
