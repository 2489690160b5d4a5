using System.Buffers.Binary;
using System.Text;

namespace MLNetFromScratch.Persistence;

/// <summary>
/// Turns a component's learned state (a byte payload) into text that a saved model can carry, and back.
/// </summary>
/// <remarks>
/// Layout before base64, little-endian:
/// <c>magic "NNFS" (4) | format version (u16) | kind length (u8) | kind (ASCII) | payload length (i32) |
/// CRC-32 of everything before it and of the payload (u32) | payload</c>.
/// Decoding checks every field and throws <see cref="InvalidDataException"/> naming what is wrong; it never
/// allocates more than the text's own length warrants, whatever the header claims.
/// </remarks>
internal static class StateCodec
{
    /// <summary>The longest kind name a state may carry.</summary>
    public const int MaxKindLength = 64;

    private const int FixedHeaderLength = 4 + 2 + 1;
    private const int LengthAndCrc = 4 + 4;

    private static ReadOnlySpan<byte> Magic => "NNFS"u8;

    /// <summary>Encodes <paramref name="payload"/> as the state of a component of kind <paramref name="kind"/>.</summary>
    /// <param name="kind">A short ASCII name of the component, for example <c>"Standardize"</c>.</param>
    /// <param name="version">The version of the payload's layout, 1..65535.</param>
    /// <param name="payload">The bytes to carry.</param>
    public static string Encode(string kind, int version, ReadOnlySpan<byte> payload) => Encode(kind, version, payload, default, default);

