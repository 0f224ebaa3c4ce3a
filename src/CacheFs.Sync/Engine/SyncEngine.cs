using CacheFs.Sync.Locks;
using CacheFs.Sync.Origin;
using CacheFs.Volume;
using Serilog;

namespace CacheFs.Sync.Engine;

/// <summary>
/// Connects a volume to its origin: lists directories and fetches content on demand, takes write leases, replays the
/// outbox, and follows the event stream. Attach before the host starts serving; dispose after it stopped.
/// </summary>
public sealed class SyncEngine : IAsyncDisposable
{
    private const string OfflineByHandSetting = "offline-by-hand";
    private readonly CacheVolume _volume;
    private readonly OriginClient _client;
    private readonly SessionKeeper _sessions;
    private readonly LeaseManager _leases;
    private readonly OutboxReplayer _outbox;
    private readonly EventListener _events;
    private readonly RangeFetcher _fetcher;
    private readonly OriginLocks _locks;
    private readonly ChangeOrder _order = new();
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private int _disposed;

    private SyncEngine(CacheVolume volume, OriginClient client, SyncOptions options, ILogger log, TimeProvider time)
    {
        _volume = volume;
        _client = client;
        _log = log.ForContext<SyncEngine>();
        var own = new OwnSessions(volume);
        _sessions = new SessionKeeper(client, options.ClientName, own, _log, time);
        _leases = new LeaseManager(volume, client, _sessions, options, _log, time);
        _outbox = new OutboxReplayer(volume, client, _sessions, _leases, _order, options, _log, time);
        _events = new EventListener(volume, client, _sessions, own, _leases, _order, _outbox.Relist, _log, time);
        _sessions.SessionChanged += _ => _leases.Forget();
        volume.Lister = new DirectoryLister(volume, client, _log);
        _fetcher = new RangeFetcher(volume, client, options, _log);
        _time = time;
        volume.Fetcher = _fetcher;
        volume.Leases = _leases;
        _locks = new OriginLocks(volume, client, _sessions, _outbox, _events, options.ClientName, _log, time);
        volume.Locks = _locks;
        volume.OutboxChanged = _outbox.Signal;
    }

    public bool IsOnline => _client.Resilience.IsOnline && _sessions.Current is not null;

    /// <summary>Offline because `cachefs offline` said so, not because the origin is unreachable.</summary>
    public bool IsOfflineByHand => _client.Resilience.IsOfflineByHand;

    public string? SessionId => _sessions.Current?.SessionId;

    /// <summary>
    /// `cachefs offline`: no call reaches the origin until <see cref="GoOnlineAsync"/>, exactly as when the network is
    /// gone. The session is left to lapse rather than closed, so leases and locks end the way they do in an outage.
    /// </summary>
    public async Task GoOfflineAsync()
    {
        await _client.Resilience.GoOfflineAsync().ConfigureAwait(false);
        RememberOfflineByHand(true);
        _events.Disconnect();
        _log.Information("Offline by hand: changes wait in the outbox ({Queued} queued) until `cachefs online`", _volume.OutboxLength);
    }

    /// <summary>`cachefs online`: calls go to the origin again, and the outbox replays at once.</summary>
    public async Task GoOnlineAsync()
    {
        await _client.Resilience.GoOnlineAsync().ConfigureAwait(false);
        RememberOfflineByHand(false);
        _log.Information("Online by hand: reconnecting to the origin {Origin}", _client.Origin);
        _outbox.Signal();
    }

    /// <summary>
    /// Offline by hand lasts until `cachefs online`, across remounts too: the journal says so, and the next mount of the
    /// cache starts offline (someone who went offline for a metered link must not find the mount online after a reboot).
    /// </summary>
    private void RememberOfflineByHand(bool offline)
    {
        if (_volume.WriteSetting(OfflineByHandSetting, offline ? "1" : "0") != FsStatus.Ok)
            _log.Warning("Could not record in the journal that the volume is {State} by hand; the next mount may start otherwise", offline ? "offline" : "online");
    }

    public long OutboxLength => _volume.OutboxLength;

    public int LeasesHeld => _leases.Count;

    /// <summary>How many files other clients hold write leases on, as the event stream says; null while it has not said.</summary>
    public int? LeasedByOthers => _leases.Others.Known ? _leases.Others.Count : null;

    /// <summary>Lock owners on this mount that may hold locks on the origin.</summary>
    public int LockOwners => _locks.Owners;

    /// <summary>The files this mount holds locks on, with every lock the origin has on them.</summary>
    public Task<IReadOnlyList<Protocol.HeldLocks>> HeldLocksAsync(CancellationToken ct) => _locks.HeldAsync(ct);

    /// <summary>The last change of the origin's log this mount has applied.</summary>
    public long Cursor => _events.Cursor;

    /// <summary>
    /// Attaches the engine to <paramref name="volume"/> (which must have been opened with an outbox) and starts its
    /// loops. An unreachable origin is not an error: the volume works offline on what it has and catches up later.
    /// </summary>
    public static async Task<SyncEngine> StartAsync(CacheVolume volume, SyncOptions options, ILogger log, TimeProvider? time = null, CancellationToken ct = default)
    {
        if (!volume.Options.Outbox)
            throw new ArgumentException("the volume was opened without an outbox; it cannot mirror an origin", nameof(volume));
        time ??= TimeProvider.System;
        var client = new OriginClient(options.Origin, options.Token, new OriginResilience(options.Resilience, time));
        var engine = new SyncEngine(volume, client, options, log, time);
        if (options.StartOffline || volume.ReadSetting(OfflineByHandSetting) == "1")
            await engine.GoOfflineAsync().ConfigureAwait(false);
        else
            await engine._sessions.EnsureAsync(ct).ConfigureAwait(false);
        engine._loops.Add(engine._sessions.RunHeartbeatsAsync(engine._stop.Token));
        engine._loops.Add(engine._events.RunAsync(engine._stop.Token));
        engine._loops.Add(engine._outbox.RunAsync(engine._stop.Token));
        return engine;
    }

    /// <summary>Waits until every queued change has reached the origin (what `cachefs sync` waits for).</summary>
    public async Task WaitForOutboxAsync(CancellationToken ct)
    {
        while (_volume.OutboxLength > 0)
        {
            _outbox.Signal();
            await _outbox.Sent.WaitUntilAsync(() => _volume.OutboxLength == 0, TimeSpan.FromSeconds(1), _time, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Starts replaying the outbox now, without waiting for it (`cachefs sync --no-wait`).</summary>
    public void UploadNow() => _outbox.Signal();

    /// <summary>Waits until the event stream has applied the origin's change <paramref name="cursor"/> (tests use it).</summary>
    public async Task WaitForCursorAsync(long cursor, CancellationToken ct)
    {
        while (!await _events.Applied.WaitUntilAsync(() => _events.Cursor >= cursor, TimeSpan.FromSeconds(1), _time, ct).ConfigureAwait(false))
        {
            // Until cancelled.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _volume.OutboxChanged = null;
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_loops).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The loops end by cancellation.
        }

        using var close = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _sessions.CloseAsync(close.Token).ConfigureAwait(false);
        _volume.Lister = null;
        _volume.Fetcher = null;
        _volume.Leases = null;
        _volume.Locks = null;
        _client.Dispose();
        _stop.Dispose();
        _fetcher.Dispose();
        _outbox.Dispose();
        _order.Dispose();
        _sessions.Dispose();
        _log.Information("Disconnected from the origin {Origin}", _client.Origin);
    }
}
