using System.Runtime.InteropServices;
using CacheFs.Hosts.Fuse.Native;
using CacheFs.Remote;

namespace CacheFs.Hosts.Fuse;

/// <summary>
/// getlk, setlk and flock, registered only when the volume's locks live on the origin (<see cref="ForwardsLocks"/>).
/// Each is a round trip, and a waiting one (F_SETLKW, flock without LOCK_NB) may wait as long as the holder keeps the
/// lock: all are answered from a continuation so no worker is held, and a signal to the waiting process (the kernel's
/// INTERRUPT) cancels the wait and answers EINTR. The kernel hands a POSIX owner's release at close to flush, and a
/// flock file's to its last release; both let go of the owner's locks on the origin.
/// </summary>
internal sealed unsafe partial class FuseHost
{
    private const int LOCK_SH = 1;
    private const int LOCK_EX = 2;
    private const int LOCK_NB = 4;

    [UnmanagedCallersOnly]
    private static void OnGetlk(nint request, ulong inode, FuseFileInfo* fi, Flock* lockInfo)
    {
        try
        {
            Finish(request, Of(request).Getlk(request, inode, fi->LockOwner, *lockInfo));
        }
        catch (Exception e)
        {
            Crashed(request, e);
        }
    }

    [UnmanagedCallersOnly]
    private static void OnSetlk(nint request, ulong inode, FuseFileInfo* fi, Flock* lockInfo, int sleep)
    {
        try
        {
            var wanted = RangeOf(LockSpace.Posix, *lockInfo, fi->LockOwner);
            Finish(request, wanted is { } asked ? Of(request).SetLock(request, inode, asked, wait: sleep != 0) : Errno.EINVAL);
        }
        catch (Exception e)
        {
            Crashed(request, e);
        }
    }

    [UnmanagedCallersOnly]
    private static void OnFlock(nint request, ulong inode, FuseFileInfo* fi, int operation)
    {
        try
        {
            var type = (operation & ~LOCK_NB) switch
            {
                LOCK_SH => RangeLockType.Read,
                LOCK_EX => RangeLockType.Write,
                _ => RangeLockType.Unlock,
            };
            var asked = new RangeLock(LockSpace.Flock, type, 0, 0, fi->LockOwner) { Pid = LibFuse.RequestContext(request)->Pid };
            Finish(request, Of(request).SetLock(request, inode, asked, wait: (operation & LOCK_NB) == 0));
        }
        catch (Exception e)
        {
            Crashed(request, e);
        }
    }

    /// <summary>
    /// The kernel interrupted a lock request (a signal to its process: a GC suspension of a .NET program is one): its
    /// wait is cancelled (data is the wait's GCHandle). libfuse calls this holding the request's lock, which the answer
    /// takes to unregister this callback, so the cancellation runs on the thread pool: run here, a continuation could
    /// answer inline and wait for that lock on this very thread.
    /// </summary>
    [UnmanagedCallersOnly]
    private static void OnInterrupt(nint request, nint data)
    {
        try
        {
            var wait = (CancellationTokenSource)GCHandle.FromIntPtr(data).Target!;
            ThreadPool.UnsafeQueueUserWorkItem(static wait => CancelQuietly(wait), wait, preferLocal: false);
        }
        catch (Exception e)
        {
            LogCrash(request, e, nameof(OnInterrupt));
        }
    }

    private static void CancelQuietly(CancellationTokenSource wait)
    {
        try
        {
            wait.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Answered meanwhile.
        }
    }

    private int Getlk(nint request, ulong inode, ulong owner, Flock asked)
    {
        if (_volume.Locks is not { } locks)
            return Errno.ENOLCK;
        if (RangeOf(LockSpace.Posix, asked, owner) is not { } range)
            return Errno.EINVAL;
        var pending = locks.LockAsync((long)inode, range with { Test = true }, wait: false, _asyncReplies.Stopping);
        _asyncReplies.AnswerLater(pending, (outcome, error) => Finish(request, AnswerGetlk(request, outcome, error, asked)));
        return Replied;
    }

