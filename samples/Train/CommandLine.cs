using System.Globalization;
using System.Numerics;

namespace Train;

/// <summary>The tool's options, parsed from <c>--name value</c> pairs; every mistake is a <see cref="UsageException"/>.</summary>
internal sealed class CommandLine
{
    public const string Usage = """
        Trains a neural network on a delimited text file and prints ML.NET's metrics on held-out rows.

        usage: dotnet run --project samples/Train -c Release -- --data FILE --label COLUMN --task binary|multiclass|regression [options]

          --data FILE             the data: one row per line; lines starting with // and empty lines are skipped
          --label COLUMN          the column to predict (with --header false the columns are named col0, col1, ...)
          --task TASK             binary, multiclass or regression
          --separator SEP         a character, or tab, comma, semicolon, space (default: guessed from the first line)
          --header true|false     whether the first row holds the column names (default: true)
          --ignore A,B            columns to leave out of the features (identifiers, leaks)
          --positive VALUE        binary: the label value that is the positive class (default: the larger of the two)
          --hidden N              hidden units (default 100)
          --epochs N              passes over the training rows (default 100)
          --learning-rate X       Adam's learning rate (default 0.001)
          --batch-size N          rows per mini-batch (default 200)
          --validation-fraction X training rows held out for the validation curve and early stopping (default 0.1; 0 = none)
          --patience N            stop after N epochs without a better validation loss, keep the best weights (default 0 = off)
          --test-fraction X       rows held out for the metrics (default 0.2)
          --seed N                seed of the split and of training (default 1)
          --model FILE            where to save the trained model (default model.zip)
          --plot FILE             write the learning curve (training and validation loss per epoch) as SVG

        Columns: numbers are features; text columns are one-hot encoded (MapValueToKey, then OneHot), except text
        columns with more than 100 distinct values, which are left out; empty, ?, NA and NaN are missing values,
        which Standardize replaces by the column mean. Exit code 2 for a usage or data error.
        """;

    public required string DataPath { get; init; }

    public required string Label { get; init; }

    public required string Task { get; init; }

    public char? Separator { get; init; }

    public bool Header { get; init; } = true;

    public IReadOnlyList<string> Ignore { get; init; } = [];

    public string? Positive { get; init; }

    public int Hidden { get; init; } = 100;

    public int Epochs { get; init; } = 100;

    public float LearningRate { get; init; } = 1e-3f;

    public int BatchSize { get; init; } = 200;

    public float ValidationFraction { get; init; } = 0.1f;

    public int Patience { get; init; }

    public double TestFraction { get; init; } = 0.2;

    public int Seed { get; init; } = 1;

    public string ModelPath { get; init; } = "model.zip";

    public string? PlotPath { get; init; }

    /// <summary>Parses the arguments; <c>null</c> when help was asked for.</summary>
    public static CommandLine? Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] is "-h" or "--help" or "-?")
            {
                return null;
            }

            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"unexpected argument '{args[i]}': options are written --name value.");
            }

            string name = args[i][2..];
            if (!s_names.Contains(name))
            {
                throw new UsageException($"unknown option '--{name}'. Options: {string.Join(", ", s_names.Select(n => "--" + n))}.");
            }

            if (i + 1 >= args.Length || (args[i + 1].StartsWith("--", StringComparison.Ordinal) && args[i + 1].Length > 2))
            {
                throw new UsageException($"option '--{name}' needs a value.");
            }

            values[name] = args[++i];
        }

        string Required(string name) => values.TryGetValue(name, out string? v) ? v : throw new UsageException($"--{name} is required.");
        string task = Required("task").ToLowerInvariant();
        if (task is not ("binary" or "multiclass" or "regression"))
        {
            throw new UsageException($"--task '{values["task"]}' is not one of binary, multiclass, regression.");
        }

        var defaults = new CommandLine { DataPath = "", Label = "", Task = "" };
        return new CommandLine
        {
            DataPath = Required("data"),
            Label = Required("label"),
            Task = task,
            Separator = values.TryGetValue("separator", out string? separator) ? ParseSeparator(separator) : null,
            Header = values.TryGetValue("header", out string? header) ? ParseBool("header", header) : defaults.Header,
            Ignore = values.TryGetValue("ignore", out string? ignore) ? [.. ignore.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)] : [],
            Positive = values.GetValueOrDefault("positive"),
            Hidden = Number(values, "hidden", defaults.Hidden),
            Epochs = Number(values, "epochs", defaults.Epochs),
            LearningRate = Number(values, "learning-rate", defaults.LearningRate),
            BatchSize = Number(values, "batch-size", defaults.BatchSize),
            ValidationFraction = Number(values, "validation-fraction", defaults.ValidationFraction),
            Patience = Number(values, "patience", defaults.Patience),
            TestFraction = Number(values, "test-fraction", defaults.TestFraction),
            Seed = Number(values, "seed", defaults.Seed),
            ModelPath = values.GetValueOrDefault("model") ?? defaults.ModelPath,
            PlotPath = values.GetValueOrDefault("plot"),
        };
    }

    private static readonly string[] s_names =
    [
        "data", "label", "task", "separator", "header", "ignore", "positive", "hidden", "epochs", "learning-rate", "batch-size",
        "validation-fraction", "patience", "test-fraction", "seed", "model", "plot",
    ];

    private static T Number<T>(Dictionary<string, string> values, string name, T fallback)
        where T : INumber<T> =>
        !values.TryGetValue(name, out string? text) ? fallback
        : T.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out T? value) ? value
        : throw new UsageException($"--{name} '{text}' is not a {(typeof(T) == typeof(int) ? "whole number" : "number")}.");

    private static bool ParseBool(string name, string text) => text.ToLowerInvariant() switch
    {
        "true" or "yes" or "1" => true,
        "false" or "no" or "0" => false,
        _ => throw new UsageException($"--{name} '{text}' is not true or false."),
    };

    private static char ParseSeparator(string text) => text.ToLowerInvariant() switch
    {
        "tab" or "\\t" or "\t" => '\t',
        "comma" or "," => ',',
        "semicolon" or ";" => ';',
        "space" or " " => ' ',
        _ when text.Length == 1 => text[0],
        _ => throw new UsageException($"--separator '{text}' is not one character, tab, comma, semicolon or space."),
    };
}
