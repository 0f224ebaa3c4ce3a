using CacheFs.Nodes;
using CacheFs.Volume;
using Fsp;
using Serilog;

namespace CacheFs.Hosts.WinFsp;

/// <summary>
/// A volume mounted through WinFsp on a drive letter ("X:") or a directory that does not exist yet, served until
/// disposed. Other clients' changes reach Windows as change notices (<see cref="ChangeNotices"/>). Disposing unmounts:
/// WinFsp stops its dispatcher, then the host answers every read still waiting on the origin before the volume may be
/// closed.
/// </summary>
public sealed class WinFspMount : IDisposable
{
    /// <summary>How long a notice waits for a rename in progress before it is dropped (FileInfoTimeout still bounds staleness).</summary>
    private const uint NotifyTimeoutMs = 1000;

    private readonly FileSystemHost _host;
    private readonly WinFspFileSystem _fileSystem;
    private readonly CacheVolume _volume;
    private readonly ILogger _log;
    private readonly Lock _notifyLock = new();
    private bool _unmounted;
    private int _disposed;

    private WinFspMount(FileSystemHost host, WinFspFileSystem fileSystem, CacheVolume volume, ILogger log)
    {
        _host = host;
        _fileSystem = fileSystem;
        _volume = volume;
        _log = log;
    }

    public string MountPoint => _host.MountPoint();

    /// <summary>Mounts; throws <see cref="WinFspMountException"/> when WinFsp refuses (the drive letter is taken, ...).</summary>
    /// <exception cref="DllNotFoundException">WinFsp is not installed.</exception>
    public static WinFspMount Mount(CacheVolume volume, string mountPoint, ILogger log)
    {
        var fileSystem = new WinFspFileSystem(volume, log);
        var host = new FileSystemHost(fileSystem);
        int status;
        try
        {
            status = host.MountEx(mountPoint, WinFspSettings.ThreadCount);
        }
        catch (TypeInitializationException e) when (e.InnerException is DllNotFoundException missing)
        {
            // WinFsp's .NET layer loads its native DLL in a static constructor, so a missing WinFsp arrives wrapped.
            host.Dispose();
            fileSystem.Dispose();
            throw new DllNotFoundException(missing.Message, e);
        }

        if (status < 0)
        {
            host.Dispose();
            fileSystem.Dispose();
            throw new WinFspMountException(mountPoint, status);
        }

        var mount = new WinFspMount(host, fileSystem, volume, log);
        volume.Invalidate = mount.Notify;
        return mount;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _volume.Invalidate = null;
        lock (_notifyLock)
            _unmounted = true;
        _host.Dispose();
        _fileSystem.Dispose();
    }

    /// <summary>
    /// Another client's change, from the sync engine's threads (never from a callback: NotifyBegin waits for renames in
    /// progress, and a callback that waited here could wait on itself).
    /// </summary>
    private void Notify(VolumeChange change)
    {
        var notices = ChangeNotices.Of(change, id => id == NodeIds.Root ? "" : _volume.PathOf(id));
        if (notices.Length == 0)
            return;
        lock (_notifyLock)
        {
            if (_unmounted)
                return;
            var status = _host.NotifyBegin(NotifyTimeoutMs);
            if (status < 0)
            {
                _log.Debug("WinFsp notification of {Change} dropped: NotifyBegin returned 0x{Status:X8}", change, status);
                return;
            }

            try
            {
                _ = _host.Notify(notices);
            }
            finally
            {
                _ = _host.NotifyEnd();
            }
        }
    }
}
