using System.Globalization;

namespace Train;

/// <summary>A column of the file: numbers (features, or a numeric label) or text (one-hot encoded, or a class label).</summary>
internal sealed record DataColumn(int Index, string Name, bool IsNumeric, int MissingCount, IReadOnlyCollection<string> Values, bool TooManyValues)
{
    /// <summary>At most this many distinct values are kept per column; a text column with more is not one-hot encoded.</summary>
    public const int MaxDistinct = 100;
}

/// <summary>
/// What one pass over a delimited text file tells: the separator, the column names, and for each column whether every
/// non-missing value is a number and which distinct values it holds. A small stand-in for AutoML's <c>InferColumns</c>.
/// </summary>
internal sealed class DataFile
{
    private static readonly HashSet<string> s_missing = new(StringComparer.OrdinalIgnoreCase) { "", "?", "NA", "N/A", "NaN" };

    private DataFile(string path, char separator, bool separatorGuessed, IReadOnlyList<DataColumn> columns, int rowCount)
    {
        Path = path;
        Separator = separator;
        SeparatorGuessed = separatorGuessed;
        Columns = columns;
        RowCount = rowCount;
    }

    public string Path { get; }

    public char Separator { get; }

    public bool SeparatorGuessed { get; }

    public IReadOnlyList<DataColumn> Columns { get; }

    public int RowCount { get; }

    public static bool IsMissing(string value) => s_missing.Contains(value.Trim());

    /// <summary>Reads <paramref name="path"/> once; lines starting with <c>//</c> and empty lines are skipped, as ML.NET's text loader does.</summary>
    public static DataFile Read(string path, char? separator, bool header)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"data file '{path}' not found (working directory: {Environment.CurrentDirectory}).");
        }

        string[]? names = null;
        List<HashSet<string>> distinct = [];
        List<bool> numeric = [];
        List<int> missing = [];
        int rows = 0;
        bool guessed = separator is null;
        foreach (string line in File.ReadLines(path))
        {
            if (line.Length == 0 || line.StartsWith("//", StringComparison.Ordinal) || string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            separator ??= GuessSeparator(line);
            string[] fields = Split(line, separator.Value);
            if (names is null)
            {
                names = header ? UniqueNames(fields) : [.. fields.Select((_, i) => $"col{i}")];
                distinct.AddRange(names.Select(_ => new HashSet<string>(StringComparer.Ordinal)));
                numeric.AddRange(names.Select(_ => true));
                missing.AddRange(names.Select(_ => 0));

                if (header)
                {
                    continue;
                }
            }

            rows++;
            for (int c = 0; c < names.Length; c++)
            {
                string value = c < fields.Length ? fields[c].Trim() : "";
                if (IsMissing(value))
                {
                    missing[c]++;
                    continue;
                }

                numeric[c] &= double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
                if (distinct[c].Count <= DataColumn.MaxDistinct)
                {
                    distinct[c].Add(value);
                }
            }
        }

        if (names is null || rows == 0)
        {
            throw new UsageException($"data file '{path}' holds no data rows.");
        }

        var columns = names.Select((name, c) => new DataColumn(
            c, name, numeric[c] && distinct[c].Count > 0, missing[c], distinct[c], distinct[c].Count > DataColumn.MaxDistinct)).ToList();
        return new DataFile(path, separator!.Value, guessed, columns, rows);
    }

    /// <summary>The column named <paramref name="name"/> (exactly, or else ignoring case); a clear error listing the columns otherwise.</summary>
    public DataColumn Find(string name, string option)
    {
        DataColumn? column = Columns.FirstOrDefault(c => c.Name == name);
        var sameIgnoringCase = Columns.Where(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();
        return column ?? (sameIgnoringCase.Count == 1 ? sameIgnoringCase[0] : throw new UsageException(
            $"{option} '{name}' is not a column of {Path}. Columns: {string.Join(", ", Columns.Select(c => c.Name))}."));
    }

    /// <summary>The separator that splits the first line into the most fields: tab, comma, semicolon or space.</summary>
    private static char GuessSeparator(string line) =>
        new[] { ',', '\t', ';', ' ' }.OrderByDescending(s => Split(line, s).Length).First();

    /// <summary>Splits a line at <paramref name="separator"/>, honouring double quotes ("a, b" and "" for a quote inside).</summary>
    private static string[] Split(string line, char separator)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (ch == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(ch);
                }
            }
            else if (ch == '"')
            {
                quoted = true;
            }
            else if (ch == separator)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(ch);
            }
        }

        fields.Add(field.ToString());
        return [.. fields];
    }

    private static string[] UniqueNames(string[] fields)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var names = new string[fields.Length];
        for (int c = 0; c < fields.Length; c++)
        {
            string name = fields[c].Trim().Length > 0 ? fields[c].Trim() : $"col{c}";
            string unique = name;
            for (int k = 2; !seen.Add(unique); k++)
            {
                unique = $"{name}_{k}";
            }

            names[c] = unique;
        }

        return names;
    }
}
