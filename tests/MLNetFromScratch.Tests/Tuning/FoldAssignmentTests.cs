using Microsoft.ML;
using MLNetFromScratch.Tuning;

namespace MLNetFromScratch.Tests.Tuning;

public sealed class FoldAssignmentTests
{
    [Theory]
    [InlineData(5)]
    [InlineData(7)]
    public void Create_Stratified_EachFoldHoldsEachClassWithinOneRowOfItsShare(int k)
    {
        IDataView data = TuningData.Digits(new MLContext());
        float[] digits = TuningData.Floats(data, "Digit");
        var folds = FoldAssignment.Create(data, k, "Digit", null, seed: 3);

        Assert.Equal(digits.Length, folds.RowCount);
        foreach (var cls in digits.GroupBy(d => d))
        {
            double share = cls.Count() / (double)k;
            for (int f = 0; f < k; f++)
            {
                int count = Enumerable.Range(0, digits.Length).Count(r => digits[r] == cls.Key && folds.FoldOfRow[r] == f);
                Assert.InRange(count, share - 1, share + 1);
            }
        }

        for (int f = 0; f < k; f++)
            Assert.InRange(folds.FoldOfRow.Count(x => x == f), digits.Length / k, (digits.Length / k) + 1);
    }

    [Fact]
    public void GetTestSet_SelectsExactlyTheFoldRowsInOrder()
    {
        IDataView data = TuningData.Digits(new MLContext());
        float[] digits = TuningData.Floats(data, "Digit");
        var folds = FoldAssignment.Create(data, 5, "Digit", null, seed: 3);

        var union = new List<float>();
        for (int f = 0; f < 5; f++)
        {
            float[] expected = [.. digits.Where((_, r) => folds.FoldOfRow[r] == f)];
            Assert.Equal(expected, TuningData.Floats(folds.GetTestSet(data, f), "Digit"));
            Assert.Equal(digits.Length - expected.Length, TuningData.Floats(folds.GetTrainSet(data, f), "Digit").Length);
            union.AddRange(expected);
        }

        Assert.Equal(digits.Length, union.Count);
    }

    [Fact]
    public void Create_SamplingKey_NoKeyInTwoFolds()
    {
        var rows = Enumerable.Range(0, 500).Select(i => new KeyedRow { Group = $"g{(i * 7919) % 37}", Value = i }).ToList();
        IDataView data = new MLContext().Data.LoadFromEnumerable(rows);
        var folds = FoldAssignment.Create(data, 5, null, nameof(KeyedRow.Group), seed: 11);

        foreach (var group in rows.Select((row, r) => (row.Group, fold: folds.FoldOfRow[r])).GroupBy(p => p.Group))
            Assert.Single(group.Select(p => p.fold).Distinct());
        Assert.Equal(5, folds.FoldOfRow.Distinct().Count());
    }

    [Fact]
    public void Create_SameSeed_SameFolds_OtherSeed_OtherFolds()
    {
        IDataView data = TuningData.Iris(new MLContext());
        var a = FoldAssignment.Create(data, 5, "Species", null, seed: 1);
        var b = FoldAssignment.Create(data, 5, "Species", null, seed: 1);
        var c = FoldAssignment.Create(data, 5, "Species", null, seed: 2);
        Assert.Equal(a.FoldOfRow, b.FoldOfRow);
        Assert.NotEqual(a.FoldOfRow, c.FoldOfRow);
    }

    [Fact]
    public void Create_MissingColumnOrTooManyFolds_ThrowsNamingIt()
    {
        IDataView data = TuningData.Iris(new MLContext());
        var missing = Assert.Throws<ArgumentException>(() => FoldAssignment.Create(data, 5, null, "Farm", seed: 1));
        Assert.Contains("'Farm'", missing.Message, StringComparison.Ordinal);
        Assert.Equal("samplingKeyColumnName", missing.ParamName);
        var vector = Assert.Throws<ArgumentException>(() => FoldAssignment.Create(data, 5, "Features", null, seed: 1));
        Assert.Equal("stratificationColumnName", vector.ParamName);
        var tooMany = Assert.Throws<ArgumentOutOfRangeException>(() => FoldAssignment.Create(data, 151, "Species", null, seed: 1));
        Assert.Equal("numberOfFolds", tooMany.ParamName);
    }

    private sealed class KeyedRow
    {
        public string Group { get; set; } = string.Empty;

        public float Value { get; set; }
    }
}
