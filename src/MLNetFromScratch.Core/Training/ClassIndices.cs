namespace MLNetFromScratch.Core.Training;

/// <summary>
/// The targets of a softmax head held compactly: one class index a row, in [0, <see cref="Classes"/>), standing for
/// the one-hot row y with y[index] = 1 and 0 elsewhere. An index takes a byte up to 256 classes, a ushort up to
/// 65,536, an int beyond (one-hot float rows take 4 bytes a class: 40 a row for 10 classes).
/// </summary>
/// <remarks>
/// Training and evaluation write the one-hot rows of each batch into the workspace
/// (<see cref="CopyOneHot"/>), so the loss sees the same floats as from one-hot rows held as floats: the same bits.
/// </remarks>
public sealed class ClassIndices
{
    private readonly byte[]? _bytes;
    private readonly ushort[]? _shorts;
    private readonly int[]? _ints;

    /// <summary>Holds <paramref name="count"/> rows of class 0, to be set with the indexer.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="count"/> is negative or <paramref name="classes"/> below 1.</exception>
    public ClassIndices(int count, int classes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        Count = count;
        Classes = classes;
        if (classes <= byte.MaxValue + 1)
        {
            _bytes = new byte[count];
        }
        else if (classes <= ushort.MaxValue + 1)
        {
            _shorts = new ushort[count];
        }
        else
        {
            _ints = new int[count];
        }
    }

    /// <summary>Holds a copy of <paramref name="indices"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When an index is outside [0, <paramref name="classes"/>).</exception>
    public ClassIndices(ReadOnlySpan<int> indices, int classes)
        : this(indices.Length, classes)
    {
        for (int r = 0; r < indices.Length; r++)
        {
            this[r] = indices[r];
        }
    }

    /// <summary>Number of rows.</summary>
    public int Count { get; }

    /// <summary>Number of classes: the width of a one-hot row.</summary>
    public int Classes { get; }

    /// <summary>Bytes an index takes: 1, 2 or 4, by <see cref="Classes"/>.</summary>
    public int BytesPerRow => _bytes is not null ? 1 : _shorts is not null ? 2 : 4;

    /// <summary>The class of row <paramref name="row"/>, in [0, <see cref="Classes"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">When the row is outside [0, <see cref="Count"/>), or a value set is outside [0, <see cref="Classes"/>).</exception>
    public int this[int row]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)row, (uint)Count, nameof(row));
            return _bytes is not null ? _bytes[row] : _shorts is not null ? _shorts[row] : _ints![row];
        }

        set
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)row, (uint)Count, nameof(row));
            if ((uint)value >= (uint)Classes)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, $"A class index must be in [0, {Classes}).");
            }

            if (_bytes is not null)
            {
                _bytes[row] = (byte)value;
            }
            else if (_shorts is not null)
            {
                _shorts[row] = (ushort)value;
            }
            else
            {
                _ints![row] = value;
            }
        }
    }

    /// <summary>Writes the one-hot row of row <paramref name="row"/> into the first <see cref="Classes"/> values of <paramref name="destination"/>. Allocates nothing.</summary>
    /// <exception cref="ArgumentException">When the destination is shorter than <see cref="Classes"/>.</exception>
    public void CopyOneHot(int row, Span<float> destination)
    {
        int index = this[row];
        Span<float> y = destination[..Classes];
        y.Clear();
        y[index] = 1f;
    }

    /// <summary>A new set holding the classes of the listed rows, in that order.</summary>
    public ClassIndices Select(ReadOnlySpan<int> rows)
    {
        var selected = new ClassIndices(rows.Length, Classes);
        for (int i = 0; i < rows.Length; i++)
        {
            selected[i] = this[rows[i]];
        }

        return selected;
    }
}
