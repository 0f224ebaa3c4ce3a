using CacheFs.Volume;
using Fsp;
using Serilog;

namespace CacheFs.Hosts.WinFsp;

/// <summary>
/// A volume mounted through WinFsp on a drive letter ("X:") or a directory that does not exist yet, served until
/// disposed. Disposing unmounts: WinFsp stops its dispatcher, then the host answers every read still waiting on the
/// origin before the volume may be closed.
/// </summary>
public sealed class WinFspMount : IDisposable
{
    private readonly FileSystemHost _host;
    private readonly WinFspFileSystem _fileSystem;
    private int _disposed;

    private WinFspMount(FileSystemHost host, WinFspFileSystem fileSystem)
    {
        _host = host;
        _fileSystem = fileSystem;
    }

    public string MountPoint => _host.MountPoint();

    /// <summary>Mounts; throws <see cref="WinFspMountException"/> when WinFsp refuses (the drive letter is taken, ...).</summary>
    /// <exception cref="DllNotFoundException">WinFsp is not installed.</exception>
    public static WinFspMount Mount(CacheVolume volume, string mountPoint, ILogger log)
    {
        var fileSystem = new WinFspFileSystem(volume, log);
        var host = new FileSystemHost(fileSystem);
        var status = host.MountEx(mountPoint, WinFspSettings.ThreadCount);
        if (status < 0)
        {
            host.Dispose();
            fileSystem.Dispose();
            throw new WinFspMountException(mountPoint, status);
        }

        return new WinFspMount(host, fileSystem);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _host.Dispose();
        _fileSystem.Dispose();
    }
}
