using System.Globalization;
using CacheFs.Protocol;
using CacheFs.Sync.Origin;
using CacheFs.Volume;
using Serilog;

namespace CacheFs.Sync.Engine;

/// <summary>
/// Follows the session's event stream: other clients' changes go into the journal as they happen (push invalidation,
/// not polling), lease breaks and the leases other clients hold go to the lease manager. The cursor is kept in the journal, so a reconnect, or a remount
/// after a crash, resumes where it stopped.
/// </summary>
/// <remarks>
/// A change that cannot apply now because the node it touches has changes of ours still queued is not lost: the
/// directories it names are listed again once the outbox is empty (<paramref name="relistLater"/>), when the clash, if
/// any, is settled.
/// </remarks>
internal sealed class EventListener(
    CacheVolume volume,
    OriginClient client,
    SessionKeeper sessions,
    OwnSessions own,
    LeaseManager leases,
    ChangeOrder order,
    Action<string> relistLater,
    ILogger log,
    TimeProvider time)
{
    private const string CursorSetting = "cursor";
    private long _cursor = -1;
    private long _savedCursor;

    // Whether the journal holds a cursor at all: a mount that saw no change still records where it stopped.
    private bool _persisted;

    public long Cursor => Interlocked.Read(ref _cursor);

    // Cancels the stream now open, so going offline by hand stops following the origin at once.
    private volatile CancellationTokenSource? _connection;

    /// <summary>Pulsed after each change is applied.</summary>
    public ProgressPulse Applied { get; } = new();

    /// <summary>Ends the stream now open; the loop reconnects when the origin may be called again.</summary>
    public void Disconnect()
    {
        try
        {
            _connection?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // That stream had ended anyway.
        }
    }

    public async Task RunAsync(CancellationToken ct)
    {
        try
        {
            await FollowAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            // A clean stop (cancellation) must not lose the position either: the next mount resumes from here.
            SaveCursor(force: true);
        }
    }

    private async Task FollowAsync(CancellationToken ct)
    {
        var backoff = TimeSpan.FromMilliseconds(200);
        while (!ct.IsCancellationRequested)
        {
            if (await sessions.EnsureAsync(ct).ConfigureAwait(false) is not { } session)
            {
                await Task.Delay(backoff, time, ct).ConfigureAwait(false);
                continue;
            }

            if (_cursor < 0)
            {
                _persisted = long.TryParse(volume.ReadSetting(CursorSetting), NumberStyles.Integer, CultureInfo.InvariantCulture, out var saved);
                _cursor = _savedCursor = _persisted ? saved : session.Cursor;
            }

            using var connection = CancellationTokenSource.CreateLinkedTokenSource(ct);
            _connection = connection;
            try
            {
                await foreach (var item in client.EventsAsync(session.SessionId, _cursor, connection.Token).ConfigureAwait(false))
                {
                    backoff = TimeSpan.FromMilliseconds(200);
                    await HandleAsync(item, session, ct).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is OriginUnavailableException or OriginException or HttpRequestException or IOException or System.Text.Json.JsonException
                                      || (e is OperationCanceledException && !ct.IsCancellationRequested))
            {
                log.Debug("Event stream ended: {Reason}", e.Message);
            }
            finally
            {
                _connection = null;
                leases.Others.Forget();
            }

            SaveCursor(force: true);
            await Task.Delay(backoff, time, ct).ConfigureAwait(false);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
        }
    }

    private async Task HandleAsync(OriginEvent item, SessionInfo session, CancellationToken ct)
    {
        switch (item.Type)
        {
            case EventType.Change when item.Change is { } change:
                if (change.Session != session.SessionId && !own.Contains(change.Session))
                    await order.RunAsync(() => ApplyAsync(change, ct), ct).ConfigureAwait(false);
                Interlocked.Exchange(ref _cursor, Math.Max(_cursor, change.Cursor));
                SaveCursor(force: false);
                Applied.Pulse();
                break;
            case EventType.LeaseBreak when item.Break is { } request:
                await leases.BreakAsync(request, ct).ConfigureAwait(false);
                break;
            case EventType.LeaseRevoked when item.Break is { } revoked:
                leases.Revoked(revoked.LeaseId);
                break;
            case EventType.LeasesHeld when item.Leased is { } held:
                leases.Others.Reset(held);
                break;
            case EventType.LeaseTaken when item.Leased is { } taken:
                foreach (var id in taken)
                    leases.Others.Taken(id);
                break;
            case EventType.LeaseEnded when item.Leased is { } ended:
                foreach (var id in ended)
                    leases.Others.Ended(id);
                break;
        }
    }

    private async Task ApplyAsync(ChangeRecord change, CancellationToken ct)
    {
        var status = change.Kind switch
        {
            ChangeKind.Created when change.Node is { } node => volume.ApplyRemoteNode(change.Path, RemoteNodes.From(node), change.Cursor),
            ChangeKind.ContentChanged or ChangeKind.AttributesChanged when change.Node is { } node => volume.ApplyRemoteUpdate(change.Path, RemoteNodes.From(node), change.Cursor),
            ChangeKind.Removed => volume.ApplyRemoteRemoval(change.Path, change.NodeId),
            ChangeKind.Renamed when change.NewPath is { } newPath => volume.ApplyRemoteRename(change.Path, newPath, change.NodeId) switch
            {
                FsStatus.NotFound => await ArrivedAsync(newPath, ct).ConfigureAwait(false),
                var other => other,
            },
            _ => FsStatus.Ok,
        };
        if (status != FsStatus.Busy)
            return;
        relistLater(OriginPath.Parent(change.Path));
        if (change.NewPath is { } moved)
            relistLater(OriginPath.Parent(moved));
    }

    /// <summary>
    /// A node this cache did not have where the origin moved it from (it never saw it there, or it is gone here) arrived
    /// at <paramref name="path"/>: it is placed as the origin has it now (a later change event corrects anything newer).
    /// </summary>
    private async Task<FsStatus> ArrivedAsync(string path, CancellationToken ct)
    {
        try
        {
            return volume.ApplyRemoteUpdate(path, RemoteNodes.From(await client.GetNodeAsync(path, ct).ConfigureAwait(false)));
        }
        catch (OriginException e) when (e.Code == ErrorCode.NotFound)
        {
            return FsStatus.Ok; // moved on or removed since: its own event follows
        }
    }

    /// <summary>The cursor reaches the journal every few hundred changes and when the stream ends: replaying a few again is harmless.</summary>
    private void SaveCursor(bool force)
    {
        var cursor = Cursor;
        if (cursor < 0 || (cursor == _savedCursor && _persisted) || (!force && cursor - _savedCursor < 256))
            return;
        if (volume.WriteSetting(CursorSetting, cursor.ToString(CultureInfo.InvariantCulture)) == FsStatus.Ok)
        {
            _savedCursor = cursor;
            _persisted = true;
        }
    }
}
