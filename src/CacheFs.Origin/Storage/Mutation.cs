using CacheFs.Protocol;
using Microsoft.Data.Sqlite;

namespace CacheFs.Origin.Storage;

/// <summary>
/// One change of the origin, applied in one transaction under the gate: the code deciding it takes cursors with
/// <see cref="Change"/>, updates rows through <see cref="Catalog"/>, and <see cref="Commit"/> appends the change records
/// (each with a snapshot of its node as committed) and returns them for the event stream.
/// </summary>
internal sealed class Mutation : IDisposable
{
    private readonly OriginDatabase _database;
    private readonly SqliteTransaction _transaction;
    private readonly List<ChangeRecord> _pending = [];
    private long _cursor;
    private bool _committed;

    public Mutation(OriginDatabase database, long nowNs, string? session)
    {
        _database = database;
        _transaction = database.Writer.BeginTransaction();
        Catalog = new Catalog(database.Writer, _transaction);
        NowNs = nowNs;
        Session = session;
        _cursor = database.Head;
    }

    public Catalog Catalog { get; }

    public long NowNs { get; }

    public string? Session { get; }

    /// <summary>The cursor of the last change taken so far (the head when there is none).</summary>
    public long Cursor => _cursor;

    /// <summary>Records a change and returns its cursor, which is also the version of the nodes it touches.</summary>
    public long Change(ChangeKind kind, string path, long nodeId, string? newPath = null)
    {
        _cursor++;
        _pending.Add(new ChangeRecord { Cursor = _cursor, Kind = kind, Path = path, NewPath = newPath, NodeId = nodeId, Session = Session });
        return _cursor;
    }

    /// <summary>A Created change is taken before its node row exists (the row carries the cursor as its version); this names the node.</summary>
    public void SetNodeId(long cursor, long nodeId)
    {
        var index = _pending.FindLastIndex(p => p.Cursor == cursor);
        _pending[index] = _pending[index] with { NodeId = nodeId };
    }

    public IReadOnlyList<ChangeRecord> Commit()
    {
        var records = new List<ChangeRecord>(_pending.Count);
        foreach (var pending in _pending)
        {
            var node = pending.Kind == ChangeKind.Removed ? null : Catalog.Node(pending.NodeId);
            var record = pending with { Node = node is null ? null : Catalog.Info(node, pending.NewPath ?? pending.Path) };
            ChangeLog.Append(Catalog, record);
            records.Add(record);
        }

        _transaction.Commit();
        _committed = true;
        _database.Head = _cursor;
        return records;
    }

    public void Dispose()
    {
        if (!_committed)
            _transaction.Rollback();
        _transaction.Dispose();
    }
}
