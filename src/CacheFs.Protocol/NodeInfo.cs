namespace CacheFs.Protocol;

/// <summary>What a node is on the origin.</summary>
public enum RemoteKind
{
    File = 1,
    Directory = 2,
    Symlink = 3,
    Fifo = 4,
    Socket = 5,
    CharDevice = 6,
    BlockDevice = 7,
}

/// <summary>
/// One node as the origin keeps it. <see cref="Version"/> rises with every change to the node (content, attributes or
/// names) and is what If-Match compares; <see cref="ContentVersion"/> rises only when the bytes change, so a client
/// keeps its cached content across a chmod. Times are nanoseconds since the Unix epoch.
/// </summary>
public sealed record NodeInfo
{
    /// <summary>The origin's stable id of the node: it survives renames, and hard links share it.</summary>
    public required long Id { get; init; }

    /// <summary>The name under which the node was reached (empty for the root).</summary>
    public string Name { get; init; } = "";

    public required RemoteKind Kind { get; init; }
    public required long Version { get; init; }
    public long ContentVersion { get; init; }
    public long Size { get; init; }
    public uint Mode { get; init; }
    public uint Uid { get; init; }
    public uint Gid { get; init; }
    public uint LinkCount { get; init; } = 1;
    public long AccessTimeNs { get; init; }
    public long ModifyTimeNs { get; init; }
    public long ChangeTimeNs { get; init; }
    public long BirthTimeNs { get; init; }

    /// <summary>Windows FILE_ATTRIBUTE_* bits other than directory.</summary>
    public uint WindowsAttributes { get; init; }

    /// <summary>A symlink's target, stored as given.</summary>
    public string? Target { get; init; }

    /// <summary>A device node's number.</summary>
    public ulong DeviceNumber { get; init; }

    /// <summary>Extended attributes by name (values travel as base64).</summary>
    public IReadOnlyDictionary<string, byte[]>? Xattrs { get; init; }
}

/// <summary>Every path under which the origin holds node <see cref="Id"/> (none when it is gone).</summary>
public sealed record NodeNames(long Id, IReadOnlyList<string> Paths);

/// <summary>A directory and every entry in it, consistent as of <see cref="Cursor"/>.</summary>
public sealed record DirectoryListing(NodeInfo Directory, IReadOnlyList<NodeInfo> Entries, long Cursor);

/// <summary>What the health endpoint says.</summary>
public sealed record HealthReport(string Status, string Version, long Cursor);
