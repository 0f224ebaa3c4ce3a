using CacheFs.Nodes;

namespace CacheFs.Tests.Conformance;

/// <summary>What lstat/fstat report, in the core's terms; <see cref="Mode"/> holds the permission bits only (07777).</summary>
internal sealed record FileStat(
    long Inode,
    NodeKind Kind,
    long Size,
    uint Mode,
    uint LinkCount,
    uint Uid,
    uint Gid,
    Timestamp AccessTime,
    Timestamp ModifyTime,
    Timestamp ChangeTime)
{
    public static FileStat Of(NodeAttributes node) => new(
        node.Id,
        node.Kind,
        node.Size,
        node.Mode,
        node.LinkCount,
        node.Uid,
        node.Gid,
        node.AccessTime,
        node.ModifyTime,
        node.ChangeTime);
}
