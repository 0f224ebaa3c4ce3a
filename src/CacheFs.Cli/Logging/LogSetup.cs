using Serilog;
using Serilog.Events;

namespace CacheFs.Cli.Logging;

/// <summary>Serilog for every command: the console (stderr, so stdout stays for results), and a rolling file in the cache.</summary>
internal static class LogSetup
{
    public static ILogger Create(LogEventLevel level, string? cacheDirectory)
    {
        var config = new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .Enrich.FromLogContext()
            .WriteTo.Console(
                outputTemplate: "{Timestamp:HH:mm:ss} {Level:u3} {Message:lj}{NewLine}{Exception}",
                standardErrorFromLevel: LogEventLevel.Verbose);
        if (cacheDirectory is not null)
        {
            config = config.WriteTo.File(
                Path.Combine(cacheDirectory, "logs", "cachefs-.log"),
                rollingInterval: RollingInterval.Day,
                retainedFileCountLimit: 14,
                fileSizeLimitBytes: 64L << 20,
                rollOnFileSizeLimit: true);
        }

        return config.CreateLogger();
    }
}
