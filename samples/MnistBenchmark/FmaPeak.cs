using System.Diagnostics;

namespace MnistBenchmark;

/// <summary>
/// The machine's single-precision FMA peak, measured in this process: 12 independent Vector256 FMA chains
/// (enough to hide the FMA latency), on 1 thread and on several at once.
/// </summary>
public static class FmaPeak
{
    // The loop itself is the benchmark project's, linked into this sample, so both measure the same peak.
    private const long FlopsPerLoop = MLNetFromScratch.Benchmarks.FmaPeak.FlopsPerLoop;

    /// <summary>Best GFLOP/s over a few runs, <paramref name="threads"/> threads each running the loop at the same time.</summary>
    public static double Measure(int threads)
    {
        double best = 0;
        for (int run = 0; run < 15; run++)
        {
            using var barrier = new Barrier(threads);
            long start = 0;
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
            {
                barrier.SignalAndWait();
                if (t == 0)
                {
                    start = Stopwatch.GetTimestamp();
                }

                GC.KeepAlive(MLNetFromScratch.Benchmarks.FmaPeak.Loop(t));
                barrier.SignalAndWait();
            });
            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            best = Math.Max(best, threads * FlopsPerLoop / seconds / 1e9);
        }

        return best;
    }
}
