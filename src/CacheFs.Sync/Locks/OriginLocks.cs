using System.Collections.Concurrent;
using System.Globalization;
using CacheFs.Protocol;
using CacheFs.Remote;
using CacheFs.Sync.Engine;
using CacheFs.Sync.Origin;
using CacheFs.Volume;
using Serilog;

namespace CacheFs.Sync.Locks;

/// <summary>
/// fcntl and flock locks kept by the origin, with the coherence a lock promises: before a lock is let go (an unlock, a
/// downgrade to shared, the owner's close) everything written here is sent, and once a lock is granted this mount
/// applies every change the origin had at the grant before the caller reads under it. Two machines running SQLite on
/// one database thus see each other's commits, as on NFS.
/// </summary>
/// <remarks>
/// Offline there is no one to agree with: locking fails with <see cref="FsStatus.NoLocks"/> (ENOLCK, as NFS without its
/// lock manager) rather than granting a lock another machine would not see.
/// </remarks>
internal sealed class OriginLocks(
    CacheVolume volume,
    OriginClient client,
    SessionKeeper sessions,
    OutboxReplayer outbox,
    EventListener events,
    string clientName,
    ILogger log,
    TimeProvider time) : IByteRangeLocks
{
    /// <summary>How long a flush before an unlock, or the catch-up after a grant, may take before the lock call gives up on it.</summary>
    private static readonly TimeSpan CoherenceLimit = TimeSpan.FromSeconds(30);

    /// <summary>Owners that asked for a lock on a node and have not released all of them on close (their close must).</summary>
    private readonly ConcurrentDictionary<(long Node, LockSpace Space, ulong Owner), byte> _owners = new();

    /// <summary>How many owners on this mount may hold locks on the origin.</summary>
    public int Owners => _owners.Count;

    /// <summary>The files this mount's owners asked locks on, with every lock the origin holds on each (anyone's).</summary>
    public async Task<IReadOnlyList<HeldLocks>> HeldAsync(CancellationToken ct)
    {
        var held = new List<HeldLocks>();
        foreach (var node in _owners.Keys.Select(k => k.Node).Distinct())
        {
            if (volume.PathOf(node) is { } path)
                held.Add(await client.HeldLocksAsync(path, ct).ConfigureAwait(false));
        }

        return held;
    }

    public bool MayHold(long nodeId, LockSpace space, ulong owner) => !_owners.IsEmpty && _owners.ContainsKey((nodeId, space, owner));

    public async ValueTask<LockOutcome> LockAsync(long nodeId, RangeLock request, bool wait, CancellationToken cancellationToken)
    {
        try
        {
            var mayHold = MayHold(nodeId, request.Space, request.Owner);
            if (request.Type == RangeLockType.Unlock && !await TrySendWrittenAsync(nodeId, cancellationToken).ConfigureAwait(false))
                return new LockOutcome(FsStatus.Ok);

            // A shared lock asked by an owner that may hold an exclusive one can be a downgrade: that lets go too.
            if (request.Type == RangeLockType.Read && !request.Test && mayHold)
                await SendWrittenAsync(nodeId, cancellationToken).ConfigureAwait(false);
            else if (request.Type != RangeLockType.Unlock && volume.HasQueuedChanges(nodeId))
                await SendQueuedAsync(cancellationToken).ConfigureAwait(false); // the origin must know the file (and by its name here)
            if (await sessions.EnsureAsync(cancellationToken).ConfigureAwait(false) is not { } session || volume.PathOf(nodeId) is not { } path)
                return Unavailable(nodeId, "the origin cannot be reached");
            if (!request.Test)
                _owners.TryAdd((nodeId, request.Space, request.Owner), 0);

            var asked = new LockRequest(session.SessionId, path, OwnerName(request.Space, request.Owner), Family(request.Space), Type(request.Type), request.Start, request.Length)
            {
                Wait = wait,
                Test = request.Test,
                Pid = request.Pid,
            };
            var result = await AskAsync(asked, cancellationToken).ConfigureAwait(false);
            if (!result.Granted)
                return new LockOutcome(request.Test ? FsStatus.Ok : FsStatus.WouldBlock, Describe(result.Conflict));
            if (request.Type != RangeLockType.Unlock && !request.Test)
                await CatchUpAsync(path, result.Cursor, cancellationToken).ConfigureAwait(false);
            return new LockOutcome(FsStatus.Ok);
        }
        catch (OperationCanceledException)
        {
            return new LockOutcome(FsStatus.Interrupted);
        }
        catch (OriginUnavailableException e)
        {
            return Unavailable(nodeId, e.Message);
        }
        catch (OriginException e)
        {
            return Unavailable(nodeId, e.Message);
        }
    }

    public async ValueTask<FsStatus> ReleaseOwnerAsync(long nodeId, LockSpace space, ulong owner, CancellationToken cancellationToken)
    {
        if (!_owners.TryRemove((nodeId, space, owner), out _))
            return FsStatus.Ok;
        try
        {
            await SendWrittenAsync(nodeId, cancellationToken).ConfigureAwait(false);
            if (await sessions.EnsureAsync(cancellationToken).ConfigureAwait(false) is not { } session || volume.PathOf(nodeId) is not { } path)
                return FsStatus.Ok; // No session: the origin dropped its locks with it.
            await client.ReleaseLockOwnerAsync(new LockOwnerRequest(session.SessionId, path, OwnerName(space, owner), Family(space)), cancellationToken).ConfigureAwait(false);
            return FsStatus.Ok;
        }
        catch (Exception e) when (e is OriginException or OriginUnavailableException or OperationCanceledException)
        {
            // The locks end with the session at the latest; the close itself must not fail for it.
            log.Warning("Could not release the locks of /{Path} on the origin: {Reason}", volume.PathOf(nodeId), e.Message);
            return FsStatus.Ok;
        }
    }

    /// <summary>A waiting request long-polls; the origin answers "still held" at its limit, and the wait goes on.</summary>
    private async Task<LockResult> AskAsync(LockRequest request, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                return await client.LockAsync(request, ct).ConfigureAwait(false);
            }
            catch (OriginException e) when (e.Code == ErrorCode.LockConflict && request.Wait)
            {
                ct.ThrowIfCancellationRequested();
            }
        }
    }

    /// <summary>
    /// An unlock whose writes cannot be sent now is not sent either: letting the lock go would let another machine read
    /// without them. The lock then stays held on the origin until the owner's close sends both, or the session ends
    /// (a lost client's locks go with it, and its bytes reconcile later). The unlock itself succeeds here.
    /// </summary>
    private async Task<bool> TrySendWrittenAsync(long nodeId, CancellationToken ct)
    {
        try
        {
            await SendWrittenAsync(nodeId, ct).ConfigureAwait(false);
            return true;
        }
        catch (OriginUnavailableException e)
        {
            log.Warning("The lock on /{Path} stays held on the origin until what was written under it is sent: {Reason}", volume.PathOf(nodeId), e.Message);
            return false;
        }
    }

    /// <summary>Queues the node's unsent bytes and waits until everything queued so far has reached the origin.</summary>
    private async Task SendWrittenAsync(long nodeId, CancellationToken ct)
    {
        var queued = volume.QueueUpload(nodeId);
        if (queued != FsStatus.Ok)
            log.Warning("Could not queue the upload of /{Path} before an unlock: {Status}", volume.PathOf(nodeId), queued);
        await SendQueuedAsync(ct).ConfigureAwait(false);
    }

    private async Task SendQueuedAsync(CancellationToken ct)
    {
        var tail = volume.OutboxTail;
        if (tail == 0)
            return;
        if (!client.Resilience.IsOnline)
            throw new OriginUnavailableException("the origin is unreachable (offline)");
        outbox.Signal();
        if (!await outbox.Sent.WaitUntilAsync(() => volume.OutboxSentThrough(tail), CoherenceLimit, time, ct).ConfigureAwait(false))
            throw new OriginUnavailableException($"the changes made here did not reach the origin within {CoherenceLimit.TotalSeconds:0} s");
    }

    private async Task CatchUpAsync(string path, long cursor, CancellationToken ct)
    {
        if (!await events.Applied.WaitUntilAsync(() => events.Cursor >= cursor, CoherenceLimit, time, ct).ConfigureAwait(false))
            log.Warning("Locked /{Path} without having caught up with the origin's change {Cursor} (at {Applied})", path, cursor, events.Cursor);
    }

    private LockOutcome Unavailable(long nodeId, string reason)
    {
        log.Warning("No lock on /{Path}: {Reason}", volume.PathOf(nodeId), reason);
        return new LockOutcome(FsStatus.NoLocks);
    }

    private LockConflict? Describe(LockDescription? held) =>
        held is null
            ? null
            : new LockConflict(
                held.Type == LockType.Read ? RangeLockType.Read : RangeLockType.Write,
                held.Start,
                held.Length,
                held.ClientName == clientName ? held.Pid : 0,
                held.ClientName);

    private static string OwnerName(LockSpace space, ulong owner) =>
        (space == LockSpace.Posix ? "p" : "f") + owner.ToString("x", CultureInfo.InvariantCulture);

    private static LockFamily Family(LockSpace space) => space == LockSpace.Posix ? LockFamily.Posix : LockFamily.Flock;

    private static LockType Type(RangeLockType type) => type switch
    {
        RangeLockType.Read => LockType.Read,
        RangeLockType.Write => LockType.Write,
        _ => LockType.Unlock,
    };
}
