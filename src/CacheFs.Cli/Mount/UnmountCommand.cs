using System.CommandLine;
using System.Globalization;
using CacheFs.Cli.Logging;
using CacheFs.Hosts.Fuse;
using Serilog;

namespace CacheFs.Cli.Mount;

/// <summary>
/// `cachefs unmount &lt;dir&gt;`: unmounts a CacheFs mount (also a dead one) and waits until the process that served it
/// has closed its journal, so the same cache can be mounted again as soon as this returns.
/// </summary>
internal static class UnmountCommand
{
    /// <summary>Written by the core's cache directory lock: the process that has the cache open.</summary>
    private const string OwnerFile = "cachefs.owner";

    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(30);

    public static Command Create()
    {
        var mountPoint = new Argument<string>("mount-point") { Description = "Where the volume is mounted" };
        var lazy = new Option<bool>("--lazy") { Description = "Detach now even if files are open; the volume closes when the last one is" };
        var command = new Command("unmount", "Unmount a CacheFs volume; its process then flushes and closes the cache.") { mountPoint, lazy };
        command.SetAction(result =>
        {
            using var log = LogSetup.Create(result.GetValue(CommandLine.LogLevel), cacheDirectory: null);
            var report = new MountReport(result.InvocationConfiguration.Error, parent: null);
            return Run(MountCommand.FullPath(result.GetValue(mountPoint)!), result.GetValue(lazy), report, log);
        });
        return command;
    }

    private static int Run(string mountPoint, bool lazy, MountReport report, ILogger log)
    {
        if (!OperatingSystem.IsLinux())
            return report.Failed(new MountFailure(ExitCodes.NotMounted, "cachefs unmount needs Linux."));
        var entry = MountTable.Find(mountPoint);
        if (entry is null)
            return report.Failed(new MountFailure(ExitCodes.NotMounted, $"{mountPoint} is not mounted."));
        if (entry.FileSystemType != MountTable.CacheFsType)
            return report.Failed(new MountFailure(ExitCodes.NotCacheFs, $"{mountPoint} is not a CacheFs mount (it is {entry.FileSystemType} from {entry.Source}); unmount it with umount."));

        var server = ServingProcess(entry);
        if (!lazy)
            UploadFirst(entry, log);
        try
        {
            FuseMount.UnmountPath(mountPoint, lazy, log);
        }
        catch (FuseMountException e)
        {
            var message = e.Error == FuseMountError.UnmountBusy
                ? $"{mountPoint} is busy: a process has a file or its working directory there (see `fuser -vm {mountPoint}`). Close them and try again, or detach it now with `cachefs unmount --lazy {mountPoint}`."
                : e.Message;
            return report.Failed(MountFailure.From(e)! with { Message = message });
        }

        if (server is { } pid && !lazy && !WaitForExit(pid))
            log.Warning("{MountPoint} is unmounted, but process {Pid} is still closing its cache after {Timeout}", mountPoint, pid, CloseTimeout);
        log.Information("unmounted {MountPoint}", mountPoint);
        return ExitCodes.Ok;
    }

    /// <summary>
    /// Asks the mount to empty its upload queue before it goes (`cachefs sync`), so an unmount right after a write never
    /// leaves the change on this machine only; offline, the changes stay queued in the cache for the next mount.
    /// </summary>
    private static void UploadFirst(MountEntry entry, ILogger log)
    {
        if (!Path.IsPathFullyQualified(entry.Source) || !File.Exists(Sync.Control.ControlServer.PathFor(entry.Source)))
            return;
        try
        {
            var status = Sync.Control.ControlClient.SendAsync(entry.Source, new Sync.Control.ControlRequest("status"), CancellationToken.None).GetAwaiter().GetResult().Status;
            if (status is not { QueuedChanges: > 0 })
                return;
            if (!status.Online)
            {
                log.Warning("{Queued} changes wait for the origin, which is unreachable; they stay queued in the cache and go up at the next mount", status.QueuedChanges);
                return;
            }

            log.Information("Uploading {Queued} queued changes before unmounting", status.QueuedChanges);
            var request = new Sync.Control.ControlRequest("sync") { TimeoutMs = (long)UploadQueueDrain.Limit.TotalMilliseconds };
            var answer = Sync.Control.ControlClient.SendAsync(entry.Source, request, CancellationToken.None).GetAwaiter().GetResult();
            if (!answer.Ok)
                log.Warning("{Message}; they stay queued in the cache and go up at the next mount", answer.Message);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            log.Debug("The mount did not answer the sync before unmounting: {Reason}", e.Message);
        }
    }

    /// <summary>The live process serving the mount, found through its source (the cache directory) and the owner file there.</summary>
    private static int? ServingProcess(MountEntry entry)
    {
        var owner = Path.Combine(entry.Source, OwnerFile);
        if (!Path.IsPathFullyQualified(entry.Source) || !File.Exists(owner))
            return null;
        return int.TryParse(File.ReadAllText(owner).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && IsRunning(pid) ? pid : null;
    }

    private static bool WaitForExit(int pid)
    {
        var deadline = Environment.TickCount64 + (long)CloseTimeout.TotalMilliseconds;
        while (IsRunning(pid))
        {
            if (Environment.TickCount64 > deadline)
                return false;
            Task.Delay(20).Wait();
        }

        return true;
    }

    /// <summary>Alive and not a zombie: /proc/&lt;pid&gt;/stat reads "pid (name) S …", the state after the last ')'.</summary>
    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var end = stat.LastIndexOf(')');
            return end > 0 && end + 2 < stat.Length && stat[end + 2] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }
}
