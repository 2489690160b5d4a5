using Microsoft.ML.Trainers;
using MLNetFromScratch.Tuning;

namespace MLNetFromScratch.Tests.Tuning;

public sealed class ParameterSetTests
{
    [Fact]
    public void Grid_FirstAxisVariesSlowest_TypedAccess()
    {
        var grid = new ParameterGrid().Add("HiddenSize", new[] { 16, 32, 64 }).Add("LearningRate", new[] { 1e-3f, 1e-2f });
        Assert.Equal(6, grid.Count);
        ParameterSet set = grid[3];
        Assert.Equal(32, set.Get<int>("HiddenSize"));
        Assert.Equal(1e-2f, set.Get<float>("LearningRate"));
        Assert.Equal("HiddenSize=32, LearningRate=0.01", set.ToString());
        Assert.Throws<InvalidCastException>(() => set.Get<double>("LearningRate"));
        Assert.Throws<KeyNotFoundException>(() => set.Get<int>("Epochs"));
    }

    [Fact]
    public void Add_RepeatedNameOrValue_Throws()
    {
        var grid = new ParameterGrid().Add("A", new[] { 1, 2 });
        Assert.Throws<ArgumentException>(() => grid.Add("A", new[] { 3 }));
        Assert.Throws<ArgumentException>(() => grid.Add("B", new[] { 3, 3 }));
        Assert.Throws<ArgumentException>(() => grid.Add("C", Array.Empty<int>()));
    }

    [Fact]
    public void ApplyTo_MlNetOptionsFields_SetsNullableAndPlainFields()
    {
        var grid = new ParameterGrid()
            .Add(nameof(SdcaMaximumEntropyMulticlassTrainer.Options.L2Regularization), new[] { 0.5f })
            .Add(nameof(SdcaMaximumEntropyMulticlassTrainer.Options.MaximumNumberOfIterations), new[] { 7 })
            .Add(nameof(SdcaMaximumEntropyMulticlassTrainer.Options.Shuffle), new[] { false });
        var options = grid[0].ApplyTo(new SdcaMaximumEntropyMulticlassTrainer.Options());
        Assert.Equal(0.5f, options.L2Regularization);
        Assert.Equal(7, options.MaximumNumberOfIterations);
        Assert.False(options.Shuffle);
    }

    [Fact]
    public void ApplyTo_Properties_SetsThem()
    {
        var set = new ParameterGrid().Add("HiddenSize", new[] { 64 }).Add("Seed", new int?[] { null })[0];
        var options = set.ApplyTo(new PropertyOptions { Seed = 3 });
        Assert.Equal(64, options.HiddenSize);
        Assert.Null(options.Seed);
    }

    [Fact]
    public void ApplyTo_UnknownMember_ThrowsNamingIt()
    {
        var set = new ParameterGrid().Add("HiddenSzie", new[] { 64 })[0];
        var e = Assert.Throws<ArgumentException>(() => set.ApplyTo(new PropertyOptions()));
        Assert.Contains("'HiddenSzie'", e.Message, StringComparison.Ordinal);
        Assert.Equal("target", e.ParamName);
    }

    [Fact]
    public void ApplyTo_ReadOnlyProperty_ThrowsNamingIt()
    {
        var e = Assert.Throws<ArgumentException>(() => new ParameterGrid().Add("Computed", new[] { 1 })[0].ApplyTo(new PropertyOptions()));
        Assert.Contains("'Computed'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HiddenSize")]
    [InlineData("Seed")]
    public void ApplyTo_WrongType_ThrowsNamingMemberAndTypes(string name)
    {
        var set = new ParameterGrid().Add(name, new[] { 64.0 })[0];
        var e = Assert.Throws<ArgumentException>(() => set.ApplyTo(new PropertyOptions()));
        Assert.Contains($"'{name}' is a Double", e.Message, StringComparison.Ordinal);
        Assert.Contains($"PropertyOptions.{name}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ApplyTo_WrongTypeOnMlNetField_ThrowsNamingIt()
    {
        var set = new ParameterGrid().Add(nameof(SdcaMaximumEntropyMulticlassTrainer.Options.L2Regularization), new[] { 0.5 })[0];
        var e = Assert.Throws<ArgumentException>(() => set.ApplyTo(new SdcaMaximumEntropyMulticlassTrainer.Options()));
        Assert.Contains("Options.L2Regularization is a Single?", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fingerprint_DependsOnValuesAndOrder()
    {
        string a = new ParameterGrid().Add("A", new[] { 1, 2 }).Add("B", new[] { 0.5f }).Fingerprint;
        Assert.Equal(a, new ParameterGrid().Add("A", new[] { 1, 2 }).Add("B", new[] { 0.5f }).Fingerprint);
        Assert.NotEqual(a, new ParameterGrid().Add("A", new[] { 2, 1 }).Add("B", new[] { 0.5f }).Fingerprint);
        Assert.NotEqual(a, new ParameterGrid().Add("A", new[] { 1, 2 }).Add("B", new[] { 0.5 }).Fingerprint);
    }

    private sealed class PropertyOptions
    {
        public int HiddenSize { get; set; } = 16;

        public int? Seed { get; set; }

        public int Computed => HiddenSize * 2;
    }
}
