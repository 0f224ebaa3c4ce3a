namespace CacheFs.Remote;

/// <summary>The clashes the outbox replay settles, each recorded for `cachefs conflicts`.</summary>
public enum ConflictKind
{
    /// <summary>Edited here and there: the origin's version keeps the name, ours went up beside it.</summary>
    EditedBoth = 1,

    /// <summary>Edited here, deleted there: ours is restored on the origin.</summary>
    EditedHereDeletedThere = 2,

    /// <summary>Deleted here, edited there: theirs is kept and our delete dropped.</summary>
    DeletedHereEditedThere = 3,

    /// <summary>Created here and there under one name: both kept, ours under a conflict name.</summary>
    CreatedBoth = 4,

    /// <summary>The directory ours went into was deleted there: it was made again to hold ours.</summary>
    DirectoryRecreated = 5,

    /// <summary>
    /// Renamed here, but renamed (or deleted) there first: the first rename to reach the origin stands, ours is dropped;
    /// the node is wherever the origin has it (<see cref="ConflictRecord.KeptAs"/>, null when deleted there).
    /// </summary>
    RenamedBoth = 6,
}

/// <summary>One recorded clash: where, what happened, and where our version went (null when it kept its name).</summary>
public sealed record ConflictRecord(long Id, string Path, ConflictKind Kind, string? KeptAs, string Detail, long AtNanoseconds, bool Resolved);
