using CacheFs.Origin.Http;
using CacheFs.Origin.Sessions;
using CacheFs.Protocol;

namespace CacheFs.Origin.Locks;

/// <summary>
/// The lock table behind one monitor, with waiting. Locks live in memory: they belong to sessions, and sessions end
/// with the origin process (a client finds its session gone after a restart, so it knows its locks are gone too, as
/// after NFS server reboot without a grace period). A waiter sleeps on its node's signal, which every release sets,
/// for at most the long-poll limit; then the client asks again.
/// </summary>
internal sealed class LockService(TimeProvider time, TimeSpan waitLimit)
{
    private readonly Lock _sync = new();
    private readonly LockTable _table = new();
    private readonly Dictionary<long, TaskCompletionSource> _signals = [];

    public async Task<LockResult> LockAsync(Session session, long node, LockRequest request, CancellationToken cancel)
    {
        var (start, end) = Range(request);
        var owner = new LockOwner(session.Id, request.Owner);
        var deadline = time.GetUtcNow() + waitLimit;
        while (true)
        {
            Task signal;
            lock (_sync)
            {
                if (session.Ended)
                    throw new OriginException(ErrorCode.SessionExpired, "The session has ended; its locks are gone");
                if (request.Test)
                {
                    var found = _table.Conflict(node, request.Family, owner, request.Type, start, end);
                    return new LockResult(found is null, found?.Describe());
                }

                var conflict = _table.Set(node, request.Family, owner, request.Type, start, end, request.Pid, session.ClientName);
                if (conflict is null)
                {
                    if (request.Type == LockType.Unlock || request.Type == LockType.Read)
                        WakeLocked(node);
                    return new LockResult(true, null);
                }

                if (!request.Wait)
                    return new LockResult(false, conflict.Describe());
                signal = SignalLocked(node);
                var remaining = deadline - time.GetUtcNow();
                if (remaining <= TimeSpan.Zero)
                    throw new OriginException(ErrorCode.LockConflict, $"The lock is still held by {conflict.ClientName} (pid {conflict.Pid}); ask again") { Holder = conflict.ClientName };
            }

            try
            {
                await signal.WaitAsync(deadline - time.GetUtcNow() is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero, time, cancel);
            }
            catch (TimeoutException)
            {
                // Loop once more: either the lock is free now, or the refusal names the holder.
            }
        }
    }

    public bool ReleaseOwner(Session session, long node, string owner, LockFamily family)
    {
        lock (_sync)
        {
            var released = _table.ReleaseOwner(node, family, new LockOwner(session.Id, owner));
            if (released)
                WakeLocked(node);
            return released;
        }
    }

    /// <summary>Ends a session's locking: its locks go, its waiters fail, and nobody can lock for it again.</summary>
    public void ReleaseSession(Session session)
    {
        lock (_sync)
        {
            session.Ended = true;
            foreach (var node in _table.ReleaseSession(session.Id))
                WakeLocked(node);
        }
    }

    /// <summary>An admin frees a file: every lock on it goes, and its waiters try again.</summary>
    public List<(LockFamily Family, HeldLock Lock)> Break(long node)
    {
        lock (_sync)
        {
            var broken = _table.ReleaseNode(node);
            WakeLocked(node);
            return broken;
        }
    }

    public IReadOnlyList<HeldLock> Held(long node, LockFamily family)
    {
        lock (_sync)
            return [.. _table.Held(node, family)];
    }

    private static (long Start, long End) Range(LockRequest request)
    {
        if (request.Start < 0 || request.Length < 0)
            throw OriginException.Invalid("A lock's start and length must not be negative");
        if (request.Length == 0)
            return (request.Start, HeldLock.Infinity);
        if (request.Start > HeldLock.Infinity - request.Length)
            throw OriginException.Invalid("The lock's range runs past the largest file offset");
        return (request.Start, request.Start + request.Length);
    }

    private Task SignalLocked(long node)
    {
        if (!_signals.TryGetValue(node, out var signal))
            _signals[node] = signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return signal.Task;
    }

    private void WakeLocked(long node)
    {
        if (_signals.Remove(node, out var signal))
            signal.TrySetResult();
    }
}
