using CacheFs.Cli.Logging;
using CacheFs.Eviction;
using CacheFs.Hosts.Fuse;
using CacheFs.Sync.Control;
using CacheFs.Volume;
using Serilog;

namespace CacheFs.Cli.Mount;

/// <summary>
/// Serves one mount in this process until a signal or an unmount: check the mount point, open the volume, mount, report
/// ready, wait; then unmount, make the journal durable and close it. Also what a --background child runs.
/// </summary>
internal sealed class ForegroundMount(MountSettings settings, MountReport report)
{
    public int Run()
    {
        string mountPoint;
        bool detachedDeadMount;
        try
        {
            // Before the cache directory is created or logged to: a typo in the mount point leaves nothing behind.
            detachedDeadMount = DeadMount.DetachIfDead(settings.MountPoint);
            mountPoint = FuseMount.Check(settings.MountPoint, settings.FuseOptions);
        }
        catch (FuseMountException e)
        {
            return report.Failed(MountFailure.From(e)!);
        }

        if (settings.CacheIsInsideMountPoint())
            return report.Failed(new MountFailure(ExitCodes.InvalidArguments, $"The cache directory {settings.CacheDirectory} is inside the mount point {mountPoint}; put it elsewhere."));

        // A --background child logs to its file only: the parent that reads its output is gone once it is mounted.
        using var log = LogSetup.Create(settings.LogLevel, settings.CacheDirectory, console: !report.ToParent);
        if (detachedDeadMount)
            log.Warning("{MountPoint} was a dead CacheFs mount (its process had died); detached it", mountPoint);
        try
        {
            return ServeAsync(mountPoint, log).GetAwaiter().GetResult();
        }
        catch (Exception e) when (MountFailure.From(e) is { } failure)
        {
            log.ForContext(LogSetup.ShownToUser, true).Error("{Message}", failure.Message);
            return report.Failed(failure);
        }
        catch (Exception e)
        {
            log.Fatal(e, "The mount of {MountPoint} failed", mountPoint);
            return report.Failed(new MountFailure(ExitCodes.Failed, $"The mount failed: {e.Message} (details in {LogSetup.Folder(settings.CacheDirectory)})"));
        }
    }

    private async Task<int> ServeAsync(string mountPoint, ILogger log)
    {
        using var signals = new ShutdownSignals();
        // The cache first: its lock is what tells a second mount of the same cache that it is in use.
        using var volume = CacheVolume.Open(settings.VolumeOptions, log);
        using var origin = MountOrigin.Start(settings, log);
        int result;
        await using var engine = origin.Connect(volume);
        using var evictor = settings.Quota is { } quota ? new AutoEvictor(volume, quota, log) : null;
        using (var mount = FuseMount.Mount(volume, mountPoint, settings.FuseOptions, log))
        await using (ControlServer.Start(settings.CacheDirectory, new MountControl(settings, volume, engine, origin.Uri, evictor), Posix.GetEuid(), log))
        {
            log.Information("mounted {MountPoint} (cache {CacheDirectory})", mountPoint, settings.CacheDirectory);
            report.Ready();
            if (Task.WaitAny(signals.Received, mount.Stopped) == 0)
                log.Information("{Signal}: unmounting {MountPoint}", signals.Received.GetAwaiter().GetResult().ToString(), mountPoint);
            else
                log.Information("{MountPoint} was unmounted", mountPoint);

            // Dispose unmounts, detaching lazily if files are still open, and waits for the request loop to drain.
            mount.Dispose();
            result = mount.Stopped.IsCompletedSuccessfully ? mount.Stopped.GetAwaiter().GetResult() : -1;
        }

        evictor?.Dispose();
        if (engine is not null)
        {
            await UploadQueueDrain.WaitAsync(engine, log);
            await engine.DisposeAsync();
        }

        var synced = volume.SyncVolume();
        volume.Dispose();
        origin.Dispose();
        if (result != 0 || synced != FsStatus.Ok)
        {
            log.Error("The mount of {MountPoint} ended badly: loop result {Result}, journal sync {Sync}", mountPoint, result, synced);
            return ExitCodes.MountFailed;
        }

        log.Information("unmounted {MountPoint}; the journal is closed", mountPoint);
        return ExitCodes.Ok;
    }
}