    private int SetLock(nint request, ulong inode, RangeLock asked, bool wait)
    {
        if (_volume.Locks is not { } locks)
            return Errno.ENOLCK;
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(_asyncReplies.Stopping);
        var handle = GCHandle.Alloc(cancel);
        LibFuse.RequestInterruptFunction(request, &OnInterrupt, GCHandle.ToIntPtr(handle));
        var pending = locks.LockAsync((long)inode, asked, wait, cancel.Token);
        _asyncReplies.AnswerLater(pending, (outcome, error) =>
        {
            // Unregistered before the answer frees the request; after this no interrupt can reach the handle.
            LibFuse.RequestInterruptFunction(request, null, 0);
            handle.Free();
            cancel.Dispose();
            Finish(request, LockErrno(outcome, error));
        });
        return Replied;
    }

    /// <summary>close(2) of a POSIX owner: its locks on the file go, after what it wrote was sent (flush's errno stands).</summary>
    private int Flush(nint request, ulong inode, FuseFileInfo* fi)
    {
        var status = Errno.Of(_volume.Flush(fi->Handle));
        if (_volume.Locks is not { } locks || !locks.MayHold((long)inode, LockSpace.Posix, fi->LockOwner))
            return status;
        var pending = locks.ReleaseOwnerAsync((long)inode, LockSpace.Posix, fi->LockOwner, _asyncReplies.Stopping);
        _asyncReplies.AnswerLater(pending, (_, _) => Finish(request, status));
        return Replied;
    }

    /// <summary>The last close of a file that took flock locks lets go of them too.</summary>
    private int ReleaseFlocks(nint request, ulong inode, ulong owner, int status)
    {
        if (_volume.Locks is not { } locks || !locks.MayHold((long)inode, LockSpace.Flock, owner))
            return status;
        var pending = locks.ReleaseOwnerAsync((long)inode, LockSpace.Flock, owner, _asyncReplies.Stopping);
        _asyncReplies.AnswerLater(pending, (_, _) => Finish(request, status));
        return Replied;
    }

    private int AnswerGetlk(nint request, LockOutcome outcome, Exception? error, Flock asked)
    {
        if (error is not null || outcome.Status != FsStatus.Ok)
            return LockErrno(outcome, error);
        var answer = asked;
        if (outcome.Conflict is { } held)
        {
            answer.Type = held.Type == RangeLockType.Read ? Flock.F_RDLCK : Flock.F_WRLCK;
            answer.Start = held.Start;
            answer.Length = held.Length;
            answer.Pid = held.Pid;
        }
        else
        {
            answer.Type = Flock.F_UNLCK;
        }

        _ = LibFuse.ReplyLock(request, &answer);
        return Replied;
    }

    private int LockErrno(LockOutcome outcome, Exception? error)
    {
        if (error is OperationCanceledException)
            return Errno.EINTR;
        if (error is not null)
        {
            LogLockCrash(error);
            return Errno.EIO;
        }

        return Errno.Of(outcome.Status);
    }

    private void LogLockCrash(Exception error)
    {
        try
        {
            _log.Error(error, "A lock request failed; answering EIO");
        }
        catch (Exception)
        {
            // Logging must not keep the request from its answer.
        }
    }

    /// <summary>null for a type the kernel never sends or a range that runs below 0.</summary>
    private static RangeLock? RangeOf(LockSpace space, Flock asked, ulong owner)
    {
        RangeLockType? type = asked.Type switch
        {
            Flock.F_RDLCK => RangeLockType.Read,
            Flock.F_WRLCK => RangeLockType.Write,
            Flock.F_UNLCK => RangeLockType.Unlock,
            _ => null,
        };
        if (type is null || asked.Start < 0 || asked.Length < 0)
            return null;
        return new RangeLock(space, type.Value, asked.Start, asked.Length, owner) { Pid = asked.Pid };
    }
}
