using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace CacheFs.Cli.Logging;

/// <summary>Serilog for every command: the console (stderr, so stdout stays for results), and a rolling file in the cache.</summary>
internal static class LogSetup
{
    /// <summary>Marks an event the command has already printed (an error message): it goes to the file, not the console again.</summary>
    public const string ShownToUser = nameof(ShownToUser);

    public static Logger Create(LogEventLevel level, string? cacheDirectory, bool console = true)
    {
        var config = new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .Enrich.FromLogContext();
        if (console)
        {
            config = config.WriteTo.Logger(sub => sub
                .Filter.ByExcluding(e => e.Properties.ContainsKey(ShownToUser))
                .WriteTo.Console(
                    outputTemplate: "{Timestamp:HH:mm:ss} {Level:u3} {Message:lj}{NewLine}{Exception}",
                    standardErrorFromLevel: LogEventLevel.Verbose));
        }

        if (cacheDirectory is not null)
        {
            // Shared: a second `cachefs mount` of a cache in use writes why it failed into the same file.
            config = config.WriteTo.File(
                Path.Combine(Folder(cacheDirectory), "cachefs-.log"),
                rollingInterval: RollingInterval.Day,
                retainedFileCountLimit: 14,
                fileSizeLimitBytes: 64L << 20,
                rollOnFileSizeLimit: true,
                shared: true);
        }

        return config.CreateLogger();
    }

    /// <summary>Where a cache's log files go.</summary>
    public static string Folder(string cacheDirectory) => Path.Combine(cacheDirectory, "logs");
}
