namespace MLNetFromScratch.Persistence;

/// <summary>A padded-vector mapping of one tier, as a stage a <see cref="ChainBuilder"/> can append.</summary>
internal interface IPaddedVectorStage
{
    /// <summary>The padded size this stage writes.</summary>
    int Size { get; }

    /// <summary>Appends the custom mapping (writing <see cref="StateColumns.Output"/>) to <paramref name="builder"/>.</summary>
    void AppendMappingTo(ChainBuilder builder);
}
