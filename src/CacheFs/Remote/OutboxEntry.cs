namespace CacheFs.Remote;

/// <summary>What a queued change asks of the origin.</summary>
public enum OutboxKind
{
    MakeDirectory = 1,

    /// <summary>A new non-directory: a file (empty until its upload), a symlink or a special file.</summary>
    MakeNode = 2,
    Link = 3,

    /// <summary><see cref="OutboxEntry.Flags"/> holds the <see cref="Volume.RenameMode"/>.</summary>
    Rename = 4,

    /// <summary><see cref="OutboxEntry.Flags"/> is 1 for rmdir, 0 for unlink.</summary>
    Remove = 5,

    /// <summary>Mode, owner, times or Windows attributes changed; the node's current values are what to send.</summary>
    SetAttributes = 6,

    /// <summary><see cref="OutboxEntry.Name"/> names the attribute; its current value is what to send.</summary>
    SetXattr = 7,
    RemoveXattr = 8,

    /// <summary>The file's content changed; its current bytes are what to send.</summary>
    Upload = 9,
}

/// <summary>
/// One change the origin has not acknowledged, as recorded in the journal in the same transaction as the change. Paths
/// are spelled as they were at that point of the order of effect, so replaying the outbox in sequence reproduces the
/// same namespace on the origin whatever happened locally since. Values (attributes, bytes) are read at replay time:
/// the origin converges to the current state.
/// </summary>
public sealed record OutboxEntry(long Sequence, OutboxKind Kind, long NodeId, string Path, string? NewPath, int Flags, string? Name)
{
    /// <summary>
    /// For the removal of a file: the content version it removes ("" when the origin never had its bytes). For a rename
    /// over a file: the content version of the file it replaces (<see cref="Target"/>).
    /// </summary>
    public string? BaseVersion { get; init; }

    /// <summary>For a rename over a file the origin has: the local node it replaced (0 otherwise).</summary>
    public long Target { get; init; }
}
