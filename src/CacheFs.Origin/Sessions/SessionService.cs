using CacheFs.Origin.Events;
using CacheFs.Origin.Http;
using CacheFs.Origin.Leases;
using CacheFs.Origin.Locks;
using CacheFs.Origin.Storage;
using CacheFs.Protocol;
using Serilog;

namespace CacheFs.Origin.Sessions;

/// <summary>
/// Opens, renews and ends sessions. Sessions, their leases and locks are kept in memory on purpose: they describe
/// live clients of this process, a restart ends them all, and a client that finds its session gone (410) re-opens and
/// re-acquires; lease epochs alone are stored, so an epoch is never handed out twice. Expiry is checked lazily by every
/// use (<see cref="LiveLocked"/>) and by a sweep each second, which tells the holders (LeaseRevoked) and wakes lock waiters.
/// </summary>
internal sealed class SessionService(SessionTable table, LeaseTable leases, LockService locks, EventHub events, OriginGate gate, OriginDatabase database, TimeProvider time, TimeSpan ttl, ILogger log)
{
    private const int MaxClientNameLength = 200;

    public TimeSpan Ttl => ttl;

    public async Task<SessionInfo> OpenAsync(OpenSessionRequest request)
    {
        var name = request.ClientName;
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxClientNameLength || name.Any(char.IsControl))
            throw OriginException.Invalid($"A client name is 1 to {MaxClientNameLength} printable characters");
        using var entered = await gate.EnterAsync();
        var session = table.Add(name, time.GetUtcNow() + ttl);
        events.Open(session.Id);
        log.Information("Session {Session} opened by {Client}", session.Id, name);
        return Info(session);
    }

    public async Task<SessionInfo> HeartbeatAsync(string id)
    {
        using var entered = await gate.EnterAsync();
        var session = LiveLocked(id) ?? throw Expired(id);
        session.Renew(time.GetUtcNow() + ttl);
        return Info(session);
    }

    public async Task CloseAsync(string id)
    {
        using var entered = await gate.EnterAsync();
        var session = table.Find(id) ?? throw Expired(id);
        EndLocked(session, expired: false);
    }

    /// <summary>The session if it is live; an expired one is ended on the spot. The gate must be held.</summary>
    public Session? LiveLocked(string id)
    {
        var session = table.Find(id);
        if (session is null || session.Ended)
            return null;
        if (!session.IsExpired(time.GetUtcNow()))
            return session;
        EndLocked(session, expired: true);
        return null;
    }

    /// <summary>The session if it is live now, without the gate (for locks and event streams).</summary>
    public Session Require(string? id)
    {
        if (id is null)
            throw OriginException.BadRequest($"The session is required (the {Headers.Session} header or the session field)");
        var session = table.Find(id);
        return session is null || session.Ended || session.IsExpired(time.GetUtcNow()) ? throw Expired(id) : session;
    }

    /// <summary>Ends every session past its expiry (the sweep).</summary>
    public async Task LapseExpiredAsync()
    {
        if (table.Expired(time.GetUtcNow()).Count == 0)
            return;
        using var entered = await gate.EnterAsync();
        foreach (var session in table.Expired(time.GetUtcNow()))
            EndLocked(session, expired: true);
    }

    /// <summary>Ends all sessions (the origin is stopping).</summary>
    public async Task EndAllAsync()
    {
        using var entered = await gate.EnterAsync();
        foreach (var session in table.All())
            EndLocked(session, expired: false);
    }

    public static OriginException Expired(string id) =>
        new(ErrorCode.SessionExpired, $"The session {id} has ended or expired; open a new one and take leases and locks again");

    private void EndLocked(Session session, bool expired)
    {
        table.Remove(session);
        var catalog = new Catalog(database.Writer, null);
        foreach (var lease in leases.OfSession(session.Id))
        {
            leases.Remove(lease);
            if (expired)
            {
                var path = catalog.NamesOf(lease.NodeId).FirstOrDefault() ?? "";
                events.Send(session.Id, new OriginEvent(EventType.LeaseRevoked) { Break = new LeaseBreak(lease.Id, lease.NodeId, path, "origin: the session expired") });
            }
        }

        locks.ReleaseSession(session);
        events.Close(session.Id);
        if (expired)
            log.Warning("Session {Session} of {Client} expired: its leases and locks are released", session.Id, session.ClientName);
        else
            log.Information("Session {Session} of {Client} ended", session.Id, session.ClientName);
    }

    private SessionInfo Info(Session session) => new(session.Id, session.ClientName, (long)ttl.TotalMilliseconds, database.Head);
}
