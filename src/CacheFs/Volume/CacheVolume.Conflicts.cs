using CacheFs.Remote;

namespace CacheFs.Volume;

/// <summary>The clashes the sync engine settled while replaying the outbox, kept in the journal for `cachefs conflicts`.</summary>
public sealed partial class CacheVolume
{
    public FsStatus RecordConflict(string path, ConflictKind kind, string? keptAs, string detail) =>
        Guard(() =>
        {
            var writer = _journal.BeginWrite();
            try
            {
                writer.AddConflict(path, (int)kind, keptAs, detail, Now().Nanoseconds);
                writer.Commit();
                return FsStatus.Ok;
            }
            finally
            {
                writer.End();
            }
        });

    public IReadOnlyList<ConflictRecord> ListConflicts(bool includeResolved = false) => _journal.Read(s => s.ListConflicts(includeResolved));

    /// <summary>
    /// Settles the newest open clash at <paramref name="path"/> (or whose copy is there) with ordinary namespace changes,
    /// which reach the origin through the outbox like any other, then marks it settled. NotFound when no open clash
    /// names the path; InvalidArgument for a choice that would delete files made here (a directory made again).
    /// </summary>
    public FsResult<ConflictRecord> ResolveConflict(string path, ConflictChoice choice)
    {
        var record = ListConflicts().LastOrDefault(c => c.Path == path || c.KeptAs == path);
        if (record is null)
            return FsStatus.NotFound;
        var status = (record.Kind, choice) switch
        {
            (_, ConflictChoice.Both) => FsStatus.Ok,
            (ConflictKind.EditedBoth or ConflictKind.CreatedBoth, ConflictChoice.Mine) when record.KeptAs is { } copy => MovePath(copy, record.Path),
            (ConflictKind.EditedBoth or ConflictKind.CreatedBoth, ConflictChoice.Theirs) when record.KeptAs is { } copy => RemovePath(copy),
            (ConflictKind.DeletedHereEditedThere, ConflictChoice.Mine) => RemovePath(record.Path),
            (ConflictKind.DeletedHereEditedThere, ConflictChoice.Theirs) => FsStatus.Ok,
            (ConflictKind.EditedHereDeletedThere, ConflictChoice.Mine) => FsStatus.Ok,
            (ConflictKind.EditedHereDeletedThere, ConflictChoice.Theirs) => RemovePath(record.Path),
            (ConflictKind.DirectoryRecreated, ConflictChoice.Mine) => FsStatus.Ok,
            (ConflictKind.RenamedBoth, ConflictChoice.Mine) when record.KeptAs is { } theirs => MovePath(theirs, record.Path),
            (ConflictKind.RenamedBoth, ConflictChoice.Theirs) => FsStatus.Ok,
            _ => FsStatus.InvalidArgument,
        };
        if (status == FsStatus.NotFound)
            status = FsStatus.Ok; // what was to go is gone already
        if (status != FsStatus.Ok)
            return status;
        status = Guard(() =>
        {
            var writer = _journal.BeginWrite();
            try
            {
                writer.ResolveConflict(record.Id);
                writer.Commit();
                return FsStatus.Ok;
            }
            finally
            {
                writer.End();
            }
        });
        return status == FsStatus.Ok ? record with { Resolved = true } : status;
    }

    private FsStatus RemovePath(string path) =>
        ParentOf(path).TryGet(out var parent) ? Unlink(parent, LastName(path)) : ParentOf(path).Status;

    private FsStatus MovePath(string from, string to)
    {
        var source = ParentOf(from);
        var target = ParentOf(to);
        if (!source.IsOk || !target.IsOk)
            return source.IsOk ? target.Status : source.Status;
        return Rename(source.Value, LastName(from), target.Value, LastName(to));
    }

    private FsResult<long> ParentOf(string path)
    {
        var cut = path.LastIndexOf('/');
        var parent = Resolve(cut < 0 ? "" : path[..cut]);
        return parent.TryGet(out var node) ? node.Id : parent.Status;
    }
}
