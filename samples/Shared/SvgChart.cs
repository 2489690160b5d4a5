// Two small charts written as SVG text by hand: a line chart and a heat map, with axes, ticks, labels, a legend and a
// title. No plotting package: an SVG file is a few dozen XML elements, and any browser shows it.
using System.Globalization;
using System.Text;

namespace Samples.Plotting;

/// <summary>A named line of (x, y) points.</summary>
internal sealed record LineSeries(string Name, IReadOnlyList<(double X, double Y)> Points, string Color, bool Dashed = false);

/// <summary>Writes SVG charts. Numbers are written with the invariant culture, text is XML-escaped.</summary>
internal static class SvgChart
{
    private const int Width = 720;
    private const int Height = 440;
    private const string Font = "font-family=\"Helvetica, Arial, sans-serif\"";

    /// <summary>A line chart of <paramref name="series"/>; <paramref name="markerX"/> draws a dotted vertical line, labelled <paramref name="markerLabel"/>.</summary>
    public static string LineChart(
        string title, string xLabel, string yLabel, IReadOnlyList<LineSeries> series, double? markerX = null, string? markerLabel = null)
    {
        const double left = 80, right = 24, top = 56, bottom = 64;
        double plotWidth = Width - left - right, plotHeight = Height - top - bottom;
        var points = series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
        if (points.Count == 0)
        {
            points.Add((0, 0));
        }

        (double xMin, double xMax, double xStep) = NiceRange(points.Min(p => p.X), points.Max(p => p.X));
        (double yMin, double yMax, double yStep) = NiceRange(Math.Min(0, points.Min(p => p.Y)), points.Max(p => p.Y));
        double X(double x) => left + ((x - xMin) / (xMax - xMin) * plotWidth);
        double Y(double y) => top + plotHeight - ((y - yMin) / (yMax - yMin) * plotHeight);

        var svg = Begin(title);
        for (double y = yMin; y <= yMax + (yStep / 2); y += yStep)
        {
            svg.Append(Inv($"<line x1=\"{left}\" y1=\"{Y(y):0.#}\" x2=\"{left + plotWidth}\" y2=\"{Y(y):0.#}\" stroke=\"#e5e5e5\"/>\n"));
            svg.Append(Inv($"<text x=\"{left - 8}\" y=\"{Y(y) + 4:0.#}\" text-anchor=\"end\" font-size=\"12\" {Font}>{Tick(y, yStep)}</text>\n"));
        }

        for (double x = xMin; x <= xMax + (xStep / 2); x += xStep)
        {
            svg.Append(Inv($"<line x1=\"{X(x):0.#}\" y1=\"{top + plotHeight}\" x2=\"{X(x):0.#}\" y2=\"{top + plotHeight + 5}\" stroke=\"#333\"/>\n"));
            svg.Append(Inv($"<text x=\"{X(x):0.#}\" y=\"{top + plotHeight + 20}\" text-anchor=\"middle\" font-size=\"12\" {Font}>{Tick(x, xStep)}</text>\n"));
        }

        svg.Append(Inv($"<rect x=\"{left}\" y=\"{top}\" width=\"{plotWidth}\" height=\"{plotHeight}\" fill=\"none\" stroke=\"#333\"/>\n"));
        AxisLabels(svg, xLabel, yLabel, left + (plotWidth / 2), top + (plotHeight / 2), 24);

        if (markerX is double mx && mx >= xMin && mx <= xMax)
        {
            svg.Append(Inv($"<line x1=\"{X(mx):0.#}\" y1=\"{top}\" x2=\"{X(mx):0.#}\" y2=\"{top + plotHeight}\" stroke=\"#666\" stroke-dasharray=\"2 3\"/>\n"));
            if (markerLabel is not null)
            {
                svg.Append(Inv($"<text x=\"{X(mx) - 4:0.#}\" y=\"{top + plotHeight - 8}\" text-anchor=\"end\" font-size=\"11\" fill=\"#444\" stroke=\"white\" stroke-width=\"3\" paint-order=\"stroke\" {Font}>{Escape(markerLabel)}</text>\n"));
            }
        }

        foreach (LineSeries s in series)
        {
            string path = string.Join(" ", s.Points.Where(p => double.IsFinite(p.Y)).Select(p => Inv($"{X(p.X):0.##},{Y(Math.Min(p.Y, yMax)):0.##}")));
            string dash = s.Dashed ? " stroke-dasharray=\"6 4\"" : "";
            svg.Append(Inv($"<polyline points=\"{path}\" fill=\"none\" stroke=\"{s.Color}\" stroke-width=\"2\"{dash}/>\n"));
        }

        // Legend, top right inside the plot.
        double legendWidth = 30 + (7.2 * series.Max(s => s.Name.Length));
        double lx = left + plotWidth - legendWidth - 10, ly = top + 10;
        svg.Append(Inv($"<rect x=\"{lx:0.#}\" y=\"{ly}\" width=\"{legendWidth:0.#}\" height=\"{(series.Count * 20) + 8}\" fill=\"white\" fill-opacity=\"0.9\" stroke=\"#ccc\"/>\n"));
        for (int i = 0; i < series.Count; i++)
        {
            double y = ly + 16 + (i * 20);
            string dash = series[i].Dashed ? " stroke-dasharray=\"6 4\"" : "";
            svg.Append(Inv($"<line x1=\"{lx + 6:0.#}\" y1=\"{y - 4}\" x2=\"{lx + 24:0.#}\" y2=\"{y - 4}\" stroke=\"{series[i].Color}\" stroke-width=\"2\"{dash}/>\n"));
            svg.Append(Inv($"<text x=\"{lx + 28:0.#}\" y=\"{y}\" font-size=\"12\" {Font}>{Escape(series[i].Name)}</text>\n"));
        }

        return End(svg);
    }

