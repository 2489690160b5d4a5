// The two pictures the samples draw: a network's learning curve and a grid search's heat map.
using System.Globalization;
using MLNetFromScratch;
using MLNetFromScratch.Tuning;

namespace Samples.Plotting;

/// <summary>Learning curves and grid-search heat maps, written as SVG files.</summary>
internal static class SvgPlots
{
    /// <summary>
    /// Training and validation loss per epoch, from <see cref="NeuralNetworkModelParameters.TrainingHistory"/>, with a
    /// marker at the epoch whose weights were kept.
    /// </summary>
    public static void WriteLearningCurve(string path, NeuralNetworkModelParameters network, string title)
    {
        var history = network.TrainingHistory;
        var series = new List<LineSeries>
        {
            new("training loss", [.. history.Select(r => ((double)r.Epoch, r.TrainingLoss))], "#1f77b4"),
        };
        if (history.Any(r => r.ValidationLoss is not null))
        {
            series.Add(new("validation loss", [.. history.Where(r => r.ValidationLoss is not null).Select(r => ((double)r.Epoch, r.ValidationLoss!.Value))], "#d62728", Dashed: true));
        }

        string? marker = network.BestEpoch < history.Count ? $"kept epoch {network.BestEpoch}" : null;
        SvgChart.Write(path, SvgChart.LineChart(
            title, "epoch", "loss", series, marker is null ? null : network.BestEpoch, marker));
    }

    /// <summary>
    /// The mean cross-validated <paramref name="metric"/> of every candidate of a two-axis grid: <paramref name="rowParameter"/>
    /// down, <paramref name="columnParameter"/> across, each cell showing mean ± standard deviation over the folds.
    /// </summary>
    public static void WriteGridHeatMap(string path, GridSearchResult result, string rowParameter, string columnParameter, string metric, string title)
    {
        var rowValues = result.Candidates.Select(c => c.Parameters[rowParameter]).Distinct().OrderBy(v => v).ToList();
        var columnValues = result.Candidates.Select(c => c.Parameters[columnParameter]).Distinct().OrderBy(v => v).ToList();
        var values = new double[rowValues.Count, columnValues.Count];
        var text = new string[rowValues.Count, columnValues.Count];
        for (int r = 0; r < rowValues.Count; r++)
        {
            for (int c = 0; c < columnValues.Count; c++)
            {
                values[r, c] = double.NaN;
                text[r, c] = "";
            }
        }

        foreach (CandidateResult candidate in result.Candidates)
        {
            int r = rowValues.IndexOf(candidate.Parameters[rowParameter]);
            int c = columnValues.IndexOf(candidate.Parameters[columnParameter]);
            MetricSummary summary = candidate.Metrics[metric];
            values[r, c] = summary.Mean;
            string format = Math.Abs(summary.Mean) >= 100 ? "F0" : Math.Abs(summary.Mean) >= 10 ? "F1" : "F3";
            text[r, c] = $"{summary.Mean.ToString(format, CultureInfo.InvariantCulture)} ± {summary.StandardDeviation.ToString(format, CultureInfo.InvariantCulture)}";
        }

        bool higherIsBetter = metric == result.RankBy ? result.HigherIsBetter : !metric.Contains("Error", StringComparison.Ordinal) && !metric.Contains("Loss", StringComparison.Ordinal);
        SvgChart.Write(path, SvgChart.HeatMap(
            title, columnParameter, rowParameter,
            [.. columnValues.Select(ParameterAxis.FormatValue)], [.. rowValues.Select(ParameterAxis.FormatValue)],
            values, text, $"{metric} ({result.NumberOfFolds}-fold mean)", higherIsBetter));
    }
}
