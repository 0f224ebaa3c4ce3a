using System.Runtime.InteropServices;
using CacheFs.Hosts.Fuse.Native;
using Serilog;
using Serilog.Events;

namespace CacheFs.Hosts.Fuse;

/// <summary>
/// Routes libfuse's own messages (mount errors, option errors, its debug trace) into Serilog. libfuse's log function is
/// process-wide, so this is too; the last error on a thread is kept to explain a failed fuse_new or fuse_mount.
/// </summary>
internal static unsafe class FuseLog
{
    private static ILogger s_log = Log.Logger;
    private static int s_installed;

    [ThreadStatic]
    private static string? t_lastError;

    public static void Install(ILogger log)
    {
        s_log = log.ForContext("SourceContext", "libfuse");
        if (Interlocked.Exchange(ref s_installed, 1) == 0)
            LibFuse.SetLogFunction(&OnLog);
    }

    /// <summary>The last error libfuse reported on this thread, cleared by reading it.</summary>
    public static string? TakeLastError()
    {
        var error = t_lastError;
        t_lastError = null;
        return error;
    }

    [UnmanagedCallersOnly]
    private static void OnLog(int level, byte* format, nint args)
    {
        try
        {
            const int size = 2048;
            var buffer = stackalloc byte[size];
            if (Libc.VsnPrintf(buffer, size, format, args) < 0)
                return;
            var message = (Marshal.PtrToStringUTF8((nint)buffer) ?? "").TrimEnd('\n');
            var severity = level switch
            {
                <= 3 => LogEventLevel.Error, // emerg, alert, crit, err
                4 => LogEventLevel.Warning,
                <= 6 => LogEventLevel.Information, // notice, info
                _ => LogEventLevel.Debug,
            };
            if (severity == LogEventLevel.Error)
                t_lastError = message;
            s_log.Write(severity, "{Message}", message);
        }
        catch (Exception)
        {
            // Nothing may unwind into libfuse.
        }
    }
}
