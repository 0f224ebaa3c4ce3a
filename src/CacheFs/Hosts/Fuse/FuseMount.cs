using CacheFs.Volume;
using Serilog;

namespace CacheFs.Hosts.Fuse;

/// <summary>
/// A <see cref="CacheVolume"/> mounted at a directory through libfuse3's low-level API: fuse_session_new,
/// fuse_session_mount, then fuse_session_loop_mt on a dedicated thread until the file system is unmounted. The volume
/// stays the caller's to dispose, after this.
/// </summary>
/// <remarks>
/// The process hosting the mount may use the mount itself through system calls (the loop runs on other threads), but
/// not through memory mappings touched from managed code: a page fault waits for our own loop, and a garbage
/// collection started meanwhile would wait for the faulting thread.
/// </remarks>
public sealed class FuseMount : IDisposable
{
    private readonly FuseSession _session;
    private readonly FuseMountOptions _options;
    private readonly ILogger _log;
    private readonly TaskCompletionSource<int> _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();

    /// <summary>Held around each notification, so the session is not freed under one (taken inside <see cref="_lock"/>).</summary>
    private readonly Lock _notifyLock = new();
    private bool _destroyed;
    private bool _sessionGone;
    private CacheVolume? _volume;

    private FuseMount(string mountPoint, FuseSession session, FuseMountOptions options, ILogger log)
    {
        MountPoint = mountPoint;
        _session = session;
        _options = options;
        _log = log;
    }

    public string MountPoint { get; }

    /// <summary>The kernel's lookup counts (for tests).</summary>
    internal KernelInodes KernelInodes => _session.Host.Inodes;

    /// <summary>Completes with libfuse's result when the request loop ends: unmounted by us, by fusermount3 -u, or failed.</summary>
    public Task<int> Stopped => _stopped.Task;

    /// <summary>Mounts and returns once the kernel has finished the FUSE handshake. Throws <see cref="FuseMountException"/>.</summary>
    public static FuseMount Mount(CacheVolume volume, string mountPoint, FuseMountOptions? options, ILogger log)
    {
        options ??= new FuseMountOptions();
        log = log.ForContext<FuseMount>();
        var fullPath = MountPreflight.Check(mountPoint, options);
        FuseLog.Install(log);
        var host = new FuseHost(volume, options, log);
        var session = FuseSession.Create(host, Arguments(options));
        try
        {
            session.Mount(fullPath);
        }
        catch
        {
            session.Destroy();
            throw;
        }

        var mount = new FuseMount(fullPath, session, options, log);
        mount.StartLoop();
        mount.WaitUntilReady(host.Initialized);
        KernelReadAhead.Set(fullPath, options.ReadAheadKib, log);
        mount._volume = volume;
        volume.Invalidate = mount.Invalidate;
        log.Debug("Mounted {CacheDirectory} on {MountPoint}", volume.Options.CacheDirectory, fullPath);
        return mount;
    }

    /// <summary>
    /// The checks <see cref="Mount"/> makes before it touches anything (libfuse, fusermount3, /dev/fuse, the mount point),
    /// so a caller can fail before opening a volume. Returns the mount point's full path or throws <see cref="FuseMountException"/>.
    /// </summary>
    public static string Check(string mountPoint, FuseMountOptions? options) => MountPreflight.Check(mountPoint, options ?? new FuseMountOptions());

    /// <summary>
    /// Unmounts whatever FUSE file system is mounted at <paramref name="mountPoint"/>, served by this process or another
    /// (umount2, or fusermount3 -u for a user). Throws <see cref="FuseMountException"/>: <see cref="FuseMountError.UnmountBusy"/>
    /// while files are open there, unless <paramref name="lazy"/>.
    /// </summary>
    public static void UnmountPath(string mountPoint, bool lazy, ILogger log) => KernelUnmount.Run(mountPoint, lazy, log);

