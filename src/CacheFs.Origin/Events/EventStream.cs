using System.Globalization;
using System.Text;
using System.Text.Json;
using CacheFs.Origin.Http;
using CacheFs.Origin.Leases;
using CacheFs.Origin.Sessions;
using CacheFs.Origin.Storage;
using CacheFs.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace CacheFs.Origin.Events;

/// <summary>
/// GET /v1/events?session=&amp;since=: a session's server-sent event stream. It first replays the change log after the
/// cursor (Last-Event-ID, when the client sends one, wins over <c>since</c>), then sends live changes, lease breaks and
/// revocations, the write leases other sessions hold (the whole list first, then each change), and a keep-alive every
/// few seconds. Change events carry their cursor as the event id; a change already
/// sent by the replay is not sent again. One stream per session: a new one ends the old.
/// </summary>
internal sealed class EventStream(OriginTree tree, EventHub hub, SessionService sessions, LeaseTable leases, OriginGate gate, TimeProvider time, TimeSpan keepAlive)
{
    private const int ReplayBatch = 500;
    private static readonly byte[] KeepAliveFrame = Frame(null, new OriginEvent(EventType.KeepAlive));

    public async Task StreamAsync(HttpContext context)
    {
        var session = sessions.Require(RequestInput.Query(context, "session"));
        var last = LastEventId(context) ?? RequestInput.QueryNumber(context, "since") ?? 0;
        var events = hub.Find(session.Id) ?? throw SessionService.Expired(session.Id);
        CancellationToken attached;
        using (await gate.EnterAsync())
        {
            // Attached and told who holds what in one step under the gate: every lease change after this list reaches
            // the stream as its own event, so the client's picture is never missing one.
            attached = events.Attach();
            events.Send(new OriginEvent(EventType.LeasesHeld) { Leased = leases.WrittenByOthers(session.Id) });
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, attached);
        var cancel = linked.Token;
        using var ticks = new PeriodicTimer(keepAlive, time);
        try
        {
            var response = context.Response;
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache";
            await response.Body.WriteAsync(": cachefs origin events\n\n"u8.ToArray(), cancel);
            last = await ReplayAsync(response.Body, last, cancel);
            await response.Body.FlushAsync(cancel);
            await LiveAsync(response.Body, events, ticks, last, cancel);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // The client left, or a newer stream of the same session took over.
        }
        finally
        {
            events.Detach(attached);
        }
    }

    private async Task<long> ReplayAsync(Stream body, long last, CancellationToken cancel)
    {
        while (true)
        {
            var from = last;
            var batch = tree.Read(catalog => ChangeLog.After(catalog, from, ReplayBatch));
            foreach (var change in batch)
            {
                await body.WriteAsync(Frame(change.Cursor, new OriginEvent(EventType.Change) { Change = change }), cancel);
                last = change.Cursor;
            }

            if (batch.Count < ReplayBatch)
                return last;
        }
    }

    private static async Task LiveAsync(Stream body, SessionEvents events, PeriodicTimer ticks, long last, CancellationToken cancel)
    {
        Task<bool>? waiting = null;
        Task<bool>? tick = null;
        while (true)
        {
            while (events.Reader.TryRead(out var e))
            {
                if (e.Change is { } change)
                {
                    if (change.Cursor <= last)
                        continue;
                    last = change.Cursor;
                }

                await body.WriteAsync(Frame(e.Change?.Cursor, e), cancel);
            }

            await body.FlushAsync(cancel);
            waiting ??= events.Reader.WaitToReadAsync(cancel).AsTask();
            tick ??= ticks.WaitForNextTickAsync(cancel).AsTask();
            if (await Task.WhenAny(waiting, tick) == tick)
            {
                await tick;
                tick = null;
                await body.WriteAsync(KeepAliveFrame, cancel);
                continue;
            }

            if (!await waiting)
                return;
            waiting = null;
        }
    }

    private static byte[] Frame(long? id, OriginEvent e)
    {
        var head = new StringBuilder();
        if (id is { } cursor)
            head.Append(CultureInfo.InvariantCulture, $"id: {cursor}\n");
        head.Append(CultureInfo.InvariantCulture, $"event: {e.Type}\ndata: ");
        return [.. Encoding.UTF8.GetBytes(head.ToString()), .. JsonSerializer.SerializeToUtf8Bytes(e, ProtocolJson.Default.OriginEvent), (byte)'\n', (byte)'\n'];
    }

    private static long? LastEventId(HttpContext context) =>
        long.TryParse(context.Request.Headers["Last-Event-ID"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
}
