using CacheFs.Nodes;

namespace CacheFs.Remote;

/// <summary>A node as the origin describes it, in the core's terms; <see cref="ContentVersion"/> becomes the node's origin version.</summary>
public sealed record RemoteNode
{
    public required long OriginId { get; init; }
    public required NodeKind Kind { get; init; }
    public required string ContentVersion { get; init; }
    public long Size { get; init; }
    public uint Mode { get; init; }
    public uint Uid { get; init; }
    public uint Gid { get; init; }
    public Timestamp AccessTime { get; init; }
    public Timestamp ModifyTime { get; init; }
    public Timestamp ChangeTime { get; init; }
    public Timestamp BirthTime { get; init; }
    public uint WindowsAttributes { get; init; }
    public string? Target { get; init; }
    public ulong DeviceNumber { get; init; }

    /// <summary>How many names the origin has for the node: a file known here under another name is a hard link only when above one.</summary>
    public uint LinkCount { get; init; } = 1;
    public IReadOnlyDictionary<string, byte[]>? Xattrs { get; init; }
}
