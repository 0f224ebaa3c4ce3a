using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CacheFs.Sync.Tests.Harness;

/// <summary>
/// A TCP relay between the engines and the origin, at an address that outlives any one origin process. It records
/// every HTTP request line the clients send (before the origin can answer it) and counts their bytes, and can hold the origin's answers back
/// (<see cref="Hold"/>), so a test sees exactly which requests a read made and can keep a fetch in flight.
/// </summary>
internal sealed class TcpRelay : IAsyncDisposable
{
    private static readonly string[] Methods = ["GET ", "PUT ", "PATCH ", "POST ", "DELETE "];

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Socket, byte> _sockets = new();
    private readonly ConcurrentQueue<Request> _requests = new();
    private readonly Task _accepting;
    private volatile TaskCompletionSource _open = Opened();
    private volatile TaskCompletionSource _eventsOpen = Opened();
    private volatile int _upstream;
    private long _bytesUp;

    public TcpRelay(int upstreamPort)
    {
        _upstream = upstreamPort;
        _listener.Start();
        Uri = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accepting = AcceptAsync(_stop.Token);
    }

    /// <summary>Where clients connect.</summary>
    public Uri Uri { get; }

    /// <summary>The origin's port; new connections go there.</summary>
    public int Upstream
    {
        get => _upstream;
        set => _upstream = value;
    }

    /// <summary>Every byte the clients have sent towards the origin so far (request heads and bodies).</summary>
    public long BytesUp => Interlocked.Read(ref _bytesUp);

    /// <summary>Every request so far, in the order their heads arrived.</summary>
    public IReadOnlyList<Request> Requests => [.. _requests];

    public int Count(string method, string route, string? path = null) => Matching(method, route, path).Count;

    /// <summary>The Range headers of the matching requests, in order.</summary>
    public IReadOnlyList<string?> Ranges(string method, string route, string? path = null) => [.. Matching(method, route, path).Select(r => r.Range)];

    /// <summary>From now on the origin's bytes wait in the relay until <see cref="Release"/>.</summary>
    public void Hold() => _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _open.TrySetResult();

    /// <summary>From now on only the event streams wait in the relay, until <see cref="ReleaseEvents"/>.</summary>
    public void HoldEvents() => _eventsOpen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void ReleaseEvents() => _eventsOpen.TrySetResult();

    /// <summary>Cuts every open connection (clients see them drop; new ones are relayed again).</summary>
    public void DropConnections()
    {
        foreach (var socket in _sockets.Keys)
            Close(socket);
    }

    public async ValueTask DisposeAsync()
    {
        Release();
        ReleaseEvents();
        await _stop.CancelAsync();
        _listener.Stop();
        DropConnections();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private static TaskCompletionSource Opened()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }

    private async Task AcceptAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var client = await _listener.AcceptSocketAsync(ct);
            _ = RelayAsync(client, ct);
        }
    }

    private async Task RelayAsync(Socket client, CancellationToken ct)
    {
        _sockets[client] = 0;
        var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _sockets[upstream] = 0;
        try
        {
            await upstream.ConnectAsync(IPAddress.Loopback, _upstream, ct);
            var connection = new Connection();
            var up = PumpAsync(client, upstream, connection, record: true, ct);
            var down = PumpAsync(upstream, client, connection, record: false, ct);
            await Task.WhenAny(up, down);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The origin is down: the client sees its connection close, as it would see a refusal.
        }
        finally
        {
            Close(client);
            Close(upstream);
        }
    }

    private async Task PumpAsync(Socket from, Socket to, Connection connection, bool record, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        var pending = "";
        Request? current = null;
        try
        {
            while (true)
            {
                var n = await from.ReceiveAsync(buffer, ct);
                if (n == 0)
                    return;
                if (record)
                {
                    Interlocked.Add(ref _bytesUp, n);
                    pending = Record(pending + Encoding.Latin1.GetString(buffer, 0, n), connection, ref current);
                }
                else
                {
                    await _open.Task.WaitAsync(ct);
                    if (connection.Events)
                        await _eventsOpen.Task.WaitAsync(ct);
                }
                for (var sent = 0; sent < n;)
                    sent += await to.SendAsync(buffer.AsMemory(sent, n - sent), ct);
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    /// <summary>
    /// Records the requests whose head is complete in <paramref name="text"/> (their line, and their Range header);
    /// returns the unfinished rest. <paramref name="current"/> is the request whose head is still arriving; a connection
    /// that asks for the event stream is marked as such.
    /// </summary>
    private string Record(string text, Connection connection, ref Request? current)
    {
        int end;
        while ((end = text.IndexOf("\r\n", StringComparison.Ordinal)) >= 0)
        {
            var line = text[..end];
            text = text[(end + 2)..];
            if (current is not null)
            {
                if (line.Length == 0)
                {
                    _requests.Enqueue(current);
                    current = null;
                }
                else if (line.StartsWith("Range: ", StringComparison.OrdinalIgnoreCase))
                {
                    current = current with { Range = line["Range: ".Length..] };
                }

                continue;
            }

            // After an upload's body the next request line follows the last body byte directly.
            var start = Methods.Select(m => line.LastIndexOf(m + "/v1/", StringComparison.Ordinal)).Max();
            if (start < 0 || !line.EndsWith(" HTTP/1.1", StringComparison.Ordinal))
                continue;
            line = line[start..];
            var method = Methods.First(m => line.StartsWith(m, StringComparison.Ordinal));
            var target = line[method.Length..^" HTTP/1.1".Length];
            var query = target.IndexOf('?', StringComparison.Ordinal);
            string? path = null;
            if (query >= 0)
            {
                foreach (var pair in target[(query + 1)..].Split('&'))
                {
                    if (pair.StartsWith("path=", StringComparison.Ordinal))
                        path = Uri.UnescapeDataString(pair["path=".Length..]);
                }
            }

            current = new Request(method.TrimEnd(), query < 0 ? target : target[..query], path, null);
            connection.Events |= current.Route == Protocol.Routes.Events;
        }

        // An upload's body holds no request line: keep only its tail, where the next request line may begin.
        return text.Length > 8192 ? text[^8192..] : text;
    }

    private List<Request> Matching(string method, string route, string? path) =>
        [.. _requests.Where(r => r.Method == method && r.Route == route && (path is null || r.Path == path))];

    private void Close(Socket socket)
    {
        if (!_sockets.TryRemove(socket, out _))
            return;
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        socket.Dispose();
    }
}

/// <summary>One HTTP request as the relay saw it: method, route, the decoded <c>path</c> parameter, the Range header.</summary>
internal sealed record Request(string Method, string Route, string? Path, string? Range);

/// <summary>What the relay knows of one client connection.</summary>
internal sealed class Connection
{
    /// <summary>The connection carries an event stream (a long-lived GET of the events route).</summary>
    public volatile bool Events;
}