    /// <summary>
    /// A heat map: one cell per (row, column) with its value and text, coloured from light (worst) to dark (best);
    /// the best cell is outlined. <paramref name="values"/> is [row, column]; NaN cells stay grey.
    /// </summary>
    public static string HeatMap(
        string title, string xLabel, string yLabel, IReadOnlyList<string> columns, IReadOnlyList<string> rows,
        double[,] values, string[,] cellText, string legendLabel, bool higherIsBetter)
    {
        const double left = 110, right = 130, top = 56, bottom = 64;
        double plotWidth = Width - left - right, plotHeight = Height - top - bottom;
        double cellWidth = plotWidth / columns.Count, cellHeight = plotHeight / rows.Count;
        var finite = values.Cast<double>().Where(double.IsFinite).ToList();
        double min = finite.Count > 0 ? finite.Min() : 0, max = finite.Count > 0 ? finite.Max() : 1;
        double Goodness(double v) => max > min ? (higherIsBetter ? v - min : max - v) / (max - min) : 1;

        var svg = Begin(title);
        (int bestRow, int bestColumn, double bestGoodness) = (-1, -1, double.NegativeInfinity);
        for (int r = 0; r < rows.Count; r++)
        {
            for (int c = 0; c < columns.Count; c++)
            {
                double v = values[r, c];
                double x = left + (c * cellWidth), y = top + (r * cellHeight);
                string fill = double.IsFinite(v) ? Color(Goodness(v)) : "#dddddd";
                svg.Append(Inv($"<rect x=\"{x:0.#}\" y=\"{y:0.#}\" width=\"{cellWidth:0.#}\" height=\"{cellHeight:0.#}\" fill=\"{fill}\" stroke=\"white\" stroke-width=\"2\"/>\n"));
                string ink = double.IsFinite(v) && Goodness(v) > 0.55 ? "white" : "#111";
                svg.Append(Inv($"<text x=\"{x + (cellWidth / 2):0.#}\" y=\"{y + (cellHeight / 2) + 5:0.#}\" text-anchor=\"middle\" font-size=\"14\" fill=\"{ink}\" {Font}>{Escape(cellText[r, c])}</text>\n"));
                if (double.IsFinite(v) && Goodness(v) > bestGoodness)
                {
                    (bestRow, bestColumn, bestGoodness) = (r, c, Goodness(v));
                }
            }
        }

        if (bestRow >= 0)
        {
            svg.Append(Inv($"<rect x=\"{left + (bestColumn * cellWidth) + 2:0.#}\" y=\"{top + (bestRow * cellHeight) + 2:0.#}\" width=\"{cellWidth - 4:0.#}\" height=\"{cellHeight - 4:0.#}\" fill=\"none\" stroke=\"#e6550d\" stroke-width=\"3\"/>\n"));
        }

        for (int c = 0; c < columns.Count; c++)
        {
            svg.Append(Inv($"<text x=\"{left + ((c + 0.5) * cellWidth):0.#}\" y=\"{top + plotHeight + 20}\" text-anchor=\"middle\" font-size=\"12\" {Font}>{Escape(columns[c])}</text>\n"));
        }

        for (int r = 0; r < rows.Count; r++)
        {
            svg.Append(Inv($"<text x=\"{left - 8}\" y=\"{top + ((r + 0.5) * cellHeight) + 4:0.#}\" text-anchor=\"end\" font-size=\"12\" {Font}>{Escape(rows[r])}</text>\n"));
        }

        AxisLabels(svg, xLabel, yLabel, left + (plotWidth / 2), top + (plotHeight / 2), 60);

        // Colour bar: worst at the bottom, best at the top, with the metric's range.
        double barX = left + plotWidth + 40, barWidth = 18;
        const int steps = 20;
        for (int i = 0; i < steps; i++)
        {
            double y = top + (i * plotHeight / steps);
            svg.Append(Inv($"<rect x=\"{barX}\" y=\"{y:0.#}\" width=\"{barWidth}\" height=\"{(plotHeight / steps) + 0.5:0.#}\" fill=\"{Color(1 - ((i + 0.5) / steps))}\"/>\n"));
        }

        svg.Append(Inv($"<rect x=\"{barX}\" y=\"{top}\" width=\"{barWidth}\" height=\"{plotHeight}\" fill=\"none\" stroke=\"#333\"/>\n"));
        (double topValue, double bottomValue) = higherIsBetter ? (max, min) : (min, max);
        svg.Append(Inv($"<text x=\"{barX + barWidth + 6}\" y=\"{top + 10}\" font-size=\"12\" {Font}>{topValue:G4}</text>\n"));
        svg.Append(Inv($"<text x=\"{barX + barWidth + 6}\" y=\"{top + plotHeight}\" font-size=\"12\" {Font}>{bottomValue:G4}</text>\n"));
        svg.Append(Inv($"<text x=\"{barX + barWidth + 6}\" y=\"{top + (plotHeight / 2) + 4:0.#}\" font-size=\"11\" fill=\"#444\" {Font}>{(higherIsBetter ? "higher" : "lower")} is</text>\n"));
        svg.Append(Inv($"<text x=\"{barX + barWidth + 6}\" y=\"{top + (plotHeight / 2) + 18:0.#}\" font-size=\"11\" fill=\"#444\" {Font}>better</text>\n"));
        svg.Append(Inv($"<text x=\"{Width - 8}\" y=\"{top - 10}\" text-anchor=\"end\" font-size=\"12\" {Font}>{Escape(legendLabel)}</text>\n"));
        return End(svg);
    }

