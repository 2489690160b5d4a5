using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace MLNetFromScratch.Benchmarks;

/// <summary>
/// GFLOP/s of a benchmark from its median time and its Shape parameter, or that as a percentage of the
/// single-core FMA peak of this run: the <see cref="MatMulFmaPeakBenchmark"/> row when it is in the
/// same summary (run with --join), else the peak measured in this process just before the table is
/// printed. A shape "batch x inputs x outputs" is one product, 2·batch·inputs·outputs flops; a shape
/// "batch x inputs x hidden x outputs" is the products of a training step of that network (see
/// <see cref="StepFlops"/>).
/// </summary>
public sealed class GflopsColumn(bool percentOfPeak) : IColumn
{
    private static readonly Lazy<double> s_peak = new(FmaPeak.Measure);

    /// <summary>Splits "256x784x512" into (batch, inputs, outputs).</summary>
    public static (int Batch, int Inputs, int Outputs) ParseShape(string shape)
    {
        int[] parts = Array.ConvertAll(shape.Split('x'), int.Parse);
        return (parts[0], parts[1], parts[2]);
    }

    /// <summary>
    /// The flops of the dense products of one training step of an inputs-hidden-outputs network:
    /// Forward of both layers and the weight gradient of both (2·batch·inputs·hidden each for layer 1,
    /// 2·batch·hidden·outputs each for layer 2), and the input gradient of layer 2 only (layer 1's
    /// input needs none).
    /// </summary>
    public static double StepFlops(int batch, int inputs, int hidden, int outputs) =>
        2.0 * batch * ((2.0 * inputs * hidden) + (3.0 * hidden * outputs));

    /// <inheritdoc/>
    public string Id => percentOfPeak ? "PercentOfPeak" : "Gflops";

    /// <inheritdoc/>
    public string ColumnName => percentOfPeak ? "% of 1-core peak" : "GFLOP/s";

    /// <inheritdoc/>
    public bool AlwaysShow => true;

    /// <inheritdoc/>
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc/>
    public int PriorityInCategory => percentOfPeak ? 1 : 0;

    /// <inheritdoc/>
    public bool IsNumeric => true;

    /// <inheritdoc/>
    public UnitType UnitType => UnitType.Dimensionless;

    /// <inheritdoc/>
    public string Legend => percentOfPeak
        ? "GFLOP/s over the single-core Vector256 FMA peak of this run (the FmaPeak row, or measured by the host process)"
        : "Billions of floating-point operations a second, from the median";

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        // The median, not the mean: on a shared machine a few preempted iterations drag the mean.
        double? medianNs = summary[benchmarkCase]?.ResultStatistics?.Median;
        if (medianNs is not > 0)
        {
            return "-";
        }

        double flops;
        if (benchmarkCase.Descriptor.WorkloadMethod.Name == nameof(MatMulFmaPeakBenchmark.FmaPeak))
        {
            flops = FmaPeak.FlopsPerLoop;
        }
        else
        {
            int[] parts = Array.ConvertAll(((string)benchmarkCase.Parameters["Shape"]).Split('x'), int.Parse);
            flops = parts.Length == 4
                ? StepFlops(parts[0], parts[1], parts[2], parts[3])
                : 2.0 * parts[0] * parts[1] * parts[2];
        }

        double gflops = flops / medianNs.Value;
        return percentOfPeak ? $"{100 * gflops / Peak(summary):F0}%" : $"{gflops:F1}";
    }

    private static double Peak(Summary summary)
    {
        foreach (BenchmarkReport report in summary.Reports)
        {
            if (report.BenchmarkCase.Descriptor.WorkloadMethod.Name == nameof(MatMulFmaPeakBenchmark.FmaPeak)
                && report.ResultStatistics?.Median is > 0 and double median)
            {
                return FmaPeak.FlopsPerLoop / median;
            }
        }

        return s_peak.Value;
    }

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    /// <inheritdoc/>
    public bool IsAvailable(Summary summary) => true;

    /// <inheritdoc/>
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
