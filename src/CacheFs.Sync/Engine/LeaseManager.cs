using System.Collections.Concurrent;
using CacheFs.Protocol;
using CacheFs.Remote;
using CacheFs.Sync.Origin;
using CacheFs.Volume;
using Serilog;

namespace CacheFs.Sync.Engine;

/// <summary>
/// Write leases of this mount. The first write-open of a file the origin knows takes one (another client's lease makes
/// the open fail with <see cref="FsStatus.Busy"/>); it is given back once the last writer closed and what it wrote has
/// reached the origin, or at once when another client asks and nothing is pending. Offline, writes go on without a
/// lease and the outbox settles any clash on reconnect.
/// </summary>
internal sealed class LeaseManager(CacheVolume volume, OriginClient client, SessionKeeper sessions, ILogger log) : IWriteLeases
{
    private readonly ConcurrentDictionary<long, HeldLease> _held = new();

    public FsStatus AcquireForWrite(long nodeId) => Acquire(nodeId, writing: true);

    public FsStatus AcquireForRemoval(long nodeId) => Acquire(nodeId, writing: false);

    public void WritersClosed(long nodeId)
    {
        if (!_held.TryGetValue(nodeId, out var lease))
            return;
        lock (lease)
            lease.Writing = false;

        // With an upload queued, the replay gives the lease back once it is through; with nothing to send, now.
        if (!volume.HasQueuedChanges(nodeId))
            _ = SettledAsync(nodeId, force: false, CancellationToken.None);
    }

    /// <summary>
    /// The epoch a mutation of the node must carry, taking the lease if this mount does not hold it. The lease is asked
    /// for under <paramref name="path"/>, the node's name on the origin as of the mutation: a later local rename has not
    /// reached the origin yet.
    /// </summary>
    public async Task<long?> EpochForAsync(long nodeId, string path, CancellationToken ct)
    {
        if (_held.TryGetValue(nodeId, out var lease) && lease.TryUse(writing: false))
            return lease.Grant.Epoch;
        var grant = await RequestAsync(nodeId, path, ct).ConfigureAwait(false);
        if (grant is null)
            return null;
        _held[nodeId] = new HeldLease(grant) { Writing = false };
        return grant.Epoch;
    }

    /// <summary>Nothing of the node waits any more: give its lease back unless a writer still has it open or a break is not asked.</summary>
    public async Task SettledAsync(long nodeId, bool force, CancellationToken ct)
    {
        if (!_held.TryGetValue(nodeId, out var lease))
            return;
        if (!force && !lease.BreakRequested && volume.HasQueuedChanges(nodeId))
            return;

        // Released under the lease's own lock: an open for writing racing this either keeps the lease (and this
        // returns) or finds it released and asks the origin for a new one; it never writes under a lease given back.
        lock (lease)
        {
            if (lease.Writing || lease.Released)
                return;
            lease.Released = true;
        }

        _held.TryRemove(KeyValuePair.Create(nodeId, lease));
        try
        {
            await client.ReleaseLeaseAsync(lease.Grant.LeaseId, ct).ConfigureAwait(false);
            log.Debug("Released the write lease on node {NodeId}", nodeId);
        }
        catch (Exception e) when (e is OriginException or OriginUnavailableException)
        {
            log.Debug("Releasing the lease on node {NodeId}: {Reason}", nodeId, e.Message);
        }
    }

    /// <summary>Another client wants the file: give the lease back now if nothing is pending, else once it is.</summary>
    public Task BreakAsync(LeaseBreak request, CancellationToken ct)
    {
        var entry = _held.FirstOrDefault(h => h.Value.Grant.LeaseId == request.LeaseId);
        if (entry.Value is null)
            return Task.CompletedTask;
        log.Information("{Client} asks for /{Path}; the lease goes back once local changes are uploaded", request.RequestedBy, request.Path);
        entry.Value.BreakRequested = true;
        var pending = entry.Value.Writing || volume.HasQueuedChanges(entry.Key);
        return pending ? Task.CompletedTask : SettledAsync(entry.Key, force: true, ct);
    }

    /// <summary>The origin dropped a lease (it expired): uploads must take a new one, and fencing decides if they may.</summary>
    public void Revoked(string leaseId)
    {
        foreach (var (node, lease) in _held)
        {
            if (lease.Grant.LeaseId == leaseId)
                _held.TryRemove(node, out _);
        }
    }

    /// <summary>A new session: every lease of the old one is gone.</summary>
    public void Forget() => _held.Clear();

    public int Count => _held.Count;

    public bool Holds(long nodeId) => _held.ContainsKey(nodeId);

    private FsStatus Acquire(long nodeId, bool writing)
    {
        if (_held.TryGetValue(nodeId, out var held) && held.TryUse(writing))
            return FsStatus.Ok;

        try
        {
            var grant = RequestAsync(nodeId, path: null, CancellationToken.None).GetAwaiter().GetResult();
            if (grant is not null)
                _held[nodeId] = new HeldLease(grant) { Writing = writing };
            return FsStatus.Ok;
        }
        catch (OriginException e) when (e.Code == ErrorCode.LeaseConflict)
        {
            log.Warning("/{Path} is being changed by {Holder}; it stays read-only here until they are done", volume.PathOf(nodeId), e.Problem.Holder ?? "another client");
            return FsStatus.Busy;
        }
        catch (OriginException e) when (e.Code == ErrorCode.NotFound)
        {
            // Gone on the origin; the change goes to the outbox like any other and the replay settles it.
            return FsStatus.Ok;
        }
        catch (OriginException e)
        {
            // The core asks for a status: no refusal may escape as an exception into it (and through it into a host).
            log.Warning("No lease for /{Path}: {Reason}", volume.PathOf(nodeId), e.Message);
            return FsStatus.IoError;
        }
    }

    /// <summary>
    /// Asks the origin for a write lease on the node, under <paramref name="path"/> or else its local path; null when the
    /// origin cannot be reached (offline: no lease needed).
    /// </summary>
    private async Task<LeaseGrant?> RequestAsync(long nodeId, string? path, CancellationToken ct)
    {
        path ??= volume.PathOf(nodeId);
        if (path is null || await sessions.EnsureAsync(ct).ConfigureAwait(false) is not { } session)
            return null;
        try
        {
            return await client.AcquireLeaseAsync(new LeaseRequest(session.SessionId, path, LeaseMode.Write), ct).ConfigureAwait(false);
        }
        catch (OriginUnavailableException e)
        {
            log.Warning("No lease for /{Path}: the origin is unreachable ({Reason}); the change will be reconciled later", path, e.Message);
            return null;
        }
        catch (OriginException e) when (e.Code == ErrorCode.SessionExpired)
        {
            // The origin restarted or our heartbeats lapsed; the heartbeat loop opens a new session. Meanwhile it is
            // as if offline: no lease, and the outbox settles any clash.
            log.Warning("No lease for /{Path}: the session {Session} lapsed; the change will be reconciled later", path, session.SessionId);
            return null;
        }
    }

    private sealed class HeldLease(LeaseGrant grant)
    {
        public LeaseGrant Grant { get; } = grant;

        public volatile bool Writing;

        public volatile bool BreakRequested;

        /// <summary>Given back to the origin (guarded by this object's lock); a released lease is never used again.</summary>
        public bool Released;

        /// <summary>Uses the lease for a write (or an upload) unless it was released meanwhile.</summary>
        public bool TryUse(bool writing)
        {
            lock (this)
            {
                if (Released)
                    return false;
                Writing |= writing;
                return true;
            }
        }
    }
}