    /// <summary>Writes <paramref name="svg"/> to <paramref name="path"/>, creating its folder.</summary>
    public static void Write(string path, string svg)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        File.WriteAllText(path, svg);
    }

    /// <summary>Axis bounds that are round numbers, and a round step giving 4 to 8 ticks (Heckbert's "nice numbers").</summary>
    private static (double Min, double Max, double Step) NiceRange(double min, double max)
    {
        if (!(max > min))
        {
            (min, max) = (min - 1, max + 1);
        }

        double rough = (max - min) / 6;
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        double fraction = rough / magnitude;
        double step = (fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10) * magnitude;
        return (Math.Floor(min / step) * step, Math.Ceiling(max / step) * step, step);
    }

    /// <summary>A tick label with as many decimals as the step needs.</summary>
    private static string Tick(double value, double step)
    {
        int decimals = Math.Clamp(-(int)Math.Floor(Math.Log10(step) + 1e-9), 0, 6);
        return Math.Round(value, decimals).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    /// <summary>A colour from light yellow (0) through green to dark blue (1), after the viridis scale.</summary>
    private static string Color(double t)
    {
        (double R, double G, double B)[] stops = [(253, 231, 37), (94, 201, 98), (33, 145, 140), (59, 82, 139), (68, 1, 84)];
        t = Math.Clamp(t, 0, 1) * (stops.Length - 1);
        int i = Math.Min((int)t, stops.Length - 2);
        double f = t - i;
        int Mix(double a, double b) => (int)Math.Round(a + ((b - a) * f));
        return Inv($"#{Mix(stops[i].R, stops[i + 1].R):x2}{Mix(stops[i].G, stops[i + 1].G):x2}{Mix(stops[i].B, stops[i + 1].B):x2}");
    }

    private static StringBuilder Begin(string title)
    {
        var svg = new StringBuilder();
        svg.Append(Inv($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\">\n"));
        svg.Append(Inv($"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>\n"));
        svg.Append(Inv($"<text x=\"{Width / 2}\" y=\"30\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\" {Font}>{Escape(title)}</text>\n"));
        return svg;
    }

    private static void AxisLabels(StringBuilder svg, string xLabel, string yLabel, double centerX, double centerY, double yLabelX)
    {
        svg.Append(Inv($"<text x=\"{centerX:0.#}\" y=\"{Height - 18}\" text-anchor=\"middle\" font-size=\"13\" {Font}>{Escape(xLabel)}</text>\n"));
        svg.Append(Inv($"<text x=\"{yLabelX}\" y=\"{centerY:0.#}\" text-anchor=\"middle\" font-size=\"13\" transform=\"rotate(-90 {yLabelX} {centerY:0.#})\" {Font}>{Escape(yLabel)}</text>\n"));
    }

    private static string End(StringBuilder svg) => svg.Append("</svg>\n").ToString();

    private static string Inv(FormattableString text) => FormattableString.Invariant(text);

    private static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
