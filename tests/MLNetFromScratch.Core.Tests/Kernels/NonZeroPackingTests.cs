using MLNetFromScratch.Core.Kernels;

namespace MLNetFromScratch.Core.Tests.Kernels;

/// <summary>
/// The vector packing of a dense row's non-zeros and the builder's vector coding of values, against plain loops:
/// every length (whole vectors and a remainder), ±0 left out, values sharing their top bits.
/// </summary>
public sealed class NonZeroPackingTests
{
    [Fact]
    public void Pack_AnyRowLengthAndPattern_GivesTheNonZerosInOrderAndWritesOnlyItsRoom()
    {
        var random = new Random(5);
        for (int length = 0; length <= 41; length++)
        {
            for (int trial = 0; trial < 20; trial++)
            {
                var row = new float[length];
                for (int c = 0; c < length; c++)
                {
                    row[c] = random.Next(4) switch { 0 => 0f, 1 => -0f, _ => (float)random.NextDouble() - 0.5f };
                }

                int room = length + NonZeroPacking.Lanes;
                int[] indices = [.. Enumerable.Repeat(-7, room + 5)];
                float[] values = [.. Enumerable.Repeat(-7f, room + 5)];
                int n = NonZeroPacking.Pack(row, indices.AsSpan(0, room), values.AsSpan(0, room));

                int[] expected = [.. Enumerable.Range(0, length).Where(c => row[c] != 0f)];
                Assert.Equal(expected, indices[..n]);
                Assert.Equal(expected.Select(c => row[c]), values[..n]);
                Assert.All(indices[room..], i => Assert.Equal(-7, i));
                Assert.All(values[room..], v => Assert.Equal(-7f, v));
            }
        }
    }

    [Fact]
    public void Pack_DestinationWithoutRoomForAVector_Throws()
    {
        var row = new float[16];
        Assert.Throws<ArgumentException>(() => NonZeroPacking.Pack(row, new int[23], new float[24]));
    }

    [Fact]
    public void Builder_ValuesSharingTheirTopBits_AreCodedExactly()
    {
        // 1 + k ulp share their top 16 bits, so only the first of them is found by those bits; the others go through
        // the hash table. Rows of 13 columns: a whole vector of values and a remainder.
        float[] values = [.. Enumerable.Range(0, 30).Select(k => BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(1f) + k)), 2f, -3f, 0.5f];
        var random = new Random(9);
        const int columns = 13, rows = 40;
        var dense = new float[rows * columns];
        for (int i = 0; i < dense.Length; i++)
        {
            dense[i] = random.Next(5) == 0 ? 0f : values[random.Next(values.Length)];
        }

        var builder = new SparseRowsBuilder(columns);
        for (int r = 0; r < rows; r++)
        {
            builder.AppendDense(dense.AsSpan(r * columns, columns));
        }

        SparseRows x = builder.Build();
        Assert.True(x.HasValueCodes);
        Assert.Equal(dense.Where(v => v != 0f).Distinct().Count(), x.ValueTable.Length);
        var row = new float[columns];
        for (int r = 0; r < rows; r++)
        {
            x.CopyRowTo(r, row);
            Assert.Equal(dense.AsSpan(r * columns, columns).ToArray().Select(BitConverter.SingleToInt32Bits), row.Select(BitConverter.SingleToInt32Bits));
        }
    }
}
