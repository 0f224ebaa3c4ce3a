using CacheFs.Origin.Events;
using CacheFs.Origin.Http;
using CacheFs.Origin.Sessions;
using CacheFs.Origin.Storage;
using CacheFs.Protocol;
using Serilog;

namespace CacheFs.Origin.Leases;

/// <summary>
/// Grants and checks leases, all under the gate. A write lease is exclusive: asking while another session holds one is
/// refused (409, naming the holder) and the holder is sent a LeaseBreak; read holders are sent a LeaseBreak and lose
/// their read lease when a write lease is granted. Every write grant takes a new origin-wide epoch; an upload or size
/// change that claims an epoch must claim its session's live write lease (fencing).
/// </summary>
internal sealed class LeaseService(LeaseTable leases, SessionService sessions, EventHub events, OriginGate gate, OriginDatabase database, ILogger log)
{
    public async Task<LeaseGrant> AcquireAsync(LeaseRequest request, string path)
    {
        using var entered = await gate.EnterAsync();
        var session = sessions.LiveLocked(request.SessionId) ?? throw SessionService.Expired(request.SessionId);
        var node = new Catalog(database.Writer, null).Find(path) ?? throw OriginException.NotFound(path);
        if (node.IsDirectory)
            throw new OriginException(ErrorCode.IsDirectory, $"'{path}' is a directory; leases are taken on files");
        var writer = LiveWriterLocked(node.Id);
        if (writer is not null && writer.SessionId != session.Id)
        {
            if (request.Mode == LeaseMode.Write)
                events.Send(writer.SessionId, new OriginEvent(EventType.LeaseBreak) { Break = new LeaseBreak(writer.Id, node.Id, path, session.ClientName) });
            throw Conflict(path, writer);
        }

        var own = leases.Held(node.Id, session.Id);
        if (own is not null && (own.Mode == LeaseMode.Write || request.Mode == LeaseMode.Read))
            return Grant(own, node);
        if (request.Mode == LeaseMode.Read)
            return Grant(Add(new Lease(NewId(), session.Id, session.ClientName, node.Id, LeaseMode.Read, 0)), node);

        foreach (var reader in leases.OnNode(node.Id).ToList())
        {
            leases.Remove(reader);
            if (reader.SessionId != session.Id)
                events.Send(reader.SessionId, new OriginEvent(EventType.LeaseBreak) { Break = new LeaseBreak(reader.Id, node.Id, path, session.ClientName) });
        }

        var lease = Add(new Lease(NewId(), session.Id, session.ClientName, node.Id, LeaseMode.Write, database.NextEpoch()));
        log.Information("Write lease {Epoch} on {Path} granted to {Client}", lease.Epoch, path, session.ClientName);
        return Grant(lease, node);
    }

    public async Task ReleaseAsync(string leaseId, string? sessionId)
    {
        using var entered = await gate.EnterAsync();
        var lease = leases.Find(leaseId);
        if (lease is null || (sessionId is not null && lease.SessionId != sessionId))
            throw new OriginException(ErrorCode.NotFound, $"No lease {leaseId} is held");
        leases.Remove(lease);
    }

    /// <summary>
    /// Fencing for a change of a file's content (an upload, a size change): refused if another session holds the write
    /// lease (409), or if the request claims an epoch that is not its session's live write lease (412), as when a
    /// client froze past its TTL. The gate must be held.
    /// </summary>
    public Session? CheckContentChangeLocked(NodeRow? node, string path, string? sessionId, long? epoch)
    {
        Session? session = null;
        if (sessionId is not null)
        {
            session = sessions.LiveLocked(sessionId);
            if (session is null)
                throw epoch is null ? SessionService.Expired(sessionId) : Stale(path, epoch.Value, "its session has expired");
        }
        else if (epoch is not null)
        {
            throw OriginException.BadRequest($"{Headers.LeaseEpoch} needs {Headers.Session}");
        }

        if (node is null)
            return epoch is null ? session : throw Stale(path, epoch.Value, "the file does not exist");
        var writer = LiveWriterLocked(node.Id);
        if (writer is not null && writer.SessionId != session?.Id)
            throw Conflict(path, writer);
        if (epoch is not null && (writer is null || writer.Epoch != epoch))
            throw Stale(path, epoch.Value, writer is null ? "the session holds no write lease on it" : $"the live lease has epoch {writer.Epoch}");
        return session;
    }

    /// <summary>Refuses replacing or removing a file another session holds a write lease on. The gate must be held.</summary>
    public void CheckNotLeasedByOthersLocked(NodeRow node, string path, Session? session)
    {
        if (node.IsDirectory)
            return;
        if (LiveWriterLocked(node.Id) is { } writer && writer.SessionId != session?.Id)
            throw Conflict(path, writer);
    }

    /// <summary>A node is gone: its leases go with it. The gate must be held.</summary>
    public void DropNodeLocked(long nodeId) => leases.RemoveNode(nodeId);

    private Lease? LiveWriterLocked(long nodeId)
    {
        var writer = leases.Writer(nodeId);
        if (writer is null || sessions.LiveLocked(writer.SessionId) is not null)
            return writer;
        return leases.Writer(nodeId);
    }

    private Lease Add(Lease lease)
    {
        leases.Add(lease);
        return lease;
    }

    private LeaseGrant Grant(Lease lease, NodeRow node) =>
        new(lease.Id, lease.NodeId, lease.Mode, lease.Epoch, (long)sessions.Ttl.TotalMilliseconds, node.Version);

    private static OriginException Conflict(string path, Lease writer) =>
        new(ErrorCode.LeaseConflict, $"'{path}' is being written by {writer.ClientName}") { Holder = writer.ClientName };

    private static OriginException Stale(string path, long epoch, string why) =>
        new(ErrorCode.StaleLease, $"Lease epoch {epoch} no longer entitles a change of '{path}': {why}");

    private static string NewId() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
}
