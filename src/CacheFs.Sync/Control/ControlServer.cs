using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Serilog;

namespace CacheFs.Sync.Control;

/// <summary>What a mount answers on its control endpoint.</summary>
public interface IMountControl
{
    MountStatus Status();

    /// <summary>Waits until every local change has reached the origin.</summary>
    Task SyncAsync(CancellationToken cancellationToken);
}

/// <summary>
/// A mount's local control endpoint: a Unix domain socket in the cache directory (mode 0600), one JSON request line and
/// one JSON answer line per connection. Only the user who mounted (or root) may connect; the peer's credentials are
/// checked on every connection, not only the socket file's mode.
/// </summary>
public sealed class ControlServer : IAsyncDisposable
{
    public const string SocketName = "control.sock";
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    private readonly Socket _listener;
    private readonly IMountControl _control;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly uint _owner;

    private ControlServer(Socket listener, string path, IMountControl control, uint owner, ILogger log)
    {
        _listener = listener;
        Path = path;
        _control = control;
        _owner = owner;
        _log = log;
        _accepting = AcceptAsync(_stop.Token);
    }

    public string Path { get; }

    public static string PathFor(string cacheDirectory) => System.IO.Path.Combine(cacheDirectory, SocketName);

    public static ControlServer Start(string cacheDirectory, IMountControl control, uint owner, ILogger log)
    {
        var path = PathFor(cacheDirectory);
        File.Delete(path); // a socket left by a killed mount; the cache lock says no live mount owns it
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(path));
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            listener.Listen(16);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        return new ControlServer(listener, path, control, owner, log.ForContext<ControlServer>());
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        try
        {
            await _accepting.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopped.
        }

        File.Delete(Path);
        _stop.Dispose();
    }

    private async Task AcceptAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var client = await _listener.AcceptAsync(ct).ConfigureAwait(false);
            _ = ServeAsync(client, ct);
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken ct)
    {
        using (client)
        {
            await using var stream = new NetworkStream(client, ownsSocket: false);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            await using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true };
            ControlResponse response;
            try
            {
                response = PeerUid(client) is { } uid && (uid == _owner || uid == 0)
                    ? await HandleAsync(await reader.ReadLineAsync(ct).ConfigureAwait(false), line => writer.WriteLineAsync(JsonSerializer.Serialize(line, ControlJson.Default.ControlResponse)), ct).ConfigureAwait(false)
                    : new ControlResponse(false, "only the user who mounted this volume may control it");
            }
            catch (JsonException e)
            {
                response = new ControlResponse(false, $"not a control request: {e.Message}");
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
                return;
            }

            try
            {
                await writer.WriteLineAsync(JsonSerializer.Serialize(response, ControlJson.Default.ControlResponse)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException)
            {
                _log.Debug("A control client left before its answer: {Reason}", e.Message);
            }
        }
    }

    private async Task<ControlResponse> HandleAsync(string? line, Func<ControlResponse, Task> progress, CancellationToken ct)
    {
        var request = line is null ? null : JsonSerializer.Deserialize(line, ControlJson.Default.ControlRequest);
        switch (request?.Command)
        {
            case "status":
                return new ControlResponse(true, "ok") { Status = _control.Status() };
            case "sync" when request.NoWait && _control is ICacheControl cache:
                cache.UploadNow();
                return new ControlResponse(true, "uploads started") { Status = _control.Status() };
            case "sync":
            {
                using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
                if (request.TimeoutMs is { } ms)
                    limit.CancelAfter(TimeSpan.FromMilliseconds(ms));
                try
                {
                    await _control.SyncAsync(limit.Token).ConfigureAwait(false);
                    return new ControlResponse(true, "every local change has reached the origin") { Status = _control.Status() };
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    var status = _control.Status();
                    return new ControlResponse(false, $"{status.QueuedChanges} changes still wait for the origin{(status.Online ? "" : " (the origin is unreachable)")}") { Status = status };
                }
            }

            case { } cacheCommand when CacheRequests.Handles(cacheCommand) && _control is ICacheControl cache:
                return await CacheRequests.HandleAsync(request, cache, progress, ct).ConfigureAwait(false);
            case { } adminCommand when AdminRequests.Handles(adminCommand) && _control is ICacheControl cache:
                return await AdminRequests.HandleAsync(request, cache, ct).ConfigureAwait(false);
            default:
                return new ControlResponse(false, $"unknown command '{request?.Command}'");
        }
    }

    /// <summary>The connecting process's uid (SO_PEERCRED: pid, uid, gid), or null where the OS does not say.</summary>
    private static uint? PeerUid(Socket client)
    {
        if (!OperatingSystem.IsLinux())
            return null;
        Span<byte> credentials = stackalloc byte[12];
        var length = client.GetRawSocketOption(SolSocket, SoPeerCred, credentials);
        return length >= 8 ? MemoryMarshal.Read<uint>(credentials[4..8]) : null;
    }
}
