using Serilog.Core;
using Serilog.Events;

namespace CacheFs.Sync.Tests.Harness;

/// <summary>
/// The engines' and the origins' logs, appended to the file named by CACHEFS_TEST_LOG when it is set (nowhere
/// otherwise): what to read when an engine test fails.
/// </summary>
internal sealed class LogFileSink : ILogEventSink
{
    private static readonly Lock Sync = new();
    private static readonly string? Target = Environment.GetEnvironmentVariable("CACHEFS_TEST_LOG");

    public void Emit(LogEvent logEvent)
    {
        if (Target is null)
            return;
        var line = $"{logEvent.Timestamp:HH:mm:ss.fff} {logEvent.Level} {logEvent.RenderMessage(System.Globalization.CultureInfo.InvariantCulture)} {logEvent.Exception?.Message}\n";
        lock (Sync)
            File.AppendAllText(Target, line);
    }
}