    /// <summary>
    /// Encodes the payload made of <paramref name="first"/>, <paramref name="second"/> and <paramref name="third"/>
    /// one after the other, as <see cref="Encode(string, int, ReadOnlySpan{byte})"/> would encode them joined.
    /// </summary>
    /// <param name="kind">A short ASCII name of the component, for example <c>"Standardize"</c>.</param>
    /// <param name="version">The version of the payload's layout, 1..65535.</param>
    /// <param name="first">The payload's first bytes.</param>
    /// <param name="second">The bytes after them.</param>
    /// <param name="third">The payload's last bytes.</param>
    public static string Encode(string kind, int version, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, ReadOnlySpan<byte> third)
    {
        ArgumentNullException.ThrowIfNull(kind);
        if (kind.Length == 0 || kind.Length > MaxKindLength || !Ascii.IsValid(kind))
        {
            throw new ArgumentException($"The kind must be 1..{MaxKindLength} ASCII characters; got '{kind}'.", nameof(kind));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(version, ushort.MaxValue);

        long payloadLength = (long)first.Length + second.Length + third.Length;
        long bytes = FixedHeaderLength + kind.Length + LengthAndCrc + payloadLength;
        if (bytes > (long)int.MaxValue / 4 * 3)
        {
            throw new ArgumentException($"A payload of {payloadLength} bytes is too long for a state text.", nameof(second));
        }

        // The header goes on the stack and the text is encoded straight from it and the payload's parts: the
        // payload is never copied (a network's payload is mostly its weights).
        int headerLength = FixedHeaderLength + kind.Length + 4;
        Span<byte> header = stackalloc byte[FixedHeaderLength + MaxKindLength + LengthAndCrc];
        header = header[..(headerLength + 4)];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], (ushort)version);
        header[6] = (byte)kind.Length;
        Encoding.ASCII.GetBytes(kind, header.Slice(FixedHeaderLength, kind.Length));
        BinaryPrimitives.WriteInt32LittleEndian(header[(FixedHeaderLength + kind.Length)..], (int)payloadLength);
        uint crc = Crc32.Append(Crc32.Append(Crc32.Append(Crc32.Compute(header[..headerLength]), first), second), third);
        BinaryPrimitives.WriteUInt32LittleEndian(header[headerLength..], crc);
        return string.Create((int)((bytes + 2) / 3 * 4), new Parts(header, first, second, third), static (text, parts) => parts.ToBase64(text));
    }

    /// <summary>Decodes a state written by <see cref="Encode(string, int, ReadOnlySpan{byte})"/> and checks that it is what the caller expects.</summary>
    /// <param name="text">The text of the state.</param>
    /// <param name="expectedKind">The kind the caller can read.</param>
    /// <param name="maxSupportedVersion">The newest payload version the caller can read.</param>
    /// <exception cref="InvalidDataException">The text is not a valid state of that kind and version.</exception>
    public static DecodedState Decode(ReadOnlySpan<char> text, string expectedKind, int maxSupportedVersion)
    {
        byte[] bytes = DecodeBase64(text, out int length);
        ReadOnlySpan<byte> span = bytes.AsSpan(0, length);
        string kind = ReadKind(span, out int version, out int kindLength);
        if (!string.Equals(kind, expectedKind, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"The saved state is of kind '{kind}', expected '{expectedKind}'.");
        }

        if (version > maxSupportedVersion)
        {
            throw new InvalidDataException(
                $"The saved '{kind}' state has format version {version}; this build reads versions 1..{maxSupportedVersion}. " +
                "Load the model with the version of MLNetFromScratch that saved it, or a newer one.");
        }

        int headerLength = FixedHeaderLength + kindLength + 4;
        if (span.Length < headerLength + 4)
        {
            throw Truncated(kind, span.Length);
        }

        int payloadLength = BinaryPrimitives.ReadInt32LittleEndian(span[(FixedHeaderLength + kindLength)..]);
        int available = span.Length - headerLength - 4;
        if (payloadLength < 0 || payloadLength > available)
        {
            throw new InvalidDataException(
                $"The saved '{kind}' state declares a payload of {payloadLength} bytes but only {available} are present (truncated or corrupt).");
        }

        if (payloadLength < available)
        {
            throw new InvalidDataException(
                $"The saved '{kind}' state declares a payload of {payloadLength} bytes but {available} are present (length mismatch).");
        }

        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(span[headerLength..]);
        ReadOnlySpan<byte> payload = span.Slice(headerLength + 4, payloadLength);
        uint actual = Crc32.Append(Crc32.Compute(span[..headerLength]), payload);
        if (stored != actual)
        {
            throw new InvalidDataException(
                $"The saved '{kind}' state fails its checksum (stored 0x{stored:X8}, computed 0x{actual:X8}): the model file is corrupt.");
        }

        return new DecodedState(version, new ReadOnlyMemory<byte>(bytes, headerLength + 4, payloadLength));
    }

    /// <summary>Reads only the kind of a state, or returns false when the text is not a state at all.</summary>
    public static bool TryReadKind(ReadOnlySpan<char> text, out string kind)
    {
        try
        {
            byte[] bytes = DecodeBase64(text, out int length);
            kind = ReadKind(bytes.AsSpan(0, length), out _, out _);
            return true;
        }
        catch (InvalidDataException)
        {
            kind = string.Empty;
            return false;
        }
    }

    /// <summary>The header and the payload's parts, base64-encoded as one sequence of bytes.</summary>
    private readonly ref struct Parts(ReadOnlySpan<byte> header, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, ReadOnlySpan<byte> third)
    {
        private readonly ReadOnlySpan<byte> _header = header;
        private readonly ReadOnlySpan<byte> _first = first;
        private readonly ReadOnlySpan<byte> _second = second;
        private readonly ReadOnlySpan<byte> _third = third;

        public void ToBase64(Span<char> text)
        {
            // Whole 3-byte groups are encoded where they lie; a group split between two parts is joined in `carry`,
            // so padding comes only at the very end.
            Span<byte> carry = stackalloc byte[3];
            int carried = 0, at = 0;
            at = Append(_header, text, at, carry, ref carried);
            at = Append(_first, text, at, carry, ref carried);
            at = Append(_second, text, at, carry, ref carried);
            at = Append(_third, text, at, carry, ref carried);
            at += ToBase64(carry[..carried], text[at..]);
            if (at != text.Length)
            {
                throw new InvalidOperationException("The state text was sized wrongly.");
            }
        }

        private static int Append(ReadOnlySpan<byte> part, Span<char> text, int at, Span<byte> carry, ref int carried)
        {
            if (carried > 0)
            {
                int take = Math.Min(3 - carried, part.Length);
                part[..take].CopyTo(carry[carried..]);
                carried += take;
                part = part[take..];
                if (carried < 3)
                {
                    return at;
                }

                at += ToBase64(carry, text[at..]);
                carried = 0;
            }

            int whole = part.Length / 3 * 3;
            at += ToBase64(part[..whole], text[at..]);
            part[whole..].CopyTo(carry);
            carried = part.Length - whole;
            return at;
        }

        private static int ToBase64(ReadOnlySpan<byte> bytes, Span<char> text) =>
            Convert.TryToBase64Chars(bytes, text, out int written) ? written : throw new InvalidOperationException("The state text was sized wrongly.");
    }

    private static byte[] DecodeBase64(ReadOnlySpan<char> text, out int length)
    {
        if (text.IsEmpty)
        {
            throw new InvalidDataException("The saved state is empty: the model holds no state for this component.");
        }

        // Base64 never decodes to more than 3/4 of its length: the buffer is bounded by the text, not by any header.
        var bytes = new byte[(text.Length + 3) / 4 * 3];
        if (!Convert.TryFromBase64Chars(text, bytes, out length))
        {
            throw new InvalidDataException($"The saved state ({text.Length} characters) is not valid base64 text.");
        }

        return bytes;
    }

    private static string ReadKind(ReadOnlySpan<byte> span, out int version, out int kindLength)
    {
        if (span.Length < FixedHeaderLength)
        {
            throw Truncated("unknown", span.Length);
        }

        if (!span[..4].SequenceEqual(Magic))
        {
            throw new InvalidDataException("The saved state does not start with the MLNetFromScratch magic 'NNFS': it is not one of our states.");
        }

        version = BinaryPrimitives.ReadUInt16LittleEndian(span[4..]);
        kindLength = span[6];
        if (version == 0)
        {
            throw new InvalidDataException("The saved state has format version 0, which is never written: the state is corrupt.");
        }

        if (kindLength == 0 || kindLength > MaxKindLength || span.Length < FixedHeaderLength + kindLength)
        {
            throw Truncated("unknown", span.Length);
        }

        ReadOnlySpan<byte> kindBytes = span.Slice(FixedHeaderLength, kindLength);
        if (!Ascii.IsValid(kindBytes))
        {
            throw new InvalidDataException("The saved state's kind is not ASCII: the state is corrupt.");
        }

        return Encoding.ASCII.GetString(kindBytes);
    }

    private static InvalidDataException Truncated(string kind, int length) =>
        new($"The saved '{kind}' state is truncated: {length} bytes are too few for its header.");
}
