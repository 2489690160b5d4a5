using MLNetFromScratch.Core.Training;

namespace MLNetFromScratch.Core.Tests.Training;

/// <summary>
/// Class indices against what they stand for: the smallest index type that holds every class, each value read back
/// as set, and the one-hot row written exactly where a naive one-hot row has its 1.
/// </summary>
public sealed class ClassIndicesTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(10, 1)]
    [InlineData(256, 1)]
    [InlineData(257, 2)]
    [InlineData(65_536, 2)]
    [InlineData(65_537, 4)]
    public void Constructor_ClassCount_SmallestIndexTypeHoldingEveryClass(int classes, int bytes)
    {
        int[] values = [0, classes - 1, classes / 2, Math.Max(classes - 2, 0), 0];

        var indices = new ClassIndices(values, classes);

        Assert.Equal(bytes, indices.BytesPerRow);
        Assert.Equal(classes, indices.Classes);
        Assert.Equal(values, Enumerable.Range(0, indices.Count).Select(r => indices[r]));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(10)]
    [InlineData(int.MinValue)]
    public void Indexer_ClassOutsideTheRange_ArgumentOutOfRange(int bad)
    {
        var indices = new ClassIndices(3, 10);

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => indices[1] = bad);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ClassIndices([0, bad], 10));

        Assert.Equal(bad, e.ActualValue);
        Assert.StartsWith("A class index must be in [0, 10).", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, indices[1]);
    }

    [Fact]
    public void Indexer_RowOutsideTheRange_ArgumentOutOfRange()
    {
        var indices = new ClassIndices(3, 10);

        Assert.Throws<ArgumentOutOfRangeException>(() => indices[3]);
        Assert.Throws<ArgumentOutOfRangeException>(() => indices[-1] = 0);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(10)]
    [InlineData(300)]
    public void CopyOneHot_EveryRow_SameBitsAsANaiveOneHotRowAndNothingPastIt(int classes)
    {
        int[] values = [.. Enumerable.Range(0, 37).Select(r => (r * 7) % classes)];
        var indices = new ClassIndices(values, classes);
        var destination = new float[classes + 3];

        for (int r = 0; r < values.Length; r++)
        {
            Array.Fill(destination, float.NaN);
            indices.CopyOneHot(r, destination);

            float[] expected = new float[classes];
            expected[values[r]] = 1f;
            Assert.Equal(Bits(expected), Bits(destination[..classes]));
            Assert.All(destination[classes..], v => Assert.True(float.IsNaN(v)));
        }
    }

    [Fact]
    public void CopyOneHot_DestinationShorterThanTheClasses_Throws()
    {
        var indices = new ClassIndices([3], 10);

        Assert.ThrowsAny<ArgumentException>(() => indices.CopyOneHot(0, new float[9]));
    }

    [Fact]
    public void Select_Rows_TheClassesOfThoseRowsInThatOrder()
    {
        var indices = new ClassIndices([4, 0, 9, 2, 7], 10);

        ClassIndices selected = indices.Select([2, 2, 0, 4]);

        Assert.Equal(10, selected.Classes);
        Assert.Equal([9, 9, 4, 7], Enumerable.Range(0, selected.Count).Select(r => selected[r]));
    }

    private static int[] Bits(float[] values) => [.. values.Select(BitConverter.SingleToInt32Bits)];
}
