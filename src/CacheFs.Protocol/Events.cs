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

    /// <summary>
    /// First on every stream once it is attached: <see cref="OriginEvent.Leased"/> lists every node another session holds
    /// a write lease on. The <see cref="LeaseTaken"/> and <see cref="LeaseEnded"/> events that follow keep that list.
    /// </summary>
    LeasesHeld = 5,

    /// <summary>Another session took a write lease on the node <see cref="OriginEvent.Leased"/> names.</summary>
    LeaseTaken = 6,

    /// <summary>The write lease another session held on the node <see cref="OriginEvent.Leased"/> names ended.</summary>
    LeaseEnded = 7,
}

/// <summary>One server-sent event on a session's stream; exactly the member its <see cref="Type"/> names is set.</summary>
public sealed record OriginEvent(EventType Type)
{
    public ChangeRecord? Change { get; init; }
    public LeaseBreak? Break { get; init; }

    /// <summary>Origin node ids: every one others hold leased (<see cref="EventType.LeasesHeld"/>), or the one that changed.</summary>
    public IReadOnlyList<long>? Leased { get; init; }
}
