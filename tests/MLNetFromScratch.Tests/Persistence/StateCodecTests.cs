using System.Buffers.Binary;
using MLNetFromScratch.Persistence;

namespace MLNetFromScratch.Tests.Persistence;

public class StateCodecTests
{
    private static string SampleState()
    {
        var writer = new StatePayloadWriter();
        writer.WriteInt32(-7);
        writer.WriteInt64(1L << 40);
        writer.WriteSingle(float.Epsilon);
        writer.WriteDouble(Math.PI);
        writer.WriteBoolean(true);
        writer.WriteSingles([1.5f, float.NaN, -0f, float.MaxValue]);
        writer.WriteDoubles([double.MinValue, 2.25]);
        writer.WriteString("clé ✓");
        return writer.ToStateText("Sample", version: 3);
    }

    [Fact]
    public void Decode_RoundTrip_ReturnsEveryValueBitForBit()
    {
        DecodedState state = StateCodec.Decode(SampleState(), "Sample", maxSupportedVersion: 3);
        StatePayloadReader reader = state.CreateReader();

        Assert.Equal(3, state.Version);
        Assert.Equal(-7, reader.ReadInt32());
        Assert.Equal(1L << 40, reader.ReadInt64());
        Assert.Equal(float.Epsilon, reader.ReadSingle());
        Assert.Equal(Math.PI, reader.ReadDouble());
        Assert.True(reader.ReadBoolean());
        Assert.Equal(
            new[] { 1.5f, float.NaN, -0f, float.MaxValue }.Select(BitConverter.SingleToInt32Bits),
            reader.ReadSingles().Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(new[] { double.MinValue, 2.25 }, reader.ReadDoubles());
        Assert.Equal("clé ✓", reader.ReadString());
        reader.EnsureEnd();
    }

    [Fact]
    public void Decode_EveryTruncation_ThrowsInvalidData()
    {
        byte[] bytes = Convert.FromBase64String(SampleState());
        for (int length = 0; length < bytes.Length; length++)
        {
            string text = Convert.ToBase64String(bytes, 0, length);
            Assert.Throws<InvalidDataException>(() => StateCodec.Decode(text, "Sample", 3));
        }
    }

    [Fact]
    public void Decode_EverySingleBitFlip_ThrowsInvalidData()
    {
        byte[] bytes = Convert.FromBase64String(SampleState());
        for (int bit = 0; bit < bytes.Length * 8; bit++)
        {
            byte[] corrupt = (byte[])bytes.Clone();
            corrupt[bit / 8] ^= (byte)(1 << (bit % 8));
            string text = Convert.ToBase64String(corrupt);
            Assert.Throws<InvalidDataException>(() => StateCodec.Decode(text, "Sample", 3));
        }
    }

    [Fact]
    public void Decode_WrongKind_ThrowsNamingBothKinds()
    {
        var e = Assert.Throws<InvalidDataException>(() => StateCodec.Decode(SampleState(), "Other", 3));
        Assert.Contains("'Sample'", e.Message, StringComparison.Ordinal);
        Assert.Contains("'Other'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_NewerVersion_ThrowsUnsupported()
    {
        var e = Assert.Throws<InvalidDataException>(() => StateCodec.Decode(SampleState(), "Sample", 2));
        Assert.Contains("version 3", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64 !")]
    [InlineData("AAAAAAAAAAAA")]
    public void Decode_NotAState_ThrowsInvalidData(string text) =>
        Assert.Throws<InvalidDataException>(() => StateCodec.Decode(text, "Sample", 1));

    [Fact]
    public void Decode_HeaderClaimsHugePayload_ThrowsBeforeAllocating()
    {
        byte[] bytes = Convert.FromBase64String(StateCodec.Encode("Sample", 1, [1, 2, 3]));
        int lengthOffset = 4 + 2 + 1 + "Sample".Length;
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(lengthOffset), int.MaxValue);
        string text = Convert.ToBase64String(bytes);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => StateCodec.Decode(text, "Sample", 1));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains("2147483647", e.Message, StringComparison.Ordinal);
        Assert.True(allocated < 64 * 1024, $"allocated {allocated} bytes");
    }

    [Fact]
    public void ReadSingles_CountClaimsBillions_ThrowsBeforeAllocating()
    {
        var writer = new StatePayloadWriter();
        writer.WriteInt32(1_000_000_000);
        writer.WriteSingle(1f);
        string text = writer.ToStateText("Sample", 1);
        StatePayloadReader reader = StateCodec.Decode(text, "Sample", 1).CreateReader();

        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<InvalidDataException>(reader.ReadSingles);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 * 1024);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1000)]
    public void WriteSingles_LayoutIsTheCountThenEachValueLittleEndian(int count)
    {
        float[] values = [.. Enumerable.Range(0, count).Select(i => i % 7 == 3 ? float.NaN : (i * 0.37f) - 100f)];
        var expected = new byte[4 + (4 * count)];
        BinaryPrimitives.WriteInt32LittleEndian(expected, count);
        for (int i = 0; i < count; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(expected.AsSpan(4 + (4 * i)), values[i]);
        }

        var writer = new StatePayloadWriter(expectedLength: 1); // grows past its first buffer
        writer.WriteSingles(values);

        Assert.Equal(expected, writer.WrittenSpan.ToArray());
        Assert.Equal(
            values.Select(BitConverter.SingleToInt32Bits),
            new StatePayloadReader(expected).ReadSingles().Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void EnsureEnd_UnreadBytes_ThrowsInvalidData()
    {
        var writer = new StatePayloadWriter();
        writer.WriteInt32(1);
        StatePayloadReader reader = StateCodec.Decode(writer.ToStateText("Sample", 1), "Sample", 1).CreateReader();
        Assert.Throws<InvalidDataException>(reader.EnsureEnd);
    }

    [Theory]
    [InlineData(1)] // a header of 7 + 1 + 8 bytes: 1 more than a multiple of 3
    [InlineData(2)] // 2 more
    [InlineData(3)] // a multiple of 3
    public void Encode_AnyPayloadLength_IsTheBase64OfTheLayout(int kindLength)
    {
        string kind = new('k', kindLength);
        var random = new Random(kindLength);
        foreach (int length in (int[])[0, 1, 2, 3, 4, 5, 6, 7, 1000, 1001, 1002])
        {
            var payload = new byte[length];
            random.NextBytes(payload);
            var expected = new List<byte>("NNFS"u8.ToArray()) { 3, 0, (byte)kindLength };
            expected.AddRange(System.Text.Encoding.ASCII.GetBytes(kind));
            expected.AddRange(BitConverter.GetBytes(length)); // little-endian on every machine the tests run on
            expected.AddRange(BitConverter.GetBytes(NaiveCrc32([.. expected, .. payload])));
            expected.AddRange(payload);

            string text = Convert.ToBase64String([.. expected]);
            Assert.Equal(text, StateCodec.Encode(kind, version: 3, payload));
            foreach ((int i, int j) in (length < 8 ? Enumerable.Range(0, length + 1) : [0, 1, 2, 3, 500, length - 1, length])
                .SelectMany(i => Enumerable.Range(i, length + 1 - i).Where(j => length < 8 || j - i < 4 || length - j < 4).Select(j => (i, j))))
            {
                Assert.Equal(text, StateCodec.Encode(kind, version: 3, payload.AsSpan(0, i), payload.AsSpan(i, j - i), payload.AsSpan(j)));
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void WriteSinglesBorrowed_SameTextAsWriteSingles(int bytesBefore)
    {
        float[] values = [.. Enumerable.Range(0, 100).Select(i => MathF.Sin(i) * 1000)];
        string Text(bool borrowed)
        {
            var writer = new StatePayloadWriter();
            for (int i = 0; i < bytesBefore; i++)
            {
                writer.WriteBoolean(true);
            }

            if (borrowed)
            {
                writer.WriteSinglesBorrowed(values);
            }
            else
            {
                writer.WriteSingles(values);
            }

            writer.WriteString("after");
            return writer.ToStateText("Sample", version: 1);
        }

        Assert.Equal(Text(borrowed: false), Text(borrowed: true));
    }

    [Fact]
    public void WriteSinglesBorrowed_Twice_InvalidOperation()
    {
        var writer = new StatePayloadWriter();
        writer.WriteSinglesBorrowed([1f]);

        Assert.Throws<InvalidOperationException>(() => writer.WriteSinglesBorrowed([2f]));
        Assert.Throws<InvalidOperationException>(() => writer.WrittenSpan.Length);
    }

    [Fact]
    public void Crc32_KnownVector_MatchesStandard() =>
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));

    // CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) one bit at a time.
    private static uint NaiveCrc32(byte[] bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
        }

        return ~crc;
    }
}
