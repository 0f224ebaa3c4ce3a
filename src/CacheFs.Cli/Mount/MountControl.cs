using CacheFs.Eviction;
using CacheFs.Sync.Control;
using CacheFs.Sync.Engine;
using CacheFs.Volume;

namespace CacheFs.Cli.Mount;

/// <summary>What a running mount answers on its control endpoint.</summary>
internal sealed class MountControl(MountSettings settings, CacheVolume volume, SyncEngine? engine, Uri? origin, AutoEvictor? evictor = null) : IMountControl, ICacheControl
{
    public CacheVolume Volume => volume;

    public MountStatus Status() => new()
    {
        CacheDirectory = settings.CacheDirectory,
        MountPoint = settings.MountPoint,
        Mode = settings.Origin.Mode.ToString().ToLowerInvariant(),
        Origin = origin?.ToString(),
        Online = engine?.IsOnline ?? false,
        OfflineByHand = engine?.IsOfflineByHand ?? false,
        Session = engine?.SessionId,
        QueuedChanges = volume.OutboxLength,
        QueuedBytes = volume.OutboxBytes,
        LeasesHeld = engine?.LeasesHeld ?? 0,
        LockOwners = engine?.LockOwners ?? 0,
        Conflicts = volume.ListConflicts().Count,
        Cursor = engine?.Cursor ?? 0,
        ProcessId = Environment.ProcessId,
        Cache = volume.Usage(),
        Quota = evictor?.Quota,
        DiskFreeBytes = volume.GetStatistics().TryGet(out var stats) ? stats.AvailableBytes : 0,
    };

    public Task SyncAsync(CancellationToken cancellationToken) =>
        engine?.WaitForOutboxAsync(cancellationToken) ?? Task.CompletedTask;

    public void UploadNow() => engine?.UploadNow();

    public async Task<bool> SetOfflineAsync(bool offline)
    {
        if (engine is null)
            return false;
        await (offline ? engine.GoOfflineAsync() : engine.GoOnlineAsync());
        return true;
    }

    public Task<IReadOnlyList<Protocol.HeldLocks>> HeldLocksAsync(CancellationToken cancellationToken) =>
        engine?.HeldLocksAsync(cancellationToken) ?? Task.FromResult<IReadOnlyList<Protocol.HeldLocks>>([]);
}
