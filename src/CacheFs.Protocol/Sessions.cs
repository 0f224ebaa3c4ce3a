namespace CacheFs.Protocol;

/// <summary>Opens a client session: the unit that owns leases and locks and receives events.</summary>
public sealed record OpenSessionRequest(string ClientName);

/// <summary>
/// A live session. It lasts <see cref="TtlMs"/> past its last heartbeat; when it lapses, the origin drops its leases
/// and locks and tells the other sessions. <see cref="Cursor"/> is the change log's head when the session opened.
/// </summary>
public sealed record SessionInfo(string SessionId, string ClientName, long TtlMs, long Cursor);

/// <summary>Read leases are shared; a write lease is exclusive.</summary>
public enum LeaseMode
{
    Read = 1,
    Write = 2,
}

/// <summary>Asks for a lease on one file for a session.</summary>
public sealed record LeaseRequest(string SessionId, string Path, LeaseMode Mode);

/// <summary>
/// A granted lease. <see cref="Epoch"/> is origin-wide and rises with every write lease granted; a mutation of the
/// file must carry the epoch of the write lease its session holds now, so a client that froze past its TTL is fenced
/// off. <see cref="Version"/> is the file's version at the grant.
/// </summary>
public sealed record LeaseGrant(string LeaseId, long NodeId, LeaseMode Mode, long Epoch, long TtlMs, long Version);

/// <summary>Why a holder is asked to give a lease back.</summary>
public sealed record LeaseBreak(string LeaseId, long NodeId, string Path, string RequestedBy);
