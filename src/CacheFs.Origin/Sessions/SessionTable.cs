using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace CacheFs.Origin.Sessions;

/// <summary>
/// The live sessions, in memory: a session is a client's presence in this origin process, and its leases and locks
/// are only meaningful while the process that granted them runs (see <see cref="SessionService"/>). Changed under the gate;
/// read from anywhere.
/// </summary>
internal sealed class SessionTable
{
    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);

    public Session Add(string clientName, DateTimeOffset expires)
    {
        var session = new Session(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), clientName, expires);
        _sessions[session.Id] = session;
        return session;
    }

    public Session? Find(string id) => _sessions.GetValueOrDefault(id);

    public bool Remove(Session session) => _sessions.TryRemove(session.Id, out _);

    public List<Session> Expired(DateTimeOffset now) => [.. _sessions.Values.Where(s => s.IsExpired(now))];

    public List<Session> All() => [.. _sessions.Values];
}
