namespace CacheFs.Nodes;

/// <summary>Everything the journal knows of a node, as one immutable snapshot.</summary>
public sealed record NodeAttributes
{
    public required long Id { get; init; }
    public required NodeKind Kind { get; init; }
    public long Size { get; init; }

    /// <summary>Permission bits (07777); the host adds the file-type bits from <see cref="Kind"/>.</summary>
    public uint Mode { get; init; }
    public uint Uid { get; init; }
    public uint Gid { get; init; }
    public ulong DeviceNumber { get; init; }
    public uint LinkCount { get; init; }
    public Timestamp AccessTime { get; init; }
    public Timestamp ModifyTime { get; init; }
    public Timestamp ChangeTime { get; init; }
    public Timestamp BirthTime { get; init; }

    /// <summary>Windows FILE_ATTRIBUTE_* bits other than directory, which comes from <see cref="Kind"/>.</summary>
    public uint WindowsAttributes { get; init; }

    /// <summary>The origin's version of the content this node was based on; empty for a local-only node.</summary>
    public string OriginVersion { get; init; } = "";

    /// <summary>The origin's id of this node; 0 for a node the origin has not acknowledged yet.</summary>
    public long OriginId { get; init; }
    public ContentState Content { get; init; }

    /// <summary>Bytes of content held in the cache (what a sparse object really occupies, at block granularity).</summary>
    public long CachedBytes { get; init; }
    public bool Dirty { get; init; }
    public bool Pinned { get; init; }
    public Timestamp LastAccess { get; init; }

    /// <summary>For a directory, the directory that holds it (the root holds itself); 0 for other kinds, which may have several.</summary>
    public long Parent { get; init; }

    public bool IsDirectory => Kind == NodeKind.Directory;
}
