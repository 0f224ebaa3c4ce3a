using System.Collections.Concurrent;
using CacheFs.Protocol;
using CacheFs.Remote;
using CacheFs.Sync.Origin;
using CacheFs.Volume;
using Serilog;

namespace CacheFs.Sync.Engine;

/// <summary>
/// Write leases of this mount. The first write-open of a file the origin knows takes one; if another client holds it,
/// the origin asks that client to give it back and the open waits up to <see cref="SyncOptions.LeaseBreakWait"/> for it
/// before failing with <see cref="FsStatus.Busy"/>. A lease is kept while something of the file is unsent (fencing would
/// refuse it without) and while a writer has the file open, unless another client asked for it: then only unsent
/// changes keep it, and the writers here take it again at their next write. This is what lets two machines share one
/// file under byte-range locks (a database): each unlock sends what was written, so the lease moves to whoever writes.
/// Offline, writes go on without a lease and the outbox settles any clash on reconnect.
/// </summary>
internal sealed class LeaseManager(CacheVolume volume, OriginClient client, SessionKeeper sessions, SyncOptions options, ILogger log, TimeProvider time) : IWriteLeases
{
    private readonly ConcurrentDictionary<long, HeldLease> _held = new();

    // Releases on their way to the origin, by node. A request for the same node waits for its release first: the origin
    // grants a session the lease it already holds again, so a request overtaking the release would get the very lease
    // the release then ends, and the next upload would be refused as fenced (a stale epoch).
    private readonly ConcurrentDictionary<long, Task> _releasing = new();

    public FsStatus AcquireForWrite(long nodeId) => Acquire(nodeId, writing: true, trustOthers: false);

    public FsStatus AcquireForRemoval(long nodeId) => Acquire(nodeId, writing: false, trustOthers: true);

    public FsStatus AcquireForReplacement(long nodeId) => Acquire(nodeId, writing: false, trustOthers: false);

    public void WritersClosed(long nodeId)
    {
        if (!_held.TryGetValue(nodeId, out var lease))
            return;
        lock (lease)
            lease.Writing = false;

        // With an upload queued, the replay gives the lease back once it is through; with nothing to send, now.
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

    /// <summary>
    /// Gives the node's lease back if nothing keeps it: unsent changes always do, an open writer does unless another
    /// client asked. <paramref name="force"/> gives it back whatever is pending (after a conflict copy).
    /// </summary>
    public async Task SettledAsync(long nodeId, bool force, CancellationToken ct)
    {
        if (!_held.TryGetValue(nodeId, out var lease))
            return;
        if (!force && volume.HasUnsentChanges(nodeId))
            return;

        // Released under the lease's own lock: an open for writing racing this either keeps the lease (and this
        // returns) or finds it released and asks the origin for a new one; it never writes under a lease given back.
        bool writersOpen;
        lock (lease)
        {
            if (lease.Released || (!force && lease.Writing && !lease.BreakRequested))
                return;
            lease.Released = true;
            writersOpen = lease.Writing;
        }

        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var previous = _releasing.TryGetValue(nodeId, out var earlier) ? earlier : Task.CompletedTask;
        _releasing[nodeId] = released.Task;
        _held.TryRemove(KeyValuePair.Create(nodeId, lease));
        if (writersOpen)
            volume.LeaseGivenBack(nodeId);
        try
        {
            await previous.ConfigureAwait(false);
            await client.ReleaseLeaseAsync(lease.Grant.LeaseId, ct).ConfigureAwait(false);
            log.Debug("Released the write lease on node {NodeId}", nodeId);
        }
        catch (Exception e) when (e is OriginException or OriginUnavailableException or OperationCanceledException)
        {
            log.Debug("Releasing the lease on node {NodeId}: {Reason}", nodeId, e.Message);
        }
        finally
        {
            _releasing.TryRemove(KeyValuePair.Create(nodeId, released.Task));
            released.SetResult();
        }
    }

    /// <summary>Another client wants the file: give the lease back now if nothing is unsent, else once it is.</summary>
    public Task BreakAsync(LeaseBreak request, CancellationToken ct)
    {
        var entry = _held.FirstOrDefault(h => h.Value.Grant.LeaseId == request.LeaseId);
        if (entry.Value is null)
            return Task.CompletedTask;
        log.Information("{Client} asks for /{Path}; the lease goes back once local changes are uploaded", request.RequestedBy, request.Path);
        entry.Value.BreakRequested = true;
        return SettledAsync(entry.Key, force: false, ct);
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

    /// <summary>The write leases other clients hold, as the event stream tells.</summary>
    public OthersLeases Others { get; } = new();

    /// <summary>
    /// Takes the node's lease unless this mount holds it. With <paramref name="trustOthers"/> (a delete) none is taken
    /// when the stream says no one else holds the file: no round trip per delete. The origin still refuses the removal
    /// while anyone holds it, and a version written under their lease makes the removal a clash that keeps it.
    /// </summary>
    private FsStatus Acquire(long nodeId, bool writing, bool trustOthers)
    {
        if (_held.TryGetValue(nodeId, out var held) && held.TryUse(writing))
            return FsStatus.Ok;
        var originId = volume.GetAttributes(nodeId).TryGet(out var node) ? node.OriginId : 0;
        if (trustOthers && Others.KnownFree(originId))
            return FsStatus.Ok;
        var status = AcquireAsync(nodeId, writing).GetAwaiter().GetResult();
        if (status == FsStatus.Busy && originId != 0)
            Others.Taken(originId);
        return status;
    }

    private async Task<FsStatus> AcquireAsync(long nodeId, bool writing)
    {
        // The origin sent the holder a break with its refusal; a holder with nothing unsent gives the lease back within
        // a round trip or two, so ask again a few times before calling the file busy.
        var deadline = time.GetUtcNow() + options.LeaseBreakWait;
        var pause = TimeSpan.FromMilliseconds(10);
        while (true)
        {
            try
            {
                var grant = await RequestAsync(nodeId, path: null, CancellationToken.None).ConfigureAwait(false);
                if (grant is not null)
                    _held[nodeId] = new HeldLease(grant) { Writing = writing };
                return FsStatus.Ok;
            }
            catch (OriginException e) when (e.Code == ErrorCode.LeaseConflict)
            {
                if (time.GetUtcNow() + pause >= deadline)
                {
                    log.Warning("/{Path} is being changed by {Holder}; it stays read-only here until they are done", volume.PathOf(nodeId), e.Problem.Holder ?? "another client");
                    return FsStatus.Busy;
                }
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

            await Task.Delay(pause, time).ConfigureAwait(false);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromMilliseconds(200).Ticks));
        }
    }

    /// <summary>
    /// Asks the origin for a write lease on the node, under <paramref name="path"/> or else its local path; null when the
    /// origin cannot be reached (offline: no lease needed).
    /// </summary>
    private async Task<LeaseGrant?> RequestAsync(long nodeId, string? path, CancellationToken ct)
    {
        if (_releasing.TryGetValue(nodeId, out var release))
            await release.WaitAsync(ct).ConfigureAwait(false);
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
