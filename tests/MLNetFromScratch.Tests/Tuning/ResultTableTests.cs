using System.Globalization;
using System.Text;
using Microsoft.ML;
using MLNetFromScratch.Tuning;

namespace MLNetFromScratch.Tests.Tuning;

/// <summary>The console table and the CSV export, on a regression grid with awkward text values and a binary grid.</summary>
public sealed class ResultTableTests
{
    private static readonly string[] s_transforms = ["none", "min,max", "say \"z\""];

    private static readonly Lazy<GridSearchResult> s_regression = new(RunRegression);

    private static GridSearchResult Regression() => s_regression.Value;

    private static GridSearchResult RunRegression()
    {
        var ml = new MLContext();
        var grid = new ParameterGrid()
            .Add("Normalizer", s_transforms)
            .Add("L2", new[] { 1e-3f, 10f });
        return ml.Regression.GridSearch(TuningData.Diabetes(ml), grid, (ctx, set) =>
        {
            var normalize = set.Get<string>("Normalizer") == "none"
                ? (IEstimator<ITransformer>)ctx.Transforms.CopyColumns("Features", "Features")
                : ctx.Transforms.NormalizeMinMax("Features");
            return normalize.Append(ctx.Regression.Trainers.Sdca(l2Regularization: set.Get<float>("L2"), maximumNumberOfIterations: 20));
        }, numberOfFolds: 3, rankBy: "RootMeanSquaredError", seed: 1, options: new GridSearchOptions { MaxDegreeOfParallelism = 2 });
    }

    [Fact]
    public void GridSearch_RegressionByRmse_RanksLowestFirst()
    {
        GridSearchResult result = Regression();
        Assert.False(result.HigherIsBetter);
        double[] rmse = [.. result.Candidates.Select(c => c.Metrics["RootMeanSquaredError"].Mean)];
        Assert.Equal(rmse.Order(), rmse);
    }

    [Fact]
    public void WriteCsv_ParsedBack_GivesEveryValueAndEscapedText()
    {
        GridSearchResult result = Regression();
        using var writer = new StringWriter();
        result.WriteCsv(writer);
        var lines = ParseCsv(writer.ToString());

        Assert.Equal(result.Candidates.Count + 1, lines.Count);
        List<string> header = lines[0];
        Assert.Equal(["Rank", "CandidateIndex", "Normalizer", "L2", "RSquaredMean"], header.Take(5));
        for (int c = 0; c < result.Candidates.Count; c++)
        {
            CandidateResult candidate = result.Candidates[c];
            List<string> row = lines[c + 1];
            Assert.Equal(header.Count, row.Count);
            Assert.Equal(candidate.Parameters.Get<string>("Normalizer"), row[2]);
            Assert.Equal(candidate.Parameters.Get<float>("L2"), float.Parse(row[3], CultureInfo.InvariantCulture));
            foreach (string metric in result.MetricNames)
            {
                Assert.Equal(candidate.Metrics[metric].Mean, double.Parse(row[header.IndexOf(metric + "Mean")], CultureInfo.InvariantCulture));
                Assert.Equal(candidate.Metrics[metric].StandardDeviation, double.Parse(row[header.IndexOf(metric + "StandardDeviation")], CultureInfo.InvariantCulture));
            }
        }

        Assert.Contains("\"say \"\"z\"\"\"", writer.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ToConsoleTable_ColumnsLineUpOnEveryLine()
    {
        GridSearchResult result = Regression();
        string[] lines = result.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(result.Candidates.Count + 2, lines.Length);
        Assert.Single(lines.Select(l => l.Length).Distinct());
        int[] separators = [.. Separators(lines[0], '|')];
        Assert.Equal(result.MetricNames.Count + 3, separators.Length);
        Assert.Equal(separators, Separators(lines[1], '+'));
        foreach (string line in lines.Skip(2))
            Assert.Equal(separators, Separators(line, '|'));
        Assert.StartsWith("   1 | ", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void GridSearch_BinaryCalibrated_ReportsAucAndLogLoss()
    {
        var ml = new MLContext();
        var grid = new ParameterGrid().Add("L2", new[] { 1e-2f, 1f });
        GridSearchResult result = ml.BinaryClassification.GridSearch(TuningData.BreastCancer(ml), grid, (ctx, set) =>
            ctx.Transforms.NormalizeMinMax("Features")
                .Append(ctx.BinaryClassification.Trainers.LbfgsLogisticRegression(l2Regularization: set.Get<float>("L2"))),
            numberOfFolds: 3, seed: 2);

        Assert.Equal("AreaUnderRocCurve", result.RankBy);
        Assert.True(result.Best.Metrics["AreaUnderRocCurve"].Mean > 0.95, result.ToString());
        Assert.False(double.IsNaN(result.Best.Metrics["LogLoss"].Mean));
        Assert.Contains("AreaUnderRocCurve mean (sd)", result.ToConsoleTable(["AreaUnderRocCurve", "LogLoss"]), StringComparison.Ordinal);
    }

    private static IEnumerable<int> Separators(string line, char separator) =>
        line.Select((ch, i) => (ch, i)).Where(p => p.ch == separator).Select(p => p.i);

    /// <summary>A minimal RFC 4180 reader, independent of the writer.</summary>
    private static List<List<string>> ParseCsv(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < text.Length; i++)
        {
            char ch = text[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < text.Length && text[i + 1] == '"')
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
            else if (ch == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (ch == '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                rows.Add(row);
                row = [];
            }
            else if (ch != '\r')
            {
                field.Append(ch);
            }
        }

        return rows;
    }
}