    /// <summary>
    /// Unmounts and waits for the request loop to finish. Throws <see cref="FuseMountException"/> with
    /// <see cref="FuseMountError.UnmountBusy"/> while files are open on the mount, unless <paramref name="lazy"/>
    /// detaches it anyway (the loop then ends when the last user lets go).
    /// </summary>
    public void Unmount(bool lazy = false)
    {
        lock (_lock)
        {
            if (_destroyed)
                return;
            if (!_stopped.Task.IsCompleted)
                KernelUnmount.Run(MountPoint, lazy, _log);
            if (!_stopped.Task.Wait(_options.UnmountTimeout))
                throw new FuseMountException(FuseMountError.UnmountFailed, $"The FUSE loop of {MountPoint} did not stop within {_options.UnmountTimeout}.");
            if (_volume is not null)
                _volume.Invalidate = null;
            lock (_notifyLock)
                _sessionGone = true;
            if (!_session.Host.DrainAsyncReplies(_options.UnmountTimeout))
            {
                // A late answer would reach freed memory: the session is left allocated rather than freed under it.
                _destroyed = true;
                throw new FuseMountException(FuseMountError.UnmountFailed, $"A read on {MountPoint} was still waiting for the origin after {_options.UnmountTimeout}.");
            }

            _session.Destroy();
            _destroyed = true;
            _log.Debug("Unmounted {MountPoint}", MountPoint);
        }
    }

    /// <summary>
    /// A change that did not come through the kernel (another client's, through the origin): the kernel forgets what it
    /// cached of it. Called from the sync engine's threads, never from a request callback: the kernel may wait for
    /// requests on the same inode or directory to be answered first, so a callback that waited here could deadlock.
    /// -ENOENT only means the kernel held nothing of it.
    /// </summary>
    private void Invalidate(VolumeChange change)
    {
        lock (_notifyLock)
        {
            if (_sessionGone || _stopped.Task.IsCompleted)
                return;
            if (change.Name is { } name)
            {
                var result = change.NameRemoved ? _session.Delete(change.Parent, change.Node, name) : _session.InvalidateEntry(change.Parent, name);
                if (result < 0 && result != -Errno.ENOENT)
                    _log.Debug("Invalidating {Name} in {Parent} on {MountPoint} returned {Result}", name, change.Parent, MountPoint, result);
            }

            if (change.Node != 0)
            {
                var result = _session.InvalidateInode(change.Node, change.ContentChanged);
                if (result < 0 && result != -Errno.ENOENT)
                    _log.Debug("Invalidating inode {Node} on {MountPoint} returned {Result}", change.Node, MountPoint, result);
            }
        }
    }

    public void Dispose()
    {
        try
        {
            Unmount();
        }
        catch (FuseMountException e) when (e.Error == FuseMountError.UnmountBusy)
        {
            _log.Warning("{MountPoint} is busy; detaching it lazily", MountPoint);
            try
            {
                Unmount(lazy: true);
            }
            catch (FuseMountException again)
            {
                _log.Error(again, "Could not unmount {MountPoint}", MountPoint);
            }
        }
        catch (FuseMountException e)
        {
            _log.Error(e, "Could not unmount {MountPoint}", MountPoint);
        }
    }

    private static List<string> Arguments(FuseMountOptions options)
    {
        if (options.FileSystemName.AsSpan().IndexOfAny(",\\ ") >= 0)
            throw new ArgumentException("The file system name may not contain commas, spaces or backslashes.", nameof(options));
        List<string> mountOptions = [$"fsname={options.FileSystemName}", "subtype=cachefs"];
        if (options.DefaultPermissions)
            mountOptions.Add("default_permissions");
        if (options.AllowOther)
            mountOptions.Add("allow_other");
        if (options.AutoUnmount)
            mountOptions.Add("auto_unmount");
        if (options.Debug)
            mountOptions.Add("debug");
        return ["cachefs", "-o", string.Join(',', mountOptions)];
    }

    private void StartLoop()
    {
        var thread = new Thread(RunLoop) { IsBackground = true, Name = "FUSE loop " + MountPoint };
        thread.Start();
    }

    private void RunLoop()
    {
        var result = -Errno.EIO;
        try
        {
            result = _session.RunLoop(_options);
            if (result != 0)
                _log.Warning("The FUSE loop of {MountPoint} ended with {Result}", MountPoint, result);
        }
        catch (Exception e)
        {
            _log.Error(e, "The FUSE loop of {MountPoint} failed", MountPoint);
        }
        finally
        {
            _stopped.TrySetResult(result);
        }
    }

    private void WaitUntilReady(Task initialized)
    {
        var first = Task.WaitAny([initialized, _stopped.Task], _options.MountTimeout);
        if (first == 0)
            return;
        var reason = first == 1 ? "the FUSE loop ended during the handshake" : $"the kernel did not finish the handshake within {_options.MountTimeout}";
        Dispose();
        throw new FuseMountException(FuseMountError.MountFailed, $"Cannot mount on {MountPoint}: {reason}.");
    }
}
