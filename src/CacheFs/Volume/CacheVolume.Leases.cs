namespace CacheFs.Volume;

/// <summary>
/// The core's side of write leases and byte-range locks: what the sync engine asks of a file before it gives a lease
/// back or lets a lock go, and the lease a writer must take again after giving it up.
/// </summary>
public sealed partial class CacheVolume
{
    /// <summary>Whether something of the node has not reached the origin: bytes not yet uploaded, or a queued change.</summary>
    public bool HasUnsentChanges(long id)
    {
        if (_live.TryGetValue(id, out var live) && live.DirtyRecorded)
            return true;
        return _journal.Read(s => s.GetNode(id) is { } node ? !IsSettled(s, node) : s.HasQueuedChanges(id));
    }

    /// <summary>
    /// Queues the upload of what was written to the file since its last queued upload, as close and fsync do, without
    /// making anything durable: the flush of an unlock, so the next holder of the lock reads these bytes.
    /// </summary>
    public FsStatus QueueUpload(long id)
    {
        if (!_live.TryGetValue(id, out var file))
            return FsStatus.Ok; // Not open: its last close queued whatever it wrote.
        return FlushMetadata(file, queueUpload: true);
    }

    /// <summary>The write lease on the node went back while writers may have it open: their next write asks again.</summary>
    public void LeaseGivenBack(long id)
    {
        if (_live.TryGetValue(id, out var file) && file.Writers > 0)
            file.LeaseNeeded = true;
    }

    /// <summary>Takes the lease again for a writer that lost it; called outside every lock (it may be a round trip).</summary>
    private FsStatus RetakeLease(LiveFile file)
    {
        if (Leases is not { } leases || file.OriginId == 0)
        {
            file.LeaseNeeded = false;
            return FsStatus.Ok;
        }

        var status = leases.AcquireForWrite(file.Id);
        if (status == FsStatus.Ok)
            file.LeaseNeeded = false;
        return status;
    }
}
