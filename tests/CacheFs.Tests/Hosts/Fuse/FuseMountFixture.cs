using System.Collections.Concurrent;
using System.Diagnostics;
using CacheFs.Hosts.Fuse;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace CacheFs.Tests.Hosts.Fuse;

/// <summary>
/// A fresh volume mounted in a temporary directory for a test class. Disposing unmounts (with fusermount3 -u and a lazy
/// umount as fallbacks, so a failed test never leaves a mount behind) and fails if any callback logged an error.
/// </summary>
public sealed class FuseMountFixture : IDisposable
{
    private readonly ErrorSink _errors = new();

    public FuseMountFixture()
        : this(new FuseMountOptions())
    {
    }

    internal FuseMountFixture(FuseMountOptions options)
    {
        Root = Directory.CreateTempSubdirectory("cachefs-fuse-").FullName;
        MountPoint = Directory.CreateDirectory(Path.Combine(Root, "mnt")).FullName;
        Logger = new LoggerConfiguration().MinimumLevel.Warning().WriteTo.Sink(_errors).CreateLogger();
        Volume = new TestVolume(directory: Path.Combine(Root, "cache"));
        try
        {
            Mount = FuseMount.Mount(Volume.Volume, MountPoint, options, Logger);
        }
        catch
        {
            Volume.Dispose();
            throw;
        }
    }

    public string Root { get; }

    public string MountPoint { get; }

    public ILogger Logger { get; }

    public TestVolume Volume { get; }

    public FuseMount Mount { get; }

    /// <summary>Errors logged so far (a test that provokes one clears them after looking).</summary>
    public ConcurrentQueue<string> Errors => _errors.Events;

    /// <summary>A new, empty directory on the mount for one test.</summary>
    public string NewDirectory(string name) => Directory.CreateDirectory(Path.Combine(MountPoint, name)).FullName;

    public void Dispose()
    {
        try
        {
            Mount.Dispose();
        }
        finally
        {
            ForceUnmount(MountPoint);
            Volume.Dispose();
            Directory.Delete(Root, recursive: true);
        }

        Errors.Should().BeEmpty("no FUSE callback may fail with an unexpected error");
    }

    /// <summary>Last resort after a failure: whatever is still mounted there goes.</summary>
    public static void ForceUnmount(string mountPoint)
    {
        if (!IsMounted(mountPoint))
            return;
        foreach (var (program, arguments) in new[] { ("fusermount3", "-u -z"), ("umount", "-l") })
        {
            using var process = Process.Start(new ProcessStartInfo(program, $"{arguments} {mountPoint}") { UseShellExecute = false });
            process?.WaitForExit();
            if (process?.ExitCode == 0)
                return;
        }
    }

    public static bool IsMounted(string mountPoint) =>
        File.ReadAllText("/proc/self/mountinfo").Contains(" " + mountPoint + " ", StringComparison.Ordinal);

    private sealed class ErrorSink : ILogEventSink
    {
        public ConcurrentQueue<string> Events { get; } = new();

        public void Emit(LogEvent logEvent)
        {
            if (logEvent.Level >= LogEventLevel.Error)
                Events.Enqueue(logEvent.RenderMessage() + " " + logEvent.Exception);
        }
    }
}
