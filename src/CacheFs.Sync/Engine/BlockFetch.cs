namespace CacheFs.Sync.Engine;

/// <summary>One block on its way from the origin; <see cref="Done"/> completes once its bytes are in the cache (or the fetch failed).</summary>
internal sealed class BlockFetch(long block)
{
    public long Block { get; } = block;

    public TaskCompletionSource<FsStatus> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
