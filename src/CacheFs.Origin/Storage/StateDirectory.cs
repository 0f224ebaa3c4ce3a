namespace CacheFs.Origin.Storage;

/// <summary>
/// The origin's own folder: the database, the uploads folder for temp files (on the root's file system, so an upload
/// is renamed into place) and a lock file that keeps a second origin off the same state. Leftover temp files of
/// uploads a crash interrupted are removed on open: their old versions were never replaced.
/// </summary>
internal sealed class StateDirectory : IDisposable
{
    private readonly FileStream _lock;

    private StateDirectory(string path, string uploads, FileStream lockFile)
    {
        Path = path;
        Uploads = uploads;
        _lock = lockFile;
    }

    public string Path { get; }

    public string Uploads { get; }

    public static StateDirectory Open(string root, string path)
    {
        string uploads;
        FileStream lockFile;
        try
        {
            Directory.CreateDirectory(path);
            uploads = System.IO.Path.Join(path, "uploads");
            Directory.CreateDirectory(uploads);
            lockFile = new FileStream(System.IO.Path.Join(path, "lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (File.Exists(System.IO.Path.Join(path, "lock")) && e is not DirectoryNotFoundException)
        {
            throw new OriginStartException(OriginStartError.StateInUse, $"Another origin is using the state directory {path}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OriginStartException(OriginStartError.StateUnusable, $"Cannot use the state directory {path}: {e.Message}", e);
        }

        var state = new StateDirectory(path, uploads, lockFile);
        try
        {
            foreach (var leftover in Directory.EnumerateFiles(uploads))
                File.Delete(leftover);
            if (Disk.Stat(root) is { Device: var rootDevice and not 0 } && Disk.Stat(uploads)?.Device != rootDevice)
                throw new OriginStartException(OriginStartError.StateUnusable, $"The state directory {path} must be on the same file system as the root {root}: uploads are renamed into place");
            return state;
        }
        catch
        {
            state.Dispose();
            throw;
        }
    }

    public void Dispose() => _lock.Dispose();
}
