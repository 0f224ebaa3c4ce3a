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
}
