using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheFs.Sync.Control;

/// <summary>One request line to a mount's control endpoint.</summary>
public sealed record ControlRequest(string Command)
{
    /// <summary>For "sync": how long to wait for the outbox to empty before answering that it did not.</summary>
    public long? TimeoutMs { get; init; }

    /// <summary>For the cache commands: paths relative to the mount's root ("" is the root).</summary>
    public IReadOnlyList<string>? Paths { get; init; }

    /// <summary>For "evict": see <see cref="CacheFs.Eviction.EvictionRequest"/>.</summary>
    public long? TargetBytes { get; init; }
    public double? OlderThanSeconds { get; init; }
    public bool DryRun { get; init; }

    /// <summary>For "sync": start the uploads and answer at once.</summary>
    public bool NoWait { get; init; }

    /// <summary>For "resolve": mine, theirs or both.</summary>
    public string? Choice { get; init; }

    /// <summary>For "conflicts": settled ones too.</summary>
    public bool All { get; init; }
}

/// <summary>One answer line. <see cref="Ok"/> false comes with a <see cref="Message"/> a user can act on.</summary>
public sealed record ControlResponse(bool Ok, string Message)
{
    public MountStatus? Status { get; init; }

    /// <summary>Answers of the cache commands (one per command; see <see cref="CacheRequests"/>).</summary>
    public CacheFs.Eviction.EvictionReport? Eviction { get; init; }
    public IReadOnlyList<CacheFs.Eviction.PinReport>? Pins { get; init; }
    public IReadOnlyList<CacheFs.Eviction.FileState>? Files { get; init; }
    public CacheFs.Eviction.VerifyReport? Verify { get; init; }

    /// <summary>Answers of "conflicts" and "resolve".</summary>
    public IReadOnlyList<CacheFs.Remote.ConflictRecord>? Conflicts { get; init; }

    /// <summary>Answer of "locks": the files this mount holds locks on, with every lock the origin has on them.</summary>
    public IReadOnlyList<CacheFs.Protocol.HeldLocks>? Locks { get; init; }

    /// <summary>Set on the lines a long command sends before its answer; the answer is the first line without it.</summary>
    public CacheFs.Eviction.PinProgress? Progress { get; init; }
}

/// <summary>What `cachefs status` shows of a running mount.</summary>
public sealed record MountStatus
{
    public required string CacheDirectory { get; init; }
    public string? MountPoint { get; init; }
    public required string Mode { get; init; }
    public string? Origin { get; init; }
    public bool Online { get; init; }

    /// <summary>Offline because `cachefs offline` said so (until `cachefs online`), not because of the network.</summary>
    public bool OfflineByHand { get; init; }
    public string? Session { get; init; }
    public long QueuedChanges { get; init; }

    /// <summary>The size of the files whose bytes wait in the outbox.</summary>
    public long QueuedBytes { get; init; }
    public int LeasesHeld { get; init; }

    /// <summary>Lock owners on this mount that may hold locks on the origin (processes, open files).</summary>
    public int LockOwners { get; init; }

    /// <summary>Clashes the replay settled that nobody has resolved yet (`cachefs conflicts`).</summary>
    public int Conflicts { get; init; }
    public long Cursor { get; init; }
    public int ProcessId { get; init; }

    /// <summary>The cache's contents by state (null from a mount that does not say).</summary>
    public CacheFs.Eviction.CacheUsage? Cache { get; init; }

    /// <summary>The limits of automatic eviction; null when the mount has no --cache-size.</summary>
    public CacheFs.Eviction.CacheQuota? Quota { get; init; }
    public long DiskFreeBytes { get; init; }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(ControlRequest))]
[JsonSerializable(typeof(ControlResponse))]
[JsonSerializable(typeof(MountStatus))]
public sealed partial class ControlJson : JsonSerializerContext;
