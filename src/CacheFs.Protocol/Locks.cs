namespace CacheFs.Protocol;

/// <summary>fcntl record locks and flock whole-file locks live in separate spaces, as on Linux.</summary>
public enum LockFamily
{
    Posix = 1,
    Flock = 2,
}

/// <summary>What a lock request wants.</summary>
public enum LockType
{
    Read = 1,
    Write = 2,
    Unlock = 3,
}

/// <summary>
/// Takes, tests or releases a lock. <see cref="Owner"/> is the client's own name for the lock owner (the kernel's
/// lock owner for POSIX locks, the open file for flock), unique within the session. <see cref="Length"/> 0 means
/// "to the end of the file and beyond". <see cref="Wait"/> asks the origin to wait up to its long-poll limit for a
/// conflicting lock to go (the client repeats until granted or interrupted); <see cref="Test"/> is F_GETLK.
/// </summary>
public sealed record LockRequest(string SessionId, string Path, string Owner, LockFamily Family, LockType Type, long Start, long Length)
{
    public bool Wait { get; init; }
    public bool Test { get; init; }
    public int Pid { get; init; }
}

/// <summary>One held lock as reported to a tester or a refused requester.</summary>
public sealed record LockDescription(LockType Type, long Start, long Length, int Pid, string ClientName);

/// <summary>
/// The answer to a <see cref="LockRequest"/>: granted, or refused because of <see cref="Conflict"/>. <see cref="Cursor"/>
/// is the origin's newest change at the answer: a client that takes a lock catches up to it before it reads under the
/// lock, so it sees everything the previous holder sent before letting go.
/// </summary>
public sealed record LockResult(bool Granted, LockDescription? Conflict)
{
    public long Cursor { get; init; }
}

/// <summary>Every lock held on one file; <see cref="LockDescription.ClientName"/> says whose.</summary>
public sealed record HeldLocks(string Path, IReadOnlyList<HeldLockInfo> Locks);

/// <summary>One held lock as the admin sees it.</summary>
public sealed record HeldLockInfo(LockFamily Family, LockDescription Lock);

/// <summary>Frees every lock on <see cref="Path"/> whoever holds it; their waiters are woken.</summary>
public sealed record BreakLocksRequest(string Path);

/// <summary>Releases every lock of one owner on one file (a POSIX owner's close, or a flock open file's last close).</summary>
public sealed record LockOwnerRequest(string SessionId, string Path, string Owner, LockFamily Family);
