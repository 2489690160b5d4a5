using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MLNetFromScratch;

internal static partial class TrainingDataReader
{
    /// <summary>
    /// A small ring of rows passed from one thread, which fills them, to one other, which takes them in the order they
    /// were filled. The filling side waits only when every row is filled and not yet taken, the taking side only when
    /// none is: it spins for up to 50 us (tens of rows), then sleeps; each side wakes the other once every quarter of
    /// the ring, so a side that sleeps sleeps through a few rows of the other's work rather than waking at every row.
    /// </summary>
    /// <remarks>
    /// A side that sleeps resets its event, looks again, and only then waits; the other side changes its count, then
    /// sets the event. Setting and resetting are atomic operations on one word, so either the sleeping side sees the
    /// change, or the event is set after it was reset and the wait returns: no wake-up is lost.
    /// </remarks>
    private sealed class RowRing : IDisposable
    {
        /// <summary>Fewer rows than this fit in the ring's bytes: the rows are read on one thread.</summary>
        public const int MinimumSlots = 4;

        private const int MaximumSlots = 32;
        private const int MaximumBytes = 128 * 1024;
        private static readonly long s_spinTicks = Stopwatch.Frequency / 20_000; // 50 us

        private readonly Row[] _rows;
        private readonly int _mask;
        private readonly int _wakeMask;
        private readonly ManualResetEventSlim _filled = new(false, spinCount: 0);
        private readonly ManualResetEventSlim _taken = new(false, spinCount: 0);
        private Counts _counts;
        private volatile bool _complete; // the filling side fills no more rows
        private volatile bool _stopped; // the taking side takes no more rows

        /// <param name="slots">Rows in the ring, a power of two (<see cref="Slots"/>).</param>
        /// <param name="targetCount">Float targets a row (<see cref="Row"/>).</param>
        public RowRing(int slots, int targetCount)
        {
            _rows = new Row[slots];
            for (int i = 0; i < slots; i++)
            {
                _rows[i] = new Row(targetCount);
            }

            _mask = slots - 1;
            _wakeMask = (slots / 4) - 1;
        }

        /// <summary>Rows in the ring for rows of this size: a power of two, as many as fit in 128 KB of values, at most 32.</summary>
        public static int Slots(int inputs, int outputs)
        {
            long fit = Math.Min(MaximumSlots, MaximumBytes / (sizeof(float) * ((long)inputs + outputs)));
            return fit < 1 ? 0 : 1 << BitOperations.Log2((uint)fit);
        }

        /// <summary>Filling side: the next row to fill, once it is free; null when the taking side has stopped.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public Row? NextToFill()
        {
            if (_counts.Filled - _counts.TakenSeen == _rows.Length)
            {
                Await(_taken, static ring => ring.HasFree());
            }

            return _stopped ? null : _rows[_counts.Filled & _mask];
        }

        /// <summary>Filling side: the row <see cref="NextToFill"/> gave is filled.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Filled()
        {
            long count = _counts.Filled + 1;
            Volatile.Write(ref _counts.Filled, count);
            if ((count & _wakeMask) == 0)
            {
                _filled.Set();
            }
        }

        /// <summary>Filling side: no more rows will be filled.</summary>
        public void Complete()
        {
            _complete = true;
            _filled.Set();
        }

        /// <summary>Taking side: the next filled row, once there is one; null when the ring is empty and complete.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public Row? NextToTake()
        {
            if (_counts.Taken == _counts.FilledSeen)
            {
                Await(_filled, static ring => ring.HasFilled());

                // Complete, perhaps: the count is looked at again, as a last row may have been filled before completing.
                if (_counts.Taken == (_counts.FilledSeen = Volatile.Read(ref _counts.Filled)))
                {
                    return null;
                }
            }

            return _rows[_counts.Taken & _mask];
        }

        /// <summary>Taking side: the row <see cref="NextToTake"/> gave is done with; it may be filled again.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Taken()
        {
            long count = _counts.Taken + 1;
            Volatile.Write(ref _counts.Taken, count);
            if ((count & _wakeMask) == 0)
            {
                _taken.Set();
            }
        }

        /// <summary>Taking side: no more rows will be taken (the filling side is woken and stops).</summary>
        public void Stop()
        {
            _stopped = true;
            _taken.Set();
        }

        public void Dispose()
        {
            _filled.Dispose();
            _taken.Dispose();
        }

        /// <summary>Filling side: whether a row is free (the taking side's count looked at again), or the taking side has stopped.</summary>
        private bool HasFree()
        {
            _counts.TakenSeen = Volatile.Read(ref _counts.Taken);
            return _counts.Filled - _counts.TakenSeen < _rows.Length || _stopped;
        }

        /// <summary>Taking side: whether a row is filled (the filling side's count looked at again), or the ring is complete.</summary>
        private bool HasFilled()
        {
            _counts.FilledSeen = Volatile.Read(ref _counts.Filled);
            return _counts.Taken != _counts.FilledSeen || _complete;
        }

        /// <summary>
        /// Waits until <paramref name="ready"/>: spinning (and yielding to other threads) for up to 50 us, then sleeping
        /// until <paramref name="signal"/> is set.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Await(ManualResetEventSlim signal, Func<RowRing, bool> ready)
        {
            long start = Stopwatch.GetTimestamp();
            var spinner = default(SpinWait);
            while (!ready(this))
            {
                if (Stopwatch.GetTimestamp() - start < s_spinTicks)
                {
                    spinner.SpinOnce(sleep1Threshold: -1);
                    continue;
                }

                signal.Reset();
                if (!ready(this))
                {
                    signal.Wait();
                }
            }
        }

        /// <summary>
        /// Each side's count, and its last look at the other's, on cache lines of their own: a side reads the other's
        /// count only when its last look says the ring is full (or empty), so the lines pass between the cores once a
        /// batch of rows, not at every row.
        /// </summary>
        [StructLayout(LayoutKind.Explicit, Size = (3 * CacheLine) + 32)]
        private struct Counts
        {
            private const int CacheLine = 64;

            /// <summary>Rows filled; written by the filling side.</summary>
            [FieldOffset(CacheLine)]
            public long Filled;

            /// <summary>The filling side's last look at <see cref="Taken"/>.</summary>
            [FieldOffset(CacheLine + 8)]
            public long TakenSeen;

            /// <summary>Rows taken and done with; written by the taking side.</summary>
            [FieldOffset((2 * CacheLine) + 16)]
            public long Taken;

            /// <summary>The taking side's last look at <see cref="Filled"/>.</summary>
            [FieldOffset((2 * CacheLine) + 24)]
            public long FilledSeen;
        }
    }
}
