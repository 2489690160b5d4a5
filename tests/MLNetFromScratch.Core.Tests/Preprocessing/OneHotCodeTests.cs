using MLNetFromScratch.Core.Preprocessing;

namespace MLNetFromScratch.Core.Tests.Preprocessing;

public class OneHotCodeTests
{
    private static readonly double[] s_categories = [-3, 0, 7, 40];

    [Theory]
    [InlineData(-3d, 0)]
    [InlineData(0d, 1)]
    [InlineData(40d, 3)]
    [InlineData(5d, -1)]
    [InlineData(41d, -1)]
    [InlineData(double.NaN, -1)]
    public void SlotOf_Value_IndexAmongSortedCategoriesOrMinusOne(double value, int expected) =>
        Assert.Equal(expected, OneHotCode.SlotOf(s_categories, value));

    [Fact]
    public void SlotOf_NegativeZero_IsTheZeroCategory() =>
        Assert.Equal(1, OneHotCode.SlotOf(s_categories, -0d));

    [Fact]
    public void Write_SlotOverPreviousCode_IsTheIdentityRowAndClearsTheRest()
    {
        // The destination is reused between rows: the previous 1 must not survive.
        float[] destination = [0, 0, 1, 0];
        OneHotCode.Write(0, destination);
        Assert.Equal([1f, 0, 0, 0], destination);
        OneHotCode.Write(-1, destination);
        Assert.Equal([0f, 0, 0, 0], destination);
        Assert.Throws<ArgumentOutOfRangeException>(() => OneHotCode.Write(4, destination));
    }

    [Theory]
    [InlineData(3d, true)]
    [InlineData(-9007199254740992d, true)]
    [InlineData(9007199254740994d, false)]
    [InlineData(2.5d, false)]
    [InlineData(double.PositiveInfinity, false)]
    public void IsExactWholeNumber_Value_TrueOnlyForWholeWithin2To53(double value, bool expected) =>
        Assert.Equal(expected, OneHotCode.IsExactWholeNumber(value));
}
