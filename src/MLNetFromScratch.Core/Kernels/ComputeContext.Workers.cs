using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace MLNetFromScratch.Core.Kernels;

// The helper threads: a persistent pool that takes numbered chunks of one job at a time.
// A job is a function pointer and a pointer to its state, so handing one over allocates nothing.
// _ticket holds (generation << 32) | next chunk. An odd generation means a job is being written;
// a thread claims a chunk by compare-exchange, only while the generation is still the one it read
// the job under, so a late helper can never run, nor skip, a chunk of another job.
public sealed unsafe partial class ComputeContext
{
    private const long GenerationUnit = 1L << 32;
    private const int IdleExitMilliseconds = 5000;
    private static readonly long s_spinTicks = Stopwatch.Frequency / 20_000; // 50 µs

    private readonly object _gate = new();
    private long _ticket;
    private int _done;
    private int _chunkCount;
    private delegate*<void*, int, void> _body;
    private void* _state;
    private int _busy;
    private int _sleepers;
    private int _liveHelpers;

    // Fully optimized at first call, like every method a training step runs (see TwoLayerNetwork.ComputeGradients).
    /// <summary>
    /// Runs body(state, i) for every i in [0, chunkCount), each exactly once, on the calling thread
    /// and the helpers; returns when all are done. Which thread runs a chunk must not matter to it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void Run(int chunkCount, delegate*<void*, int, void> body, void* state)
    {
        if (MaxDegreeOfParallelism == 1 || chunkCount < 2 || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            for (int i = 0; i < chunkCount; i++)
            {
                body(state, i);
            }

            return;
        }

        try
        {
            long generation = (Volatile.Read(ref _ticket) >> 32) + 2;
            Interlocked.Exchange(ref _ticket, (generation - 1) * GenerationUnit);
            _chunkCount = chunkCount;
            _body = body;
            _state = state;
            _done = 0;
            Interlocked.Exchange(ref _ticket, generation * GenerationUnit);
            if (Volatile.Read(ref _sleepers) > 0 || Volatile.Read(ref _liveHelpers) < MaxDegreeOfParallelism - 1)
            {
                WakeHelpers();
            }

            Drain(generation, chunkCount, body, state);
            var spinner = default(SpinWait);
            while (Volatile.Read(ref _done) < chunkCount)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Drain(long generation, int chunkCount, delegate*<void*, int, void> body, void* state)
    {
        // Claim with a compare-exchange, not an increment: a late helper must not use up a
        // chunk number of the next job while finding that its own job is over.
        while (true)
        {
            long ticket = Volatile.Read(ref _ticket);
            int chunk = (int)(ticket & (GenerationUnit - 1));
            if (ticket >> 32 != generation || chunk >= chunkCount)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref _ticket, ticket + 1, ticket) != ticket)
            {
                continue;
            }

            body(state, chunk);
            Interlocked.Increment(ref _done);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WakeHelpers()
    {
        lock (_gate)
        {
            while (_liveHelpers < MaxDegreeOfParallelism - 1)
            {
                _liveHelpers++;
                new Thread(HelperLoop) { IsBackground = true, Name = "MLNetFromScratch compute helper" }.Start();
            }

            Monitor.PulseAll(_gate);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryTakeJob(ref long seen)
    {
        long generation = Volatile.Read(ref _ticket) >> 32;
        if (generation <= seen || (generation & 1) != 0)
        {
            return false;
        }

        seen = generation;
        Drain(generation, _chunkCount, _body, _state);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void HelperLoop()
    {
        long seen = 0;
        while (true)
        {
            long idleSince = Stopwatch.GetTimestamp();
            while (!TryTakeJob(ref seen))
            {
                if (Stopwatch.GetTimestamp() - idleSince < s_spinTicks)
                {
                    Thread.SpinWait(32);
                    continue;
                }

                lock (_gate)
                {
                    Interlocked.Increment(ref _sleepers);
                    bool woken = true;
                    if (Volatile.Read(ref _ticket) >> 32 == seen)
                    {
                        woken = Monitor.Wait(_gate, IdleExitMilliseconds);
                    }

                    Interlocked.Decrement(ref _sleepers);
                    if (!woken && Volatile.Read(ref _ticket) >> 32 == seen)
                    {
                        _liveHelpers--;
                        return;
                    }
                }

                idleSince = Stopwatch.GetTimestamp();
            }
        }
    }
}
