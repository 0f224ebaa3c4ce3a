using System.Collections.Concurrent;
using CacheFs.Protocol;

namespace CacheFs.Origin.Events;

/// <summary>Routes events to session streams: change records and lease notices to every attached stream, lease breaks to one session.</summary>
internal sealed class EventHub
{
    private readonly ConcurrentDictionary<string, SessionEvents> _sessions = new(StringComparer.Ordinal);

    public void Open(string sessionId) => _sessions[sessionId] = new SessionEvents();

    public SessionEvents? Find(string sessionId) => _sessions.GetValueOrDefault(sessionId);

    public void Close(string sessionId)
    {
        if (_sessions.TryRemove(sessionId, out var events))
        {
            events.Complete();
            events.Dispose();
        }
    }

    /// <summary>Called under the gate right after the commit, so streams see changes in cursor order.</summary>
    public void Publish(IReadOnlyList<ChangeRecord> changes)
    {
        if (changes.Count == 0)
            return;
        foreach (var events in _sessions.Values)
        {
            if (!events.Attached)
                continue;
            foreach (var change in changes)
                events.Send(new OriginEvent(EventType.Change) { Change = change });
        }
    }

    public void Send(string sessionId, OriginEvent e) => Find(sessionId)?.Send(e);

    /// <summary>
    /// Tells every attached stream but the holder's that a write lease was taken or ended. Called under the gate; a
    /// stream that attaches later starts from the whole list instead (<see cref="EventType.LeasesHeld"/>).
    /// </summary>
    public void PublishLease(string holderSession, long nodeId, bool taken)
    {
        foreach (var (id, events) in _sessions)
        {
            if (events.Attached && !string.Equals(id, holderSession, StringComparison.Ordinal))
                events.Send(new OriginEvent(taken ? EventType.LeaseTaken : EventType.LeaseEnded) { Leased = [nodeId] });
        }
    }
}
