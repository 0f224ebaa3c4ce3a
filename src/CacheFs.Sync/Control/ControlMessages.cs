using System.Text.Json;
using System.Text.Json.Serialization;

namespace CacheFs.Sync.Control;

/// <summary>One request line to a mount's control endpoint.</summary>
public sealed record ControlRequest(string Command)
{
    /// <summary>For "sync": how long to wait for the outbox to empty before answering that it did not.</summary>
    public long? TimeoutMs { get; init; }
}

/// <summary>One answer line. <see cref="Ok"/> false comes with a <see cref="Message"/> a user can act on.</summary>
public sealed record ControlResponse(bool Ok, string Message)
{
    public MountStatus? Status { get; init; }
}

/// <summary>What `cachefs status` shows of a running mount.</summary>
public sealed record MountStatus
{
    public required string CacheDirectory { get; init; }
    public string? MountPoint { get; init; }
    public required string Mode { get; init; }
    public string? Origin { get; init; }
    public bool Online { get; init; }
    public string? Session { get; init; }
    public long QueuedChanges { get; init; }
    public int LeasesHeld { get; init; }
    public long Cursor { get; init; }
    public int ProcessId { get; init; }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ControlRequest))]
[JsonSerializable(typeof(ControlResponse))]
public sealed partial class ControlJson : JsonSerializerContext;
