using System.Net;
using System.Net.Sockets;

namespace CacheFs.Cli.Tests.Sync;

/// <summary>
/// A TCP relay between mount processes and the origin process that counts the bytes the mounts send: what an upload
/// costs on the wire, headers and all. New connections go to <see cref="Upstream"/>, so the origin may restart.
/// </summary>
internal sealed class CountingRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private long _bytesUp;

    public CountingRelay(int upstream)
    {
        Upstream = upstream;
        _listener.Start();
        Uri = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accepting = AcceptAsync(_stop.Token);
    }

    public Uri Uri { get; }

    public int Upstream { get; set; }

    /// <summary>Every byte the mounts have sent towards the origin so far.</summary>
    public long BytesUp => Interlocked.Read(ref _bytesUp);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
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
        using var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using (client)
        {
            try
            {
                await upstream.ConnectAsync(IPAddress.Loopback, Upstream, ct);
                await Task.WhenAny(PumpAsync(client, upstream, count: true, ct), PumpAsync(upstream, client, count: false, ct));
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The origin is down: the mount sees its connection close.
            }
        }
    }

    private async Task PumpAsync(Socket from, Socket to, bool count, CancellationToken ct)
    {
        var buffer = new byte[256 * 1024];
        try
        {
            int n;
            while ((n = await from.ReceiveAsync(buffer, ct)) > 0)
            {
                if (count)
                    Interlocked.Add(ref _bytesUp, n);
                for (var sent = 0; sent < n;)
                    sent += await to.SendAsync(buffer.AsMemory(sent, n - sent), ct);
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            try
            {
                to.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
        }
    }
}
