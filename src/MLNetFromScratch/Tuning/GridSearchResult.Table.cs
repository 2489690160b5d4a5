using System.Globalization;
using System.Text;

namespace MLNetFromScratch.Tuning;

/// <summary>Printing and CSV export of the ranked table.</summary>
public sealed partial class GridSearchResult
{
    /// <summary>The table as aligned text columns (rank, parameters, each metric as <c>mean (sd)</c>, fit seconds), best first.</summary>
    /// <returns>The table, one line per candidate after a header and a rule.</returns>
    public override string ToString() => ToConsoleTable();

    /// <summary>The table as aligned text columns, with only the <paramref name="metrics"/> given (all when <c>null</c>).</summary>
    /// <param name="metrics">The metric columns to show, in order; <c>null</c> for all.</param>
    /// <returns>The table: header, rule, one line per candidate; text left-aligned, numbers right-aligned.</returns>
    /// <exception cref="ArgumentException">A metric is not one of <see cref="MetricNames"/>.</exception>
    public string ToConsoleTable(IEnumerable<string>? metrics = null)
    {
        var shown = (metrics ?? MetricNames).ToList();
        foreach (string m in shown.Where(m => !MetricNames.Contains(m)))
            throw new ArgumentException($"No metric '{m}'; there are {string.Join(", ", MetricNames)}.", nameof(metrics));

        var names = Candidates.Count > 0 ? Candidates[0].Parameters.Names : [];
        var header = new List<string> { "Rank" };
        header.AddRange(names);
        header.AddRange(shown.Select(m => $"{m} mean (sd)"));
        header.Add("Fit (s)");
        var numeric = new List<bool> { true };
        numeric.AddRange(names.Select(_ => false));
        numeric.AddRange(shown.Select(_ => true));
        numeric.Add(true);

        var rows = Candidates.Select(c =>
        {
            var row = new List<string> { c.Rank.ToString(CultureInfo.InvariantCulture) };
            row.AddRange(names.Select(n => ParameterAxis.FormatValue(c.Parameters[n])));
            row.AddRange(shown.Select(m => string.Create(CultureInfo.InvariantCulture, $"{c.Metrics[m].Mean:F4} ({c.Metrics[m].StandardDeviation:F4})")));
            row.Add(c.FitTime.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture));
            return row;
        }).ToList();

        int[] widths = [.. header.Select((h, i) => rows.Select(r => r[i].Length).Prepend(h.Length).Max())];
        var text = new StringBuilder();
        AppendRow(text, header, widths, numeric);
        text.AppendLine(string.Join("-+-", widths.Select(w => new string('-', w))));
        foreach (var row in rows)
            AppendRow(text, row, widths, numeric);
        return text.ToString();
    }

    /// <summary>
    /// Writes the table as CSV (RFC 4180: comma separated, fields with a comma, quote or line break quoted, quotes doubled; invariant culture,
    /// round-trip numbers): <c>Rank, CandidateIndex, &lt;parameters&gt;, &lt;metric&gt;Mean, &lt;metric&gt;StandardDeviation, ..., FitSeconds</c>.
    /// </summary>
    /// <param name="writer">Where to write.</param>
    public void WriteCsv(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var names = Candidates.Count > 0 ? Candidates[0].Parameters.Names : [];
        var header = new List<string> { "Rank", "CandidateIndex" };
        header.AddRange(names);
        foreach (string m in MetricNames)
        {
            header.Add(m + "Mean");
            header.Add(m + "StandardDeviation");
        }

        header.Add("FitSeconds");
        writer.WriteLine(string.Join(',', header.Select(Csv.Quote)));
        foreach (var c in Candidates)
        {
            var row = new List<string> { Csv.Format(c.Rank), Csv.Format(c.Parameters.Index) };
            row.AddRange(names.Select(n => ParameterAxis.FormatValue(c.Parameters[n])));
            foreach (string m in MetricNames)
            {
                row.Add(Csv.Format(c.Metrics[m].Mean));
                row.Add(Csv.Format(c.Metrics[m].StandardDeviation));
            }

            row.Add(Csv.Format(c.FitTime.TotalSeconds));
            writer.WriteLine(string.Join(',', row.Select(Csv.Quote)));
        }
    }

    /// <summary>Writes the table as CSV to a UTF-8 file (see <see cref="WriteCsv(TextWriter)"/>).</summary>
    /// <param name="path">The file to create or overwrite.</param>
    public void WriteCsv(string path)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        WriteCsv(writer);
    }

    private static void AppendRow(StringBuilder text, List<string> cells, int[] widths, List<bool> numeric)
    {
        for (int i = 0; i < cells.Count; i++)
        {
            if (i > 0)
                text.Append(" | ");
            text.Append(numeric[i] ? cells[i].PadLeft(widths[i]) : cells[i].PadRight(widths[i]));
        }

        text.AppendLine();
    }
}
