using CacheFs.Protocol;

namespace CacheFs.Origin.Locks;

/// <summary>Who owns a lock: the client's owner name (a POSIX lock owner, or a flock open file) within its session.</summary>
internal readonly record struct LockOwner(string SessionId, string Owner);

/// <summary>One held lock on the half-open byte range [<see cref="Start"/>, <see cref="End"/>); flock locks cover everything.</summary>
internal sealed record HeldLock(LockOwner Owner, LockType Type, long Start, long End, int Pid, string ClientName)
{
    /// <summary>The end of a lock that runs to the end of the file and beyond.</summary>
    public const long Infinity = long.MaxValue;

    public bool Overlaps(long start, long end) => Start < end && start < End;

    public bool ConflictsWith(LockOwner owner, LockType type, long start, long end) =>
        Owner != owner && Overlaps(start, end) && (type == LockType.Write || Type == LockType.Write);

    public LockDescription Describe() => new(Type, Start, End == Infinity ? 0 : End - Start, Pid, ClientName);
}
