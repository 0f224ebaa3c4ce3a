using CacheFs.Protocol;
using CacheFs.Sync.Origin;
using Serilog;

namespace CacheFs.Sync.Engine;

/// <summary>
/// Keeps one session with the origin alive: opens it, heartbeats at a third of its TTL, and opens a new one when the
/// origin says the old one lapsed (then every lease of the old one is gone, and <see cref="SessionChanged"/> says so).
/// </summary>
internal sealed class SessionKeeper(OriginClient client, string clientName, OwnSessions own, ILogger log, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _opening = new(1, 1);

    public void Dispose() => _opening.Dispose();
    private volatile SessionInfo? _current;

    // 1 once an unreachable origin was reported, until a session opens: the heartbeat asks every second while it is
    // down, and one warning says it (the rest are debug lines).
    private int _reportedUnreachable;

    public SessionInfo? Current => _current;

    /// <summary>Raised with the new session after the old one lapsed (not at the first open).</summary>
    public event Action<SessionInfo>? SessionChanged;

    /// <summary>The live session, opening one if there is none; null while the origin cannot be reached.</summary>
    public async Task<SessionInfo?> EnsureAsync(CancellationToken ct)
    {
        if (_current is { } live)
            return live;
        await _opening.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_current is { } opened)
                return opened;
            var session = await client.OpenSessionAsync(clientName, ct).ConfigureAwait(false);
            log.Information("Opened session {Session} with the origin {Origin} as {Client}", session.SessionId, client.Origin, clientName);
            Interlocked.Exchange(ref _reportedUnreachable, 0);

            // Known as ours before any change is made under it, so a replay of the stream never takes it for another client's.
            if (!own.Add(session.SessionId))
                log.Warning("Could not record session {Session} in the journal; a replay after a crash may show this mount's own changes as another client's", session.SessionId);
            _current = session;
            return session;
        }
        catch (OriginUnavailableException e)
        {
            // Offline by hand was announced when it began; an outage is told once, not at every retry.
            if (client.Resilience.IsOfflineByHand || Interlocked.Exchange(ref _reportedUnreachable, 1) == 1)
                log.Debug("No session with the origin {Origin}: {Reason}", client.Origin, e.Message);
            else
                log.Warning("The origin {Origin} is unreachable: {Reason}; working offline until it is back", client.Origin, e.Message);
            return null;
        }
        finally
        {
            _opening.Release();
        }
    }

    public async Task RunHeartbeatsAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var session = await EnsureAsync(ct).ConfigureAwait(false);
            var interval = session is null ? TimeSpan.FromSeconds(1) : TimeSpan.FromMilliseconds(Math.Max(200, session.TtlMs / 3));
            await Task.Delay(interval, time, ct).ConfigureAwait(false);
            if (session is null)
                continue;
            try
            {
                await client.HeartbeatAsync(session.SessionId, ct).ConfigureAwait(false);
            }
            catch (OriginException e) when (e.Code is ErrorCode.SessionExpired or ErrorCode.NotFound)
            {
                log.Warning("Session {Session} lapsed on the origin; its leases and locks are gone. Opening a new one", session.SessionId);
                _current = null;
                if (await EnsureAsync(ct).ConfigureAwait(false) is { } fresh)
                    SessionChanged?.Invoke(fresh);
            }
            catch (OriginUnavailableException e)
            {
                log.Debug("Heartbeat failed: {Reason}", e.Message);
            }
        }
    }

    public async Task CloseAsync(CancellationToken ct)
    {
        if (_current is not { } session)
            return;
        try
        {
            await client.CloseSessionAsync(session.SessionId, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OriginException or OriginUnavailableException)
        {
            log.Debug("Closing session {Session}: {Reason}", session.SessionId, e.Message);
        }

        _current = null;
    }
}
