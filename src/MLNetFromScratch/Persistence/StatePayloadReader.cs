using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace MLNetFromScratch.Persistence;

/// <summary>
/// Reads a payload written by <see cref="StatePayloadWriter"/>. Every read checks the bytes that remain first,
/// so a corrupt count fails with <see cref="InvalidDataException"/> before anything is allocated for it.
/// </summary>
internal sealed class StatePayloadReader
{
    private readonly ReadOnlyMemory<byte> _payload;
    private int _position;

    /// <summary>Starts reading at the first byte of <paramref name="payload"/>.</summary>
    public StatePayloadReader(ReadOnlyMemory<byte> payload) => _payload = payload;

    /// <summary>The bytes not read yet.</summary>
    public int Remaining => _payload.Length - _position;

    /// <summary>Reads a 32-bit integer.</summary>
    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4, "an Int32"));

    /// <summary>Reads a 64-bit integer.</summary>
    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8, "an Int64"));

    /// <summary>Reads a single-precision number.</summary>
    public float ReadSingle() => BinaryPrimitives.ReadSingleLittleEndian(Take(4, "a Single"));

    /// <summary>Reads a double-precision number.</summary>
    public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8, "a Double"));

    /// <summary>Reads a Boolean written as one byte.</summary>
    public bool ReadBoolean()
    {
        byte b = Take(1, "a Boolean")[0];
        return b switch
        {
            0 => false,
            1 => true,
            _ => throw new InvalidDataException($"The saved state holds {b} where a Boolean (0 or 1) was expected."),
        };
    }

    /// <summary>Reads an array written by <see cref="StatePayloadWriter.WriteSingles"/>.</summary>
    public float[] ReadSingles()
    {
        int count = ReadCount(sizeof(float), "Single");
        ReadOnlySpan<byte> bytes = Take(count * sizeof(float), "Single values");
        var values = new float[count];
        if (BitConverter.IsLittleEndian)
        {
            bytes.CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
        }
        else
        {
            for (int i = 0; i < count; i++)
            {
                values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * sizeof(float))..]);
            }
        }

        return values;
    }

    /// <summary>Reads an array written by <see cref="StatePayloadWriter.WriteDoubles"/>.</summary>
    public double[] ReadDoubles()
    {
        int count = ReadCount(sizeof(double), "Double");
        ReadOnlySpan<byte> bytes = Take(count * sizeof(double), "Double values");
        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = BinaryPrimitives.ReadDoubleLittleEndian(bytes[(i * sizeof(double))..]);
        }

        return values;
    }

    /// <summary>Reads a string written by <see cref="StatePayloadWriter.WriteString"/>.</summary>
    public string ReadString()
    {
        int count = ReadCount(1, "UTF-8 byte");
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Take(count, "a string"));
        }
        catch (DecoderFallbackException e)
        {
            throw new InvalidDataException("The saved state holds a string that is not valid UTF-8.", e);
        }
    }

    /// <summary>Reads a count of items of <paramref name="itemSize"/> bytes and checks the payload holds them.</summary>
    public int ReadCount(int itemSize, string itemName)
    {
        int count = ReadInt32();
        if (count < 0 || (long)count * itemSize > Remaining)
        {
            throw new InvalidDataException(
                $"The saved state declares {count} {itemName} items but only {Remaining} bytes remain: it is corrupt.");
        }

        return count;
    }

    /// <summary>Throws unless every byte was read: a layout mismatch shows up here.</summary>
    public void EnsureEnd()
    {
        if (Remaining != 0)
        {
            throw new InvalidDataException($"The saved state has {Remaining} unread bytes at its end: its layout is not the one expected.");
        }
    }

    private ReadOnlySpan<byte> Take(int count, string what)
    {
        if (count > Remaining)
        {
            throw new InvalidDataException($"The saved state ends early: reading {what} needs {count} bytes, {Remaining} remain.");
        }

        ReadOnlySpan<byte> span = _payload.Span.Slice(_position, count);
        _position += count;
        return span;
    }
}
