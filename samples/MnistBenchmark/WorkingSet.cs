using System.Diagnostics;
using System.Runtime;

namespace MnistBenchmark;

/// <summary>
/// The process's working set (resident memory) and its peak, measured around one call: garbage left by earlier work
/// is released first, and on Linux the kernel's peak counter is reset, so the peak is that of the call alone.
/// </summary>
public static class WorkingSet
{
    /// <summary>The working set now, in bytes.</summary>
    public static long Current()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    /// <summary>The peak working set since the last successful <see cref="TryResetPeak"/> (else since the process started), in bytes.</summary>
    public static long Peak()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }

    /// <summary>Collects all garbage, compacting the large-object heap too, and returns the freed memory to the system.</summary>
    public static void ReleaseGarbage()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    /// <summary>The bytes held by live objects of the managed heap after the last collection.</summary>
    public static long ManagedHeap() => GC.GetGCMemoryInfo().HeapSizeBytes;

    /// <summary>
    /// Resets the peak to the current working set (Linux: writing 5 to /proc/self/clear_refs resets VmHWM, which
    /// <see cref="Process.PeakWorkingSet64"/> reads). Returns false where that is not possible: the peak is then the process's.
    /// </summary>
    public static bool TryResetPeak()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
