// Train: a neural network on any delimited text file, from the command line.
//   dotnet run --project samples/Train -c Release -- --data data/iris.csv --label Species --task multiclass --plot iris.svg
// Reads the file once to type its columns, splits it, trains Standardize -> NeuralNetwork, prints ML.NET's metrics on the
// held-out rows and saves the model. --help lists every option.
using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using MLNetFromScratch;
using MLNetFromScratch.Core.Training;
using Samples.Plotting;
using Train;

CommandLine? options;
try
{
    options = CommandLine.Parse(args);
    if (options is null)
    {
        Console.WriteLine(CommandLine.Usage);
        return 0;
    }

    return Run(options);
}
catch (UsageException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    Console.Error.WriteLine("Run with --help for the options.");
    return 2;
}
catch (Exception e) when (e is InvalidOperationException or FormatException or IOException or UnauthorizedAccessException)
{
    // Training diverged (TrainingDivergedException says what to try), or the data or an output file could not be read or written.
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}

static int Run(CommandLine options)
{
    var clock = Stopwatch.StartNew();
    var ml = new MLContext(seed: options.Seed);
    DataFile file = DataFile.Read(options.DataPath, options.Separator, options.Header);
    DataColumn label = file.Find(options.Label, "--label");
    var ignored = options.Ignore.Select(name => file.Find(name, "--ignore")).ToHashSet();
    var candidates = file.Columns.Where(c => c != label && !ignored.Contains(c)).ToList();
    var numeric = candidates.Where(c => c.IsNumeric).ToList();
    var text = candidates.Where(c => !c.IsNumeric && c.Values.Count > 0 && !c.TooManyValues).ToList();
    var left = candidates.Except(numeric).Except(text).ToList();
    if (numeric.Count + text.Count == 0)
    {
        throw new UsageException($"no feature columns left in {file.Path}: columns {string.Join(", ", file.Columns.Select(c => c.Name))}.");
    }

    string separatorName = file.Separator switch { '\t' => "tab", ' ' => "space", char s => $"'{s}'" };
    Console.WriteLine($"Data     {file.Path}: {file.RowCount} rows, {file.Columns.Count} columns, separator {separatorName}{(file.SeparatorGuessed ? " (guessed)" : "")}");
    Console.WriteLine($"Features {numeric.Count} numeric{List(numeric)}");
    Console.WriteLine($"         {text.Count} text, one-hot encoded{List(text)}");
    if (left.Count > 0)
    {
        Console.WriteLine($"         left out: {string.Join(", ", left.Select(c => c.Values.Count == 0 ? $"{c.Name} (empty)" : $"{c.Name} (text, over {DataColumn.MaxDistinct} values)"))}");
    }

    int missing = numeric.Sum(c => c.MissingCount);
    if (missing > 0)
    {
        Console.WriteLine($"         {missing} missing numeric values (empty, ?, NA, NaN): Standardize replaces them by the column mean");
    }

    // The loader reads the columns used, each under the file's name; names of our own columns must not clash with them.
    var names = file.Columns.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
    string Unique(string name)
    {
        while (names.Contains(name))
        {
            name += "_";
        }

        names.Add(name);
        return name;
    }

    bool labelIsNumber = label.IsNumeric;
    if (options.Task == "regression" && !labelIsNumber)
    {
        throw new UsageException($"--task regression needs a numeric label; '{label.Name}' holds text such as '{label.Values.First()}'. Use --task binary or multiclass.");
    }

    var loaderColumns = numeric.Select(c => new TextLoader.Column(c.Name, DataKind.Single, c.Index))
        .Concat(text.Select(c => new TextLoader.Column(c.Name, DataKind.String, c.Index)))
        .Append(new TextLoader.Column(label.Name, labelIsNumber ? DataKind.Single : DataKind.String, label.Index))
        .ToArray();
    TextLoader loader = ml.Data.CreateTextLoader(new TextLoader.Options
    {
        Columns = loaderColumns, Separators = [file.Separator], HasHeader = options.Header, AllowQuoting = true, MissingRealsAsNaNs = true,
    });
    IDataView data = WithoutMissingLabels(ml, loader.Load(file.Path), label);

    string featureColumn = Unique("Features");
    string labelColumn = options.Task == "regression" ? label.Name : Unique("Label");
    IEstimator<ITransformer> pipeline = new EstimatorChain<ITransformer>();
    var parts = numeric.Select(c => c.Name).ToList();
    foreach (DataColumn column in text)
    {
        string key = Unique(column.Name + "_key"), oneHot = Unique(column.Name + "_onehot");
        pipeline = pipeline.Append(ml.Transforms.Conversion.MapValueToKey(key, column.Name)).Append(ml.Transforms.OneHot(oneHot, key));
        parts.Add(oneHot);
    }

    pipeline = pipeline.Append(ml.Transforms.Concatenate(featureColumn, [.. parts])).Append(ml.Transforms.Standardize(featureColumn));
    string? predictedValue = null;
    switch (options.Task)
    {
        case "binary":
            (string negative, string positive) = BinaryClasses(label, options.Positive);
            Console.WriteLine($"Label    {label.Name}: positive class '{positive}', negative '{negative}'");
            pipeline = labelIsNumber
                ? pipeline.Append(ml.Transforms.Conversion.MapValue(labelColumn, [new(Number(negative), false), new KeyValuePair<float, bool>(Number(positive), true)], label.Name))
                : pipeline.Append(ml.Transforms.Conversion.MapValue(labelColumn, [new(negative, false), new KeyValuePair<string, bool>(positive, true)], label.Name));
            break;
        case "multiclass":
            if (label.Values.Count < 2 || label.TooManyValues)
            {
                throw new UsageException(label.TooManyValues
                    ? $"--task multiclass: '{label.Name}' has more than {DataColumn.MaxDistinct} distinct values; for a quantity use --task regression."
                    : $"--task multiclass: '{label.Name}' has {label.Values.Count} distinct value(s); it needs at least 2.");
            }

            Console.WriteLine($"Label    {label.Name}: {label.Values.Count} classes{List(label.Values.Order(StringComparer.Ordinal))}");
            pipeline = pipeline.Append(ml.Transforms.Conversion.MapValueToKey(labelColumn, label.Name, keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue));
            predictedValue = Unique("PredictedClass");
            break;
        default:
            Console.WriteLine($"Label    {label.Name}: a number");
            break;
    }

    var network = new NeuralNetworkOptions
    {
        LabelColumnName = labelColumn, FeatureColumnName = featureColumn, HiddenSize = options.Hidden, Epochs = options.Epochs,
        LearningRate = options.LearningRate, BatchSize = options.BatchSize, Seed = options.Seed,
        ValidationFraction = options.ValidationFraction, EarlyStoppingPatience = options.Patience,
        Progress = new ConsoleProgress(Math.Max(1, options.Epochs / 10), options.Task == "regression" ? "R²" : "accuracy"),
    };
    try
    {
        pipeline = pipeline.Append(options.Task switch
        {
            "binary" => ml.BinaryClassification.Trainers.NeuralNetwork(network),
            "multiclass" => ml.MulticlassClassification.Trainers.NeuralNetwork(network),
            _ => (IEstimator<ITransformer>)ml.Regression.Trainers.NeuralNetwork(network),
        });
    }
    catch (ArgumentOutOfRangeException e)
    {
        throw new UsageException(e.Message.Split('\n')[0].Trim());
    }

    if (predictedValue is not null)
    {
        pipeline = pipeline.Append(ml.Transforms.Conversion.MapKeyToValue(predictedValue, "PredictedLabel"));
    }

    if (!(options.TestFraction >= 0 && options.TestFraction < 1))
    {
        throw new UsageException($"--test-fraction {options.TestFraction} is not in [0, 1).");
    }

    IDataView train = data, test = data;
    if (options.TestFraction > 0)
    {
        DataOperationsCatalog.TrainTestData split = ml.Data.TrainTestSplit(data, options.TestFraction, seed: options.Seed);
        (train, test) = (split.TrainSet, split.TestSet);
    }

    Console.WriteLine($"Split    {CountRows(train)} training rows, {(options.TestFraction > 0 ? CountRows(test) : 0)} test rows (--test-fraction {options.TestFraction}, --seed {options.Seed})");
    Console.WriteLine($"Training Standardize -> NeuralNetwork, {options.Hidden} hidden units, {options.Epochs} epochs, learning rate {options.LearningRate}, batch {options.BatchSize}"
        + (options.ValidationFraction > 0 ? $", {options.ValidationFraction:P0} of the training rows for validation" : ""));
    ITransformer model = pipeline.Fit(train);
    NeuralNetworkModelParameters parameters = NeuralNetworkModelParameters.FromModel(model);
    Console.WriteLine($"         {parameters.TrainingHistory.Count} epochs, kept the weights of epoch {parameters.BestEpoch}");

    if (options.TestFraction > 0)
    {
        Console.WriteLine("Test metrics (ML.NET's evaluator, on the held-out rows)");
        Metrics.Print(ml, options.Task, model.Transform(test), labelColumn, parameters);
    }
    else
    {
        Console.WriteLine("No test rows (--test-fraction 0): no metrics.");
    }

    ml.Model.Save(model, loader.GetOutputSchema(), options.ModelPath);
    Console.WriteLine($"Model    {Path.GetFullPath(options.ModelPath)}: mlContext.Model.Load reads it; its input is the file's columns, the label column included");
    if (options.PlotPath is not null)
    {
        SvgPlots.WriteLearningCurve(options.PlotPath, parameters, $"{Path.GetFileName(file.Path)}: {options.Task} loss per epoch");
        Console.WriteLine($"Plot     {Path.GetFullPath(options.PlotPath)}");
    }

    Console.WriteLine($"Done in {clock.Elapsed.TotalSeconds:F1} s.");
    return 0;
}

