using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace MLNetFromScratch.Persistence;

/// <summary>
/// Writes a state payload: little-endian numbers, length-prefixed arrays and UTF-8 strings, read back in the
/// same order by <see cref="StatePayloadReader"/>.
/// </summary>
internal sealed class StatePayloadWriter
{
    private readonly ArrayBufferWriter<byte> _buffer;
    private int _borrowedAt;
    private float[]? _borrowed;

    /// <summary>Creates a writer; <paramref name="expectedLength"/> bytes are allocated at once (it grows past them if needed).</summary>
    public StatePayloadWriter(int expectedLength = 256) => _buffer = new ArrayBufferWriter<byte>(Math.Max(expectedLength, 1));

    /// <summary>The bytes written so far.</summary>
    /// <exception cref="InvalidOperationException">When an array was written by <see cref="WriteSinglesBorrowed"/>: the bytes are not in one span.</exception>
    public ReadOnlySpan<byte> WrittenSpan => _borrowed is null
        ? _buffer.WrittenSpan
        : throw new InvalidOperationException("The writer holds a borrowed array: its bytes are not in one span.");

    /// <summary>Writes a 32-bit integer.</summary>
    public void WriteInt32(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    /// <summary>Writes a 64-bit integer.</summary>
    public void WriteInt64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    /// <summary>Writes a single-precision number.</summary>
    public void WriteSingle(float value)
    {
        BinaryPrimitives.WriteSingleLittleEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    /// <summary>Writes a double-precision number.</summary>
    public void WriteDouble(double value)
    {
        BinaryPrimitives.WriteDoubleLittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    /// <summary>Writes a Boolean as one byte.</summary>
    public void WriteBoolean(bool value)
    {
        _buffer.GetSpan(1)[0] = value ? (byte)1 : (byte)0;
        _buffer.Advance(1);
    }

    /// <summary>Writes the count, then the values.</summary>
    public void WriteSingles(ReadOnlySpan<float> values)
    {
        WriteInt32(values.Length);
        Span<byte> span = _buffer.GetSpan(values.Length * sizeof(float));
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(values).CopyTo(span);
        }
        else
        {
            for (int i = 0; i < values.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(span[(i * sizeof(float))..], values[i]);
            }
        }

        _buffer.Advance(values.Length * sizeof(float));
    }

    /// <summary>
    /// Writes the count, then the values as <see cref="WriteSingles"/> does, without copying them: they are read by
    /// <see cref="ToStateText"/>, so they must not change before (a large array written once, a network's weights).
    /// </summary>
    /// <exception cref="InvalidOperationException">When the writer already holds a borrowed array (it holds at most one).</exception>
    public void WriteSinglesBorrowed(float[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (_borrowed is not null)
        {
            throw new InvalidOperationException("A writer holds at most one borrowed array.");
        }

        if (!BitConverter.IsLittleEndian)
        {
            WriteSingles(values); // the array's bytes are not the layout's
            return;
        }

        WriteInt32(values.Length);
        _borrowedAt = _buffer.WrittenCount;
        _borrowed = values;
    }

    /// <summary>Writes the count, then the values.</summary>
    public void WriteDoubles(ReadOnlySpan<double> values)
    {
        WriteInt32(values.Length);
        Span<byte> span = _buffer.GetSpan(values.Length * sizeof(double));
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(span[(i * sizeof(double))..], values[i]);
        }

        _buffer.Advance(values.Length * sizeof(double));
    }

    /// <summary>Writes the UTF-8 byte count, then the bytes.</summary>
    public void WriteString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        int count = Encoding.UTF8.GetByteCount(value);
        WriteInt32(count);
        Encoding.UTF8.GetBytes(value, _buffer.GetSpan(count));
        _buffer.Advance(count);
    }

    /// <summary>Encodes what was written as the state text of a component (see <see cref="StateCodec.Encode(string, int, ReadOnlySpan{byte})"/>).</summary>
    public string ToStateText(string kind, int version)
    {
        ReadOnlySpan<byte> written = _buffer.WrittenSpan;
        return _borrowed is null
            ? StateCodec.Encode(kind, version, written)
            : StateCodec.Encode(kind, version, written[.._borrowedAt], MemoryMarshal.AsBytes(_borrowed.AsSpan()), written[_borrowedAt..]);
    }
}
