using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNetFromScratch.Benchmarks;

/// <summary>
/// The machine's single-precision FMA peak on one core: 12 independent Vector256 FMA chains,
/// enough to cover the latency of the FMA units, with nothing else in the loop.
/// </summary>
public static class FmaPeak
{
    /// <summary>Multiply-adds done by one <see cref="Loop"/> call, two flops each.</summary>
    public const long FlopsPerLoop = 2L * 8 * 12 * Iterations;

    private const int Iterations = 100_000;

    /// <summary>Runs the FMA loop and returns a value so that it cannot be removed.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static float Loop(float seed)
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

    /// <summary>Best GFLOP/s of a few timed runs of <see cref="Loop"/> in this process.</summary>
    public static double Measure()
    {
        double best = 0;
        float sink = 0;
        for (int run = 0; run < 40; run++)
        {
            long start = Stopwatch.GetTimestamp();
            sink += Loop(run);
            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            best = Math.Max(best, FlopsPerLoop / seconds / 1e9);
        }

        GC.KeepAlive(sink);
        return best;
    }
}
