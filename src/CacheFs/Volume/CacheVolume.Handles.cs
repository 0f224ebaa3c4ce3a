namespace CacheFs.Volume;

/// <summary>What a host may ask about an open handle.</summary>
public sealed partial class CacheVolume
{
    /// <summary>The node <paramref name="handle"/> was opened on, whatever its names are now (fstat, ftruncate, readdir of an open directory).</summary>
    public FsResult<long> NodeOfHandle(ulong handle)
    {
        if (HandleOf(handle) is { } open)
            return open.NodeId;
        return FsStatus.BadHandle;
    }
}
