using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetFromScratch.Core.Optimizers;
using MLNetFromScratch.Core.Training;
using MLNetFromScratch.Tests.Infrastructure;
using Xunit.Abstractions;
using static MLNetFromScratch.Tests.Reliability.ReliabilityData;

namespace MLNetFromScratch.Tests.Reliability;

/// <summary>
/// One test per row of docs/bad-input.md: every bad input we handle fails with a clear exception naming the column,
/// row or option at fault, and never yields a model of NaN weights or a quietly wrong score.
/// </summary>
public sealed class BadInputTests(ITestOutputHelper output)
{
    private readonly MLContext _context = new(seed: 1);

    [Theory]
    [InlineData(float.NaN, "NaN")]
    [InlineData(float.PositiveInfinity, "Infinity")]
    [InlineData(float.NegativeInfinity, "-Infinity")]
    public void Fit_NonFiniteFeature_InvalidDataExceptionNamesColumnRowSlot(float bad, string shown)
    {
        FloatRow[] rows = Rows();
        rows[5].Features[2] = bad;

        foreach (NeuralNetworkTask task in Enum.GetValues<NeuralNetworkTask>())
        {
            var e = Assert.Throws<InvalidDataException>(() => Trainer(_context, task, Options()).Fit(For(_context, task, rows)));
            Assert.Contains("'Features'", e.Message, StringComparison.Ordinal);
            Assert.Contains($"holds {shown} at row 5, slot 2", e.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void Fit_NonFiniteRegressionLabel_InvalidDataExceptionNamesRow(float bad)
    {
        FloatRow[] rows = [.. Rows().Select(r => new FloatRow { Features = r.Features, Label = r.Features[0] })];
        rows[9].Label = bad;

        var e = Assert.Throws<InvalidDataException>(() => _context.Regression.Trainers.NeuralNetwork(Options()).Fit(BinarySingle(_context, rows)));

        Assert.Contains("Label column 'Label'", e.Message, StringComparison.Ordinal);
        Assert.Contains("at row 9", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2f)]
    [InlineData(-1f)]
    [InlineData(0.5f)]
    [InlineData(float.NaN)]
    public void Fit_BinarySingleLabelNotZeroOrOne_InvalidDataExceptionNamesRow(float bad)
    {
        FloatRow[] rows = Rows();
        rows[3].Label = bad;

        var e = Assert.Throws<InvalidDataException>(() => _context.BinaryClassification.Trainers.NeuralNetwork(Options()).Fit(BinarySingle(_context, rows)));

        Assert.Contains("Label column 'Label'", e.Message, StringComparison.Ordinal);
        Assert.Contains("at row 3; a binary label must be 0 or 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_MulticlassMissingKey_InvalidDataExceptionNamesRow()
    {
        // MapValueToKey fitted on part of the data maps an unseen class to the missing key 0.
        var rows = Rows().Select((r, i) => new TextLabelRow { Features = r.Features, Species = i == 40 ? "unseen" : i % 2 == 0 ? "a" : "b" }).ToArray();
        IDataView data = _context.Data.LoadFromEnumerable(rows);
        ITransformer keys = _context.Transforms.Conversion.MapValueToKey("Label", "Species").Fit(_context.Data.TakeRows(data, 10));

        var e = Assert.Throws<InvalidDataException>(() => _context.MulticlassClassification.Trainers.NeuralNetwork(Options()).Fit(keys.Transform(data)));

        Assert.Contains("Label column 'Label' holds the missing key at row 40", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(NeuralNetworkTask.BinaryClassification)]
    [InlineData(NeuralNetworkTask.MulticlassClassification)]
    [InlineData(NeuralNetworkTask.Regression)]
    public void FitAndGetOutputSchema_FeatureColumnOfWrongType_ArgumentExceptionNamesColumn(NeuralNetworkTask task)
    {
        IDataView labelled = For(_context, task);
        foreach (IEstimator<ITransformer> convert in new IEstimator<ITransformer>[]
        {
            _context.Transforms.Conversion.ConvertType("Features", outputKind: DataKind.Double),
            _context.Transforms.Conversion.ConvertType("Features", outputKind: DataKind.String),
        })
        {
            IDataView data = convert.Fit(labelled).Transform(labelled);
            NeuralNetworkTrainer trainer = Trainer(_context, task, Options());

            var fit = Assert.Throws<ArgumentException>(() => trainer.Fit(data));
            var shape = Assert.Throws<ArgumentException>(() => trainer.GetOutputSchema(convert.GetOutputSchema(Shapes.Of<FloatRow>(_context))));

            Assert.Contains("Feature column 'Features' must be Single or a known-size vector of Single", fit.Message, StringComparison.Ordinal);
            Assert.Contains("Feature column 'Features' must be Single or a known-size vector of Single", shape.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(NeuralNetworkTask.BinaryClassification, DataKind.String)]
    [InlineData(NeuralNetworkTask.BinaryClassification, DataKind.Double)]
    [InlineData(NeuralNetworkTask.MulticlassClassification, DataKind.Single)]
    [InlineData(NeuralNetworkTask.MulticlassClassification, DataKind.String)]
    [InlineData(NeuralNetworkTask.Regression, DataKind.Boolean)]
    [InlineData(NeuralNetworkTask.Regression, DataKind.Double)]
    public void FitAndGetOutputSchema_LabelColumnOfWrongType_ArgumentExceptionNamesColumnAndTask(NeuralNetworkTask task, DataKind kind)
    {
        IDataView source = BinarySingle(_context);
        IEstimator<ITransformer> convert = _context.Transforms.Conversion.ConvertType("Label", outputKind: kind);
        IDataView data = convert.Fit(source).Transform(source);
        NeuralNetworkTrainer trainer = Trainer(_context, task, Options());

        var fit = Assert.Throws<ArgumentException>(() => trainer.Fit(data));
        var shape = Assert.Throws<ArgumentException>(() => trainer.GetOutputSchema(convert.GetOutputSchema(Shapes.Of<FloatRow>(_context))));

        string expected = task switch
        {
            NeuralNetworkTask.BinaryClassification => "for binary classification",
            NeuralNetworkTask.MulticlassClassification => "for multiclass classification",
            _ => "for regression",
        };
        Assert.Contains("Label column 'Label' must be", fit.Message, StringComparison.Ordinal);
        Assert.Contains(expected, fit.Message, StringComparison.Ordinal);
        Assert.Contains(expected, shape.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Features", "Missing", "Feature column 'Missing' not found.")]
    [InlineData("Missing", "Features", "Label column 'Missing' not found.")]
    public void FitAndGetOutputSchema_MissingColumn_ArgumentExceptionNamesColumn(string label, string features, string message)
    {
        NeuralNetworkOptions options = Options();
        options.LabelColumnName = label == "Features" ? "Label" : label;
        options.FeatureColumnName = features;
        IDataView data = Binary(_context);
        NeuralNetworkTrainer trainer = _context.BinaryClassification.Trainers.NeuralNetwork(options);

        Assert.StartsWith(message, Assert.Throws<ArgumentException>(() => trainer.Fit(data)).Message, StringComparison.Ordinal);
        Assert.StartsWith(message, Assert.Throws<ArgumentException>(() => trainer.GetOutputSchema(Shapes.Of<BoolRow>(_context))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FitAndGetOutputSchema_VariableLengthVectors_ArgumentExceptionNamesColumn()
    {
        IDataView features = _context.Data.LoadFromEnumerable(Rows().Select((r, i) => new VariableRow { Features = r.Features[..(1 + (i % 4))], Label = r.Label }));
        IDataView labels = _context.Data.LoadFromEnumerable(Rows().Select((r, i) => new VariableLabelRow { Features = r.Features, Label = r.Features[..(1 + (i % 2))] }));

        var binary = Assert.Throws<ArgumentException>(() => _context.BinaryClassification.Trainers.NeuralNetwork(Options()).Fit(features));
        var shape = Assert.Throws<ArgumentException>(() => _context.BinaryClassification.Trainers.NeuralNetwork(Options()).GetOutputSchema(Shapes.Of<VariableRow>(_context)));
        var regression = Assert.Throws<ArgumentException>(() => _context.Regression.Trainers.NeuralNetwork(Options()).Fit(labels));

        Assert.Contains("Feature column 'Features' must be Single or a known-size vector", binary.Message, StringComparison.Ordinal);
        Assert.Contains("variable-size vector", shape.Message, StringComparison.Ordinal);
        Assert.Contains("Label column 'Label' must be Single or a known-size vector of Single for regression", regression.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_OneClassBinary_InvalidDataExceptionNamesColumn()
    {
        FloatRow[] rows = [.. Rows().Select(r => new FloatRow { Features = r.Features, Label = 1f })];

        var boolean = Assert.Throws<InvalidDataException>(() => _context.BinaryClassification.Trainers.NeuralNetwork(Options()).Fit(Binary(_context, rows)));
        var single = Assert.Throws<InvalidDataException>(() => _context.BinaryClassification.Trainers.NeuralNetwork(Options()).Fit(BinarySingle(_context, rows)));

        Assert.Equal("Label column 'Label' holds only positive examples; a binary classifier needs both classes.", boolean.Message);
        Assert.Equal(boolean.Message, single.Message);
    }

    [Fact]
    public void Fit_OneClassMulticlass_TrainsAndPredictsThatClass()
    {
        // A key of 3 values of which the data holds one: the network can learn it (unlike a binary classifier).
        FloatRow[] mid = [.. Rows().Select(r => new FloatRow { Features = [0f, .. r.Features[1..]] })];
        IDataView data = Multiclass(_context, mid, keyRows: Rows());
        uint key = ColumnBits.Keys(data, "Label")[0];
        Assert.Equal(3UL, ((KeyDataViewType)data.Schema["Label"].Type).Count);

        NeuralNetworkPredictionTransformer model = _context.MulticlassClassification.Trainers.NeuralNetwork(Options(epochs: 20)).Fit(data);

        Assert.All(ColumnBits.Keys(model.Transform(data), "PredictedLabel"), k => Assert.Equal(key, k));
    }

    [Theory]
    [InlineData(NeuralNetworkTask.BinaryClassification)]
    [InlineData(NeuralNetworkTask.MulticlassClassification)]
    [InlineData(NeuralNetworkTask.Regression)]
    public void Fit_EmptyData_InvalidDataException(NeuralNetworkTask task)
    {
        // (A multiclass key fitted on no rows has one value and fails earlier, at the label's type, with an ArgumentException.)
        IDataView skipped = _context.Data.SkipRows(For(_context, task), 1000);
        IDataView[] views = task == NeuralNetworkTask.MulticlassClassification ? [skipped] : [For(_context, task, []), skipped];

        foreach (IDataView data in views)
        {
            var e = Assert.Throws<InvalidDataException>(() => Trainer(_context, task, Options()).Fit(data));
            Assert.Equal("The training data has no rows.", e.Message);
        }
    }

    [Theory]
    [InlineData(NeuralNetworkTask.BinaryClassification)]
    [InlineData(NeuralNetworkTask.MulticlassClassification)]
    [InlineData(NeuralNetworkTask.Regression)]
    public void Fit_ConstantFeatures_TrainsFiniteModelWithAndWithoutStandardize(NeuralNetworkTask task)
    {
        // Columns 1 and 3 constant (3 at a large value).
        IDataView data = For(_context, task, ReplaceFeatures(Rows(), f => [f[0], 5f, f[2], 1e4f]));

        foreach (IEstimator<ITransformer> pipeline in new IEstimator<ITransformer>[]
        {
            Trainer(_context, task, Options(epochs: 5)),
            _context.Transforms.Standardize("Features").Append(Trainer(_context, task, Options(epochs: 5))),
        })
        {
            ITransformer model = pipeline.Fit(data);
            AssertFinite(NeuralNetworkModelParameters.FromModel(model));
            Assert.All(ColumnBits.Singles(model.Transform(data), "Score"), bits => Assert.True(float.IsFinite(BitConverter.Int32BitsToSingle(bits))));
        }
    }

    [Theory]
    [InlineData(NeuralNetworkTask.BinaryClassification)]
    [InlineData(NeuralNetworkTask.MulticlassClassification)]
    [InlineData(NeuralNetworkTask.Regression)]
    public void Fit_ExtremeFeatures_WithStandardizeTrainsFinite_WithoutEitherFiniteOrDivergedNeverNaN(NeuralNetworkTask task)
    {
        IDataView data = For(_context, task, ReplaceFeatures(Rows(), f => [f[0] * 1e30f, f[1] * 1e30f, f[2], f[3] < 0 ? -float.MaxValue : float.MaxValue]));

        ITransformer standardized = _context.Transforms.Standardize("Features").Append(Trainer(_context, task, Options(epochs: 5))).Fit(data);
        AssertFinite(NeuralNetworkModelParameters.FromModel(standardized));
        AssertFiniteScores(standardized.Transform(data));

        foreach (OptimizerKind optimizer in Enum.GetValues<OptimizerKind>())
        {
            NeuralNetworkOptions options = Options(epochs: 5);
            options.Optimizer = optimizer;
            try
            {
                NeuralNetworkPredictionTransformer raw = Trainer(_context, task, options).Fit(data);
                AssertFinite(raw.Model);
                AssertFiniteScores(raw.Transform(data));
                output.WriteLine($"{task}, {optimizer}, unstandardized 1e30 features: trained, finite weights and scores");
            }
            catch (TrainingDivergedException e)
            {
                output.WriteLine($"{task}, {optimizer}, unstandardized 1e30 features: {e.Message}");
                Assert.Contains("Training diverged", e.Message, StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [InlineData(NeuralNetworkTask.BinaryClassification)]
    [InlineData(NeuralNetworkTask.MulticlassClassification)]
    [InlineData(NeuralNetworkTask.Regression)]
    public void Fit_HugeLearningRate_TrainingDivergedExceptionNoModel(NeuralNetworkTask task)
    {
        NeuralNetworkOptions options = Options(epochs: 50);
        options.Optimizer = OptimizerKind.Sgd;
        options.LearningRate = 1e30f;

        var e = Assert.Throws<TrainingDivergedException>(() => Trainer(_context, task, options).Fit(For(_context, task)));

        Assert.IsAssignableFrom<InvalidOperationException>(e);
        Assert.Contains("Try a smaller learning rate (it was 1E+30)", e.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, object> InvalidOptions() => new()
    {
        { nameof(NeuralNetworkOptions.Epochs), 0 },
        { nameof(NeuralNetworkOptions.Epochs), -1 },
        { nameof(NeuralNetworkOptions.BatchSize), 0 },
        { nameof(NeuralNetworkOptions.LearningRate), 0f },
        { nameof(NeuralNetworkOptions.LearningRate), -1f },
        { nameof(NeuralNetworkOptions.LearningRate), float.NaN },
        { nameof(NeuralNetworkOptions.LearningRate), float.PositiveInfinity },
        { nameof(NeuralNetworkOptions.Optimizer), (OptimizerKind)99 },
        { nameof(NeuralNetworkOptions.Momentum), 1f },
        { nameof(NeuralNetworkOptions.Momentum), -0.1f },
        { nameof(NeuralNetworkOptions.Momentum), float.NaN },
        { nameof(NeuralNetworkOptions.Beta1), 1f },
        { nameof(NeuralNetworkOptions.Beta1), float.NaN },
        { nameof(NeuralNetworkOptions.Beta2), 1f },
        { nameof(NeuralNetworkOptions.Beta2), -0.5f },
        { nameof(NeuralNetworkOptions.Epsilon), 0f },
        { nameof(NeuralNetworkOptions.Epsilon), float.NaN },
        { nameof(NeuralNetworkOptions.Epsilon), float.PositiveInfinity },
        { nameof(NeuralNetworkOptions.LearningRateSchedule), (LearningRateSchedule)99 },
        { nameof(NeuralNetworkOptions.DecayRate), 0f },
        { nameof(NeuralNetworkOptions.DecayRate), 1.5f },
        { nameof(NeuralNetworkOptions.DecayRate), float.NaN },
        { nameof(NeuralNetworkOptions.DecayStepEpochs), 0 },
        { nameof(NeuralNetworkOptions.L2Regularization), -1f },
        { nameof(NeuralNetworkOptions.L2Regularization), float.NaN },
        { nameof(NeuralNetworkOptions.L2Regularization), float.PositiveInfinity },
        { nameof(NeuralNetworkOptions.DropoutRate), 1f },
        { nameof(NeuralNetworkOptions.DropoutRate), -0.1f },
        { nameof(NeuralNetworkOptions.DropoutRate), float.NaN },
        { nameof(NeuralNetworkOptions.EarlyStoppingPatience), -1 },
        { nameof(NeuralNetworkOptions.EarlyStoppingPatience), 5 }, // with ValidationFraction 0 it would watch nothing
        { nameof(NeuralNetworkOptions.LabelColumnName), "" },
        { nameof(NeuralNetworkOptions.FeatureColumnName), "" },
        { nameof(NeuralNetworkOptions.HiddenSize), 0 },
        { nameof(NeuralNetworkOptions.HiddenActivation), (Activation)99 },
        { nameof(NeuralNetworkOptions.ValidationFraction), 1f },
        { nameof(NeuralNetworkOptions.ValidationFraction), -0.1f },
        { nameof(NeuralNetworkOptions.ValidationFraction), float.NaN },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void CreateTrainer_OptionOutOfRange_ArgumentOutOfRangeExceptionNamesOptionAndRange(string option, object value)
    {
        var options = new NeuralNetworkOptions();
        typeof(NeuralNetworkOptions).GetProperty(option)!.SetValue(options, value);

        foreach (NeuralNetworkTask task in Enum.GetValues<NeuralNetworkTask>())
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => Trainer(_context, task, options));
            Assert.Equal(option, e.ParamName);
            Assert.StartsWith($"{option} must be ", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void CreateTrainer_NullColumnName_ArgumentOutOfRangeExceptionNamesOption()
    {
        var options = new NeuralNetworkOptions { LabelColumnName = null! };

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => _context.Regression.Trainers.NeuralNetwork(options));

        Assert.Equal(nameof(NeuralNetworkOptions.LabelColumnName), e.ParamName);
    }

    [Theory]
    [InlineData(NeuralNetworkTask.BinaryClassification)]
    [InlineData(NeuralNetworkTask.MulticlassClassification)]
    [InlineData(NeuralNetworkTask.Regression)]
    public void Transform_FeatureCountDiffersFromTraining_FittedAndLoadedModelsThrowNamingBothCounts(NeuralNetworkTask task)
    {
        IDataView train = For(_context, task);
        NeuralNetworkPredictionTransformer model = Trainer(_context, task, Options()).Fit(train);
        IDataView wider = _context.Data.LoadFromEnumerable(Rows().Select(r => new WideRow { Features = [.. r.Features, 1f] }));
        using var directory = new TempDirectory();
        _context.Model.Save(model, train.Schema, directory.File("m.zip"));
        ITransformer loaded = _context.Model.Load(directory.File("m.zip"), out _);

        // The fitted transformer knows its training schema: it refuses at Transform, before any row is read.
        var fitted = Assert.Throws<ArgumentOutOfRangeException>(() => model.Transform(wider));
        Assert.Contains("Feature column 'Features' holds 5 features; the network was trained on 4.", fitted.Message, StringComparison.Ordinal);

        // A loaded model is a chain of ML.NET transforms: the check runs on the first row scored.
        IDataView scored = loaded.Transform(wider);
        var engine = Assert.Throws<InvalidOperationException>(() => PredictOne(loaded, task));
        var cursor = Assert.Throws<InvalidOperationException>(() => ColumnBits.Singles(scored, "Score"));
        Assert.Contains("trained on 4 features; the feature column now holds 5", engine.Message, StringComparison.Ordinal);
        Assert.Contains("trained on 4 features; the feature column now holds 5", InnermostMessage(cursor), StringComparison.Ordinal);
        output.WriteLine($"{task}: cursor exception {cursor.GetType().Name}: {cursor.Message}");
    }

    [Fact]
    public void FitAndTransform_ReservedColumnNameInInput_ArgumentExceptionNamesColumnUserColumnKept()
    {
        const string Reserved = "__MLNetFromScratch.State";
        IEstimator<ITransformer> copy = _context.Transforms.CopyColumns(Reserved, "Label");
        IDataView data = copy.Fit(BinarySingle(_context)).Transform(BinarySingle(_context));
        NeuralNetworkTrainer trainer = _context.BinaryClassification.Trainers.NeuralNetwork(Options());

        var fit = Assert.Throws<ArgumentException>(() => trainer.Fit(data));
        var shape = Assert.Throws<ArgumentException>(() => trainer.GetOutputSchema(copy.GetOutputSchema(Shapes.Of<FloatRow>(_context))));
        var standardize = Assert.Throws<ArgumentException>(() => _context.Transforms.Standardize("Features").Fit(data));
        NeuralNetworkPredictionTransformer model = trainer.Fit(BinarySingle(_context));
        var transform = Assert.Throws<ArgumentException>(() => model.Transform(data));

        foreach (ArgumentException e in new[] { fit, shape, standardize, transform })
        {
            Assert.Contains($"a column named '{Reserved}'", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Transform_NonFiniteFeatureAtScoring_NaNScoreAndMissingPredictedLabelNeverAQuietClass()
    {
        IDataView train = Multiclass(_context);
        NeuralNetworkPredictionTransformer model = _context.MulticlassClassification.Trainers.NeuralNetwork(Options()).Fit(train);
        FloatRow[] rows = Rows(4);
        rows[1].Features[0] = float.NaN;
        rows[2].Features[3] = float.PositiveInfinity;
        IDataView test = Multiclass(_context, rows);

        IDataView scored = model.Transform(test);
        uint[] keys = ColumnBits.Keys(scored, "PredictedLabel");
        float[][] scores = [.. scored.GetColumn<float[]>("Score")];

        Assert.NotEqual(0u, keys[0]);
        Assert.Equal(0u, keys[1]);
        Assert.Equal(0u, keys[2]);
        Assert.All(scores[1], s => Assert.True(float.IsNaN(s)));
    }

    [Fact]
    public void Fit_AfterAFailedFit_SameTrainerGivesTheModelOfAFreshTrainer()
    {
        FloatRow[] bad = Rows();
        bad[0].Features[0] = float.NaN;
        NeuralNetworkTrainer trainer = _context.Regression.Trainers.NeuralNetwork(Options());
        Assert.Throws<InvalidDataException>(() => trainer.Fit(Regression(_context, bad)));

        float[] again = Parameters(trainer.Fit(Regression(_context)).Model);
        float[] fresh = Parameters(_context.Regression.Trainers.NeuralNetwork(Options()).Fit(Regression(_context)).Model);

        Assert.Equal(fresh, again);
    }

    private string PredictOne(ITransformer model, NeuralNetworkTask task)
    {
        var row = new WideRow { Features = new float[FeatureCount + 1] };
        if (task == NeuralNetworkTask.MulticlassClassification)
        {
            using PredictionEngine<WideRow, VectorScore> vector = _context.Model.CreatePredictionEngine<WideRow, VectorScore>(model);
            return string.Join(",", vector.Predict(row).Score);
        }

        using PredictionEngine<WideRow, ScalarScore> scalar = _context.Model.CreatePredictionEngine<WideRow, ScalarScore>(model);
        return scalar.Predict(row).Score.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    internal static float[] Parameters(NeuralNetworkModelParameters model) =>
        [.. model.HiddenWeights.ToArray(), .. model.HiddenBiases.ToArray(), .. model.OutputWeights.ToArray(), .. model.OutputBiases.ToArray()];

    private static void AssertFinite(NeuralNetworkModelParameters model) => Assert.All(Parameters(model), w => Assert.True(float.IsFinite(w)));

    private static void AssertFiniteScores(IDataView scored) =>
        Assert.All(ColumnBits.Singles(scored, "Score"), bits => Assert.True(float.IsFinite(BitConverter.Int32BitsToSingle(bits))));

    private static string InnermostMessage(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e.Message;
    }

    public sealed class TextLabelRow
    {
        [VectorType(FeatureCount)]
        public float[] Features { get; set; } = [];

        public string Species { get; set; } = "";
    }

    public sealed class VariableRow
    {
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }

    public sealed class VariableLabelRow
    {
        [VectorType(FeatureCount)]
        public float[] Features { get; set; } = [];

        public float[] Label { get; set; } = [];
    }

    public sealed class WideRow
    {
        [VectorType(FeatureCount + 1)]
        public float[] Features { get; set; } = [];
    }

    public sealed class VectorScore
    {
        public float[] Score { get; set; } = [];
    }

    public sealed class ScalarScore
    {
        public float Score { get; set; }
    }
}
