using System.Globalization;

namespace CacheFs.Volume;

/// <summary>
/// An exclusive lock on a cache directory for the life of one volume (flock on Linux, a share-none handle on Windows),
/// so a second mount of the same cache gets a clear error instead of a corrupt journal. The kernel drops it when the
/// process dies, so a killed mount never leaves a stale lock.
/// </summary>
internal sealed class CacheDirectoryLock : IDisposable
{
    private const string LockFile = "cachefs.lock";
    private const string OwnerFile = "cachefs.owner";

    private readonly FileStream _handle;

    private CacheDirectoryLock(FileStream handle) => _handle = handle;

    public static CacheDirectoryLock Acquire(string cacheDirectory)
    {
        var lockPath = Path.Combine(cacheDirectory, LockFile);
        var ownerPath = Path.Combine(cacheDirectory, OwnerFile);
        FileStream handle;
        try
        {
            handle = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            var owner = File.Exists(ownerPath) ? File.ReadAllText(ownerPath).Trim() : "unknown";
            throw new CacheInUseException(
                $"the cache directory {cacheDirectory} is in use by another CacheFs volume (process {owner}); " +
                "unmount it first or choose another --cache directory",
                e);
        }

        File.WriteAllText(ownerPath, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        return new CacheDirectoryLock(handle);
    }

    public void Dispose() => _handle.Dispose();
}
