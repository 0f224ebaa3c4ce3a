#if WINFSP
using CacheFs.Cli.Logging;
using CacheFs.Hosts.WinFsp;
using CacheFs.Volume;
using Serilog;

namespace CacheFs.Cli.Mount;

/// <summary>
/// `cachefs mount X:` on Windows: open the volume (case-insensitive, as NTFS), start the origin link, mount through
/// WinFsp, report ready, serve until <paramref name="stop"/> (Ctrl+C, or the service being stopped); then unmount, make
/// the journal durable and close it. The Linux counterpart is <see cref="ForegroundMount"/>.
/// </summary>
/// <remarks>
/// The control endpoint (`cachefs status`, `cachefs sync`) is not served yet: it authenticates callers by Linux peer
/// credentials (SO_PEERCRED), which a Windows named pipe or AF_UNIX socket does not give in the same form.
/// </remarks>
internal sealed class WindowsMount(MountSettings settings, MountReport report, CancellationToken stop, bool console = true)
{
    public int Run()
    {
        using var log = LogSetup.Create(settings.LogLevel, settings.CacheDirectory, console);
        try
        {
            return ServeAsync(log).GetAwaiter().GetResult();
        }
        catch (DllNotFoundException e)
        {
            log.Fatal(e, "WinFsp is not installed");
            return report.Failed(new MountFailure(ExitCodes.FuseMissing, "WinFsp is not installed: install it (winget install WinFsp.WinFsp) and mount again."));
        }
        catch (WinFspMountException e)
        {
            log.Error("{Message}", e.Message);
            return report.Failed(new MountFailure(e.MountPointInUse ? ExitCodes.MountPointBusy : ExitCodes.MountFailed, e.Message));
        }
        catch (Exception e) when (MountFailure.From(e) is { } failure)
        {
            log.ForContext(LogSetup.ShownToUser, true).Error("{Message}", failure.Message);
            return report.Failed(failure);
        }
        catch (Exception e)
        {
            log.Fatal(e, "The mount of {MountPoint} failed", settings.MountPoint);
            return report.Failed(new MountFailure(ExitCodes.Failed, $"The mount failed: {e.Message} (details in {LogSetup.Folder(settings.CacheDirectory)})"));
        }
    }

    /// <summary>A Windows cache: names compare without case; Windows has no uid, so the root keeps 0 (the origin's modes stay).</summary>
    public static VolumeOptions VolumeOptions(MountSettings settings) => new()
    {
        CacheDirectory = settings.CacheDirectory,
        CaseSensitive = false,
        Outbox = settings.Origin.Mode != OriginMode.Local,
    };

    private async Task<int> ServeAsync(ILogger log)
    {
        using var volume = CacheVolume.Open(VolumeOptions(settings), log);
        using var origin = MountOrigin.Start(settings, log);
        await using var engine = origin.Connect(volume);
        using (var mount = WinFspMount.Mount(volume, settings.MountPoint, log))
        {
            log.Information("mounted {MountPoint} (cache {CacheDirectory})", mount.MountPoint, settings.CacheDirectory);
            report.Ready();
            await Task.Delay(Timeout.Infinite, stop).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            log.Information("unmounting {MountPoint}", settings.MountPoint);
        }

        if (engine is not null)
            await engine.DisposeAsync();
        var synced = volume.SyncVolume();
        volume.Dispose();
        origin.Dispose();
        if (synced != FsStatus.Ok)
        {
            log.Error("The mount of {MountPoint} ended badly: journal sync {Sync}", settings.MountPoint, synced);
            return ExitCodes.MountFailed;
        }

        log.Information("unmounted {MountPoint}; the journal is closed", settings.MountPoint);
        return ExitCodes.Ok;
    }

    /// <summary>In a console: until Ctrl+C, the console window closing, or logoff/shutdown (ShutdownSignals).</summary>
    public static int RunInConsole(MountSettings settings, TextWriter error)
    {
        using var signals = new ShutdownSignals();
        using var stop = new CancellationTokenSource();
        using var stopping = signals.Received.ContinueWith(_ => stop.Cancel(), TaskScheduler.Default);
        return new WindowsMount(settings, new MountReport(error, parent: null), stop.Token).Run();
    }
}
#endif
