using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MnistBenchmark;

/// <summary>
/// The machine's single-precision FMA peak, measured in this process: 12 independent Vector256 FMA chains
/// (enough to hide the FMA latency), on 1 thread and on several at once.
/// </summary>
public static class FmaPeak
{
    private const int Iterations = 200_000;
    private const long FlopsPerLoop = 2L * 8 * 12 * Iterations;

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

                GC.KeepAlive(Loop(t));
                barrier.SignalAndWait();
            });
            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            best = Math.Max(best, threads * FlopsPerLoop / seconds / 1e9);
        }

        return best;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Loop(float seed)
    {
        if (!Fma.IsSupported)
        {
            return seed;
        }

        Vector256<float> m = Vector256.Create(0.999999f), a = Vector256.Create(1e-7f);
        Vector256<float> c0 = Vector256.Create(seed), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
        Vector256<float> c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (int i = 0; i < Iterations; i++)
        {
            c0 = Fma.MultiplyAdd(c0, m, a);
            c1 = Fma.MultiplyAdd(c1, m, a);
            c2 = Fma.MultiplyAdd(c2, m, a);
            c3 = Fma.MultiplyAdd(c3, m, a);
            c4 = Fma.MultiplyAdd(c4, m, a);
            c5 = Fma.MultiplyAdd(c5, m, a);
            c6 = Fma.MultiplyAdd(c6, m, a);
            c7 = Fma.MultiplyAdd(c7, m, a);
            c8 = Fma.MultiplyAdd(c8, m, a);
            c9 = Fma.MultiplyAdd(c9, m, a);
            c10 = Fma.MultiplyAdd(c10, m, a);
            c11 = Fma.MultiplyAdd(c11, m, a);
        }

        return Vector256.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }
}
