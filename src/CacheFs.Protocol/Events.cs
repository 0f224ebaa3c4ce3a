namespace CacheFs.Protocol;

/// <summary>What an event carries.</summary>
public enum EventType
{
    /// <summary>A change log record (the event id is its cursor, so a reconnect resumes after it).</summary>
    Change = 1,

    /// <summary>The session is asked to upload what is dirty under a lease and release it.</summary>
    LeaseBreak = 2,

    /// <summary>A lease of the session's was dropped by the origin (expired); the client must not assume it.</summary>
    LeaseRevoked = 3,

    /// <summary>Sent every few seconds so both sides notice a dead connection.</summary>
    KeepAlive = 4,
}

/// <summary>One server-sent event on a session's stream; exactly the member its <see cref="Type"/> names is set.</summary>
public sealed record OriginEvent(EventType Type)
{
    public ChangeRecord? Change { get; init; }
    public LeaseBreak? Break { get; init; }
}