static string List(IEnumerable<object> items)
{
    var list = items.Select(i => i is DataColumn c ? c.Name : i.ToString()!).ToList();
    return list.Count == 0 ? "" : ": " + string.Join(", ", list.Take(12)) + (list.Count > 12 ? $", ... ({list.Count - 12} more)" : "");
}

static float Number(string text) => float.Parse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);

// Binary: the two label values, negative first. The positive class is --positive, or else the larger (1 over 0, "yes" over "no").
static (string Negative, string Positive) BinaryClasses(DataColumn label, string? positive)
{
    if (label.Values.Count != 2)
    {
        throw new UsageException(
            $"--task binary needs a label with 2 distinct values; '{label.Name}' has {(label.TooManyValues ? $"more than {DataColumn.MaxDistinct}" : label.Values.Count)}"
            + (label.Values.Count <= 10 ? $" ({string.Join(", ", label.Values)})" : "") + ". Use --task multiclass or regression.");
    }

    var values = label.IsNumeric ? label.Values.OrderBy(Number).ToList() : label.Values.Order(StringComparer.Ordinal).ToList();
    if (positive is null)
    {
        return (values[0], values[1]);
    }

    return positive == values[1] ? (values[0], values[1])
        : positive == values[0] ? (values[1], values[0])
        : throw new UsageException($"--positive '{positive}' is not a value of '{label.Name}' ({values[0]}, {values[1]}).");
}

