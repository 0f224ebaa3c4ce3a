using System.Text.Json;
using CacheFs.Protocol;

namespace CacheFs.Origin.Tests;

/// <summary>Reads a session's server-sent event stream: one <see cref="ServerEvent"/> per blank-line-terminated frame.</summary>
public sealed class EventReader : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private EventReader(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    public static async Task<EventReader> OpenAsync(OriginClient client, string session, long since = 0, long? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"{Routes.Events}?session={session}&since={since}");
        if (lastEventId is not null)
            request.Headers.Add("Last-Event-ID", lastEventId.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var response = await client.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await OriginClient.Ok(response);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/event-stream");
        return new EventReader(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    /// <summary>
    /// The next event (comments and the list of others' leases skipped: <see cref="NextLeaseNoticeAsync"/> reads that);
    /// fails the test if none comes within a generous bound.
    /// </summary>
    public async Task<ServerEvent> NextAsync()
    {
        while (true)
        {
            var e = await NextFrameAsync();
            if (!IsLeaseNotice(e.Event.Type))
                return e;
        }
    }

    /// <summary>The next event telling which write leases other sessions hold (the whole list, or one taken or ended).</summary>
    public async Task<ServerEvent> NextLeaseNoticeAsync()
    {
        while (true)
        {
            var e = await NextFrameAsync();
            if (IsLeaseNotice(e.Event.Type))
                return e;
        }
    }

    private static bool IsLeaseNotice(EventType type) => type is EventType.LeasesHeld or EventType.LeaseTaken or EventType.LeaseEnded;

    private async Task<ServerEvent> NextFrameAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        long? id = null;
        string? type = null;
        string? data = null;
        while (true)
        {
            var line = await _reader.ReadLineAsync(timeout.Token) ?? throw new EndOfStreamException("the event stream ended");
            if (line.Length == 0)
            {
                if (type is null)
                    continue;
                return new ServerEvent(id, type, JsonSerializer.Deserialize(data!, ProtocolJson.Default.OriginEvent)!);
            }

            if (line.StartsWith(':'))
                continue;
            if (line.StartsWith("id: ", StringComparison.Ordinal))
                id = long.Parse(line[4..], System.Globalization.CultureInfo.InvariantCulture);
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
                type = line[7..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
                data = line[6..];
        }
    }

    /// <summary>The next event that is not a keep-alive.</summary>
    public async Task<ServerEvent> NextNotKeepAliveAsync()
    {
        while (true)
        {
            var e = await NextAsync();
            if (e.Event.Type != EventType.KeepAlive)
                return e;
        }
    }

    /// <summary>True once the server has ended the stream.</summary>
    public async Task<bool> EndedAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (await _reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal) && Enum.TryParse<EventType>(line[7..], out var type)
                && type != EventType.KeepAlive && !IsLeaseNotice(type))
                return false;
        }

        return true;
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}

public sealed record ServerEvent(long? Id, string Type, OriginEvent Event);
