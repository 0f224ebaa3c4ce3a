using CacheFs.Volume;

namespace CacheFs.Sync.Control;

/// <summary>What the cache commands need of a mount, besides <see cref="IMountControl"/>.</summary>
public interface ICacheControl
{
    CacheVolume Volume { get; }

    /// <summary>Starts replaying the outbox now (`cachefs sync --no-wait`).</summary>
    void UploadNow();

    /// <summary>`cachefs offline` / `cachefs online`; false for a volume without an origin.</summary>
    Task<bool> SetOfflineAsync(bool offline);

    /// <summary>The files this mount holds locks on, with every lock the origin has on them (none for a local volume).</summary>
    Task<IReadOnlyList<Protocol.HeldLocks>> HeldLocksAsync(CancellationToken cancellationToken);
}
