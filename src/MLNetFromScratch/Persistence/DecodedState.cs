namespace MLNetFromScratch.Persistence;

/// <summary>A state payload after <see cref="StateCodec.Decode"/> has checked it.</summary>
/// <param name="Version">The payload layout version the state was written with.</param>
/// <param name="Payload">The payload bytes.</param>
internal readonly record struct DecodedState(int Version, ReadOnlyMemory<byte> Payload)
{
    /// <summary>A reader positioned at the start of the payload.</summary>
    public StatePayloadReader CreateReader() => new(Payload);
}
