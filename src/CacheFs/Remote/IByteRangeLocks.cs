namespace CacheFs.Remote;

/// <summary>
/// Byte-range and whole-file locks kept by the origin, so programs on different machines see each other's locks
/// (fcntl and flock on Linux, LockFileEx on Windows). A host asks for them only when the volume has them; a local
/// volume leaves locking to the OS. Taking a lock brings the node up to date with the origin before it answers, and
/// letting one go first sends what was written under it: the next holder reads those bytes (NFS's lock coherence).
/// </summary>
public interface IByteRangeLocks
{
    /// <summary>Sets, or with <see cref="RangeLock.Test"/> tests, a lock. A conflict is <see cref="FsStatus.WouldBlock"/> unless <paramref name="wait"/>.</summary>
    ValueTask<LockOutcome> LockAsync(long nodeId, RangeLock request, bool wait, CancellationToken cancellationToken);

    /// <summary>Whether the owner may hold locks on the node: only then must its close release them (one round trip).</summary>
    bool MayHold(long nodeId, LockSpace space, ulong owner);

    /// <summary>Lets go of every lock <paramref name="owner"/> holds on the node (a POSIX owner's close, a flock file's last close).</summary>
    ValueTask<FsStatus> ReleaseOwnerAsync(long nodeId, LockSpace space, ulong owner, CancellationToken cancellationToken);
}

/// <summary>fcntl record locks and flock whole-file locks are separate spaces, as on Linux.</summary>
public enum LockSpace
{
    Posix,
    Flock,
}

public enum RangeLockType
{
    Read,
    Write,
    Unlock,
}

/// <summary>
/// One lock request: [Start, Start + Length), Length 0 meaning "to the end of the file and beyond". <see cref="Owner"/> is
/// the OS's lock owner (a process's POSIX owner, or the open file for flock and OFD locks).
/// </summary>
public readonly record struct RangeLock(LockSpace Space, RangeLockType Type, long Start, long Length, ulong Owner)
{
    public int Pid { get; init; }

    /// <summary>F_GETLK: report the first conflicting lock instead of taking one.</summary>
    public bool Test { get; init; }
}

/// <summary>A lock in the way, as F_GETLK reports it; <see cref="Pid"/> is 0 when its holder is on another machine.</summary>
public readonly record struct LockConflict(RangeLockType Type, long Start, long Length, int Pid, string Holder);

/// <summary>The answer: <see cref="FsStatus.Ok"/> (granted, or for a test: nothing in the way unless <see cref="Conflict"/>).</summary>
public readonly record struct LockOutcome(FsStatus Status, LockConflict? Conflict = null);
