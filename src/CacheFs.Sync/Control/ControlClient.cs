using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace CacheFs.Sync.Control;

/// <summary>Sends one request to a mount's control endpoint and reads its answer.</summary>
public static class ControlClient
{
    /// <summary>Throws <see cref="SocketException"/> when no mount serves that cache directory.</summary>
    /// <remarks>Lines with <see cref="ControlResponse.Progress"/> come before the answer and go to <paramref name="progress"/>.</remarks>
    public static async Task<ControlResponse> SendAsync(string cacheDirectory, ControlRequest request, CancellationToken ct, Action<ControlResponse>? progress = null)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(ControlServer.PathFor(cacheDirectory)), ct).ConfigureAwait(false);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        await using (var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true) { AutoFlush = true })
            await writer.WriteLineAsync(JsonSerializer.Serialize(request, ControlJson.Default.ControlRequest)).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (true)
        {
            var line = await reader.ReadLineAsync(ct).ConfigureAwait(false) ?? throw new IOException("the mount closed the control connection without an answer");
            var response = JsonSerializer.Deserialize(line, ControlJson.Default.ControlResponse) ?? throw new IOException("the mount sent an empty answer");
            if (response.Progress is null)
                return response;
            progress?.Invoke(response);
        }
    }
}
