using CacheFs.Remote;

namespace CacheFs.Sync.Engine;

/// <summary>
/// Passes a range request's bytes to the cache and completes each block of the run as soon as the bytes written so
/// far cover it, so readers of the first blocks go on while the rest of the run is still arriving. A response writes
/// its bytes in order; a block is done only once everything before its end has been stored.
/// </summary>
internal sealed class BlockProgressSink(IContentSink inner, List<BlockFetch> blocks, long blockSize, long end) : IContentSink
{
    private long _storedTo = blocks[0].Block * blockSize;
    private int _next;

    public FsStatus Write(long offset, ReadOnlySpan<byte> data)
    {
        var status = inner.Write(offset, data);
        if (status != FsStatus.Ok || offset > _storedTo)
            return status;
        _storedTo = Math.Max(_storedTo, offset + data.Length);
        while (_next < blocks.Count && Math.Min((blocks[_next].Block + 1) * blockSize, end) <= _storedTo)
            blocks[_next++].Done.TrySetResult(FsStatus.Ok);
        return status;
    }

    public bool IsPresent(long offset, long length) => inner.IsPresent(offset, length);
}
