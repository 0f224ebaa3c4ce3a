using CacheFs.Nodes;

namespace CacheFs.Volume;

/// <summary>An open handle and the attributes of what it opened.</summary>
public sealed record OpenResult(ulong Handle, NodeAttributes Attributes, bool Created);

/// <summary>How much a write wrote, where, and the file size after it.</summary>
public readonly record struct WriteResult(int Written, long Offset, long Size);

/// <summary>statfs / GetVolumeInfo figures.</summary>
public sealed record VolumeStats(
    int BlockSize,
    long TotalBytes,
    long FreeBytes,
    long AvailableBytes,
    long Nodes,
    long FreeNodes,
    int MaxNameLength);

/// <summary>What the last open's recovery found and repaired.</summary>
public sealed record RecoveryReport(
    int UnlinkedNodesRemoved,
    int OrphanObjectsRemoved,
    int ObjectsResized,
    int MissingContentMarked,
    IReadOnlyList<long> DirtyContentLost);
