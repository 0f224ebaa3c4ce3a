namespace CacheFs.Protocol;

/// <summary>What a change did.</summary>
public enum ChangeKind
{
    /// <summary>A name appeared (create, mkdir, mknod, symlink, link).</summary>
    Created = 1,

    /// <summary>The node's bytes changed; cached content of older versions is stale.</summary>
    ContentChanged = 2,

    /// <summary>Only attributes or extended attributes changed; cached content stays valid.</summary>
    AttributesChanged = 3,

    /// <summary>A name moved (<see cref="ChangeRecord.Path"/> → <see cref="ChangeRecord.NewPath"/>).</summary>
    Renamed = 4,

    /// <summary>A name went away (unlink, rmdir, or a name replaced by a rename is reported as its own record).</summary>
    Removed = 5,
}

/// <summary>
/// One entry of the origin's change log. <see cref="Cursor"/> is strictly increasing; <see cref="Node"/> is the
/// node after the change (null for a removal), and <see cref="Session"/> says which client session made it, so that
/// client can skip its own changes.
/// </summary>
public sealed record ChangeRecord
{
    public required long Cursor { get; init; }
    public required ChangeKind Kind { get; init; }
    public required string Path { get; init; }
    public string? NewPath { get; init; }
    public long NodeId { get; init; }
    public NodeInfo? Node { get; init; }
    public string? Session { get; init; }
}

/// <summary>Changes after a cursor, oldest first. <see cref="More"/> says another request would return more.</summary>
public sealed record ChangeBatch(IReadOnlyList<ChangeRecord> Changes, long Cursor, bool More);