// Rows without a label value cannot be trained on or scored against: leave them out of the data (not of the model).
static IDataView WithoutMissingLabels(MLContext ml, IDataView data, DataColumn label)
{
    if (label.MissingCount == 0)
    {
        return data;
    }

    Console.WriteLine($"Label    {label.MissingCount} rows have no '{label.Name}' value: left out");
    if (label.IsNumeric)
    {
        return ml.Data.FilterRowsByMissingValues(data, label.Name);
    }

    IDataView copied = ml.Transforms.CopyColumns(LabelText.ColumnName, label.Name).Fit(data).Transform(data);
    return ml.Data.FilterByCustomPredicate<LabelText>(copied, row => DataFile.IsMissing(row.Value));
}

static long CountRows(IDataView data)
{
    long count = 0;
    using DataViewRowCursor cursor = data.GetRowCursor([]);
    while (cursor.MoveNext())
    {
        count++;
    }

    return count;
}

namespace Train
{
    /// <summary>A text label, read to leave out rows without one.</summary>
    internal sealed class LabelText
    {
        public const string ColumnName = "__label_text";

        [ColumnName(ColumnName)]
        public string Value { get; set; } = "";
    }

    /// <summary>Prints a line every few epochs, as training goes.</summary>
    internal sealed class ConsoleProgress(int every, string metric) : IProgress<EpochReport>
    {
        public void Report(EpochReport value)
        {
            if (value.Epoch == 1 || value.Epoch % every == 0)
            {
                string validation = value.ValidationLoss is double loss ? $"  validation loss {loss:F4}  {metric} {value.ValidationMetric:F4}" : "";
                Console.WriteLine($"         epoch {value.Epoch,4}  loss {value.TrainingLoss:F4}{validation}");
            }
        }
    }
}
