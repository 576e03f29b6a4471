using System.Runtime.InteropServices;

namespace Agents.LocalEngine.Benchmarks;

/// <summary>
/// Process CPU time (user + system) from getrusage, in microseconds. On a shared, overloaded machine CPU time measures the
/// work done far more steadily than wall time; with one ORT intra-op thread the process's CPU time is the decode work.
/// </summary>
internal static partial class CpuClock
{
    [StructLayout(LayoutKind.Sequential)]
    private struct RUsage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
        public long R1, R2, R3, R4, R5, R6, R7, R8, R9, R10, R11, R12, R13, R14;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int getrusage(int who, out RUsage usage);

    public static bool IsAvailable => OperatingSystem.IsLinux();

    public static double NowMicroseconds()
    {
        if (!IsAvailable)
        {
            return System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalMicroseconds;
        }

        if (getrusage(0, out var u) != 0)
        {
            throw new InvalidOperationException("getrusage failed");
        }

        return ((u.UserSeconds + u.SystemSeconds) * 1e6) + u.UserMicroseconds + u.SystemMicroseconds;
    }
}
