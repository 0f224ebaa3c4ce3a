using CacheFs.Origin.Events;
using CacheFs.Origin.Http;
using CacheFs.Origin.Sessions;
using CacheFs.Protocol;

namespace CacheFs.Origin.Storage;

/// <summary>
/// The served tree: the database, the disk and the path rules, with the one way to change them — <see cref="ChangeAsync"/>
/// runs a change under the gate in one <see cref="Mutation"/>, commits it and publishes its records — and consistent reads.
/// </summary>
internal sealed class OriginTree(OriginDatabase database, Disk disk, PathPolicy paths, OriginGate gate, EventHub events, SessionService sessions, TimeProvider time)
{
    public OriginDatabase Database { get; } = database;

    public Disk Disk { get; } = disk;

    public PathPolicy Paths { get; } = paths;

    public OriginGate Gate { get; } = gate;

    public long NowNs => NanosecondsOf(time.GetUtcNow());

    public static long NanosecondsOf(DateTimeOffset at) => (at - DateTimeOffset.UnixEpoch).Ticks * 100;

    /// <summary>Applies one change; <paramref name="apply"/> returns the node to answer with, read inside the transaction.</summary>
    /// <paramref name="epoch"/> is the lease epoch the request claims: with it, a dead session is a stale lease (fencing).
    public async Task<(NodeInfo Node, long Cursor)> ChangeAsync(string? sessionId, Func<Mutation, Session?, NodeInfo> apply, long? epoch = null, CancellationToken cancel = default)
    {
        using var entered = await Gate.EnterAsync(cancel);
        return ChangeLocked(sessionId, apply, epoch);
    }

    /// <summary>As <see cref="ChangeAsync"/>, for a caller that already holds the gate.</summary>
    public (NodeInfo Node, long Cursor) ChangeLocked(string? sessionId, Func<Mutation, Session?, NodeInfo> apply, long? epoch = null)
    {
        Session? session = null;
        if (sessionId is not null)
        {
            session = sessions.LiveLocked(sessionId);
            if (session is null)
            {
                throw epoch is null
                    ? SessionService.Expired(sessionId)
                    : new OriginException(ErrorCode.StaleLease, $"Lease epoch {epoch} is stale: the session {sessionId} has expired");
            }
        }

        using var m = new Mutation(Database, NowNs, session?.Id);
        var node = apply(m, session);
        var records = m.Commit();
        events.Publish(records);
        return (node, m.Cursor);
    }

    /// <summary>Runs a read in one read transaction, so everything it reads is as of one cursor.</summary>
    public T Read<T>(Func<Catalog, T> read)
    {
        using var connection = Database.OpenReader();
        using var transaction = connection.BeginTransaction(deferred: true);
        return read(new Catalog(connection, transaction));
    }

    /// <summary>The node at a path, or NotFound.</summary>
    public static NodeRow Existing(Catalog catalog, string path) => catalog.Find(path) ?? throw OriginException.NotFound(path);

    /// <summary>The directory a new name goes into: it must exist and be a directory.</summary>
    public static NodeRow ParentOf(Catalog catalog, string path)
    {
        if (path.Length == 0)
            throw new OriginException(ErrorCode.Exists, "The root always exists");
        var parent = OriginPath.Parent(path);
        var node = catalog.Find(parent) ?? throw new OriginException(ErrorCode.NotFound, $"The directory '{parent}' does not exist");
        return node.IsDirectory ? node : throw new OriginException(ErrorCode.NotDirectory, $"'{parent}' is not a directory");
    }
}
