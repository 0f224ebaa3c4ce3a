using CacheFs.Origin;
using CacheFs.Protocol;
using CacheFs.Sync.Origin;

namespace CacheFs.Sync.Tests.Harness;

/// <summary>
/// A real origin in this process (Kestrel on 127.0.0.1) over a fresh temporary root, reached through a
/// <see cref="TcpRelay"/>, so a test can stop it, start it again on the same root, and see what the engines asked.
/// </summary>
internal sealed class OriginHost : IAsyncDisposable
{
    public const string Token = "t";

    private readonly TimeSpan _leaseTtl;
    private OriginServer? _server;

    private OriginHost(string directory, TimeSpan leaseTtl)
    {
        Directory = directory;
        _leaseTtl = leaseTtl;
    }

    public string Directory { get; }

    /// <summary>The served tree, as files on the disk.</summary>
    public string Root => Path.Join(Directory, "root");

    public TcpRelay Relay { get; private set; } = null!;

    /// <summary>Where engines connect (the relay).</summary>
    public Uri Uri => Relay.Uri;

    /// <summary>The port the origin itself listens on.</summary>
    public int Port { get; private set; }

    public bool Running => _server is not null;

    /// <summary>
    /// Starts an origin over a root that <paramref name="seed"/> fills first. A short lease TTL keeps the engines'
    /// heartbeats (a third of it) frequent, so a restarted origin is noticed quickly.
    /// </summary>
    public static async Task<OriginHost> StartAsync(Action<string>? seed = null, TimeSpan? leaseTtl = null)
    {
        var directory = Path.Join(Path.GetTempPath(), "cachefs-sync-origin-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Path.Join(directory, "root"));
        var host = new OriginHost(directory, leaseTtl ?? TimeSpan.FromSeconds(10));
        seed?.Invoke(host.Root);
        await host.StartServerAsync(port: 0);
        host.Relay = new TcpRelay(host.Port);
        return host;
    }

    public string Disk(string path) => Path.Join(Root, path);

    /// <summary>Stops the origin: connections drop, new ones are refused.</summary>
    public async Task StopAsync()
    {
        if (_server is { } server)
        {
            _server = null;
            await server.DisposeAsync();
        }

        Relay.DropConnections();
    }

    /// <summary>
    /// Starts the origin again on the same root and state, on the same port when the OS gives it back (it usually does
    /// at once); true if it did. Either way the engines reach it at the same address, the relay's.
    /// </summary>
    public async Task<bool> RestartAsync()
    {
        await StopAsync();
        var port = Port;
        for (var attempt = 0; attempt < 20; attempt++)
        {
            try
            {
                await StartServerAsync(port);
                return true;
            }
            catch (OriginStartException e) when (e.Error == OriginStartError.AddressInUse)
            {
                await Task.Delay(50);
            }
        }

        await StartServerAsync(port: 0);
        Relay.Upstream = Port;
        return false;
    }

    /// <summary>The head of the origin's change log.</summary>
    public async Task<long> HeadAsync()
    {
        using var client = Client();
        return (await client.HealthAsync(CancellationToken.None)).Cursor;
    }

    /// <summary>The origin's own record of a node.</summary>
    public async Task<NodeInfo> NodeAsync(string path)
    {
        using var client = Client();
        return await client.GetNodeAsync(path, CancellationToken.None);
    }

    /// <summary>A client of the origin itself, past the relay (its requests are not counted).</summary>
    public OriginClient Client() =>
        new(new Uri($"http://127.0.0.1:{Port}/"), Token, new OriginResilience(new OriginResilienceOptions(), TimeProvider.System));

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await Relay.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover scratch folder in /tmp is harmless.
        }
    }

    private async Task StartServerAsync(int port)
    {
        _server = await OriginServer.StartAsync(new OriginOptions
        {
            Root = Root,
            StateDirectory = Path.Join(Directory, "state"),
            Listen = $"127.0.0.1:{port}",
            Tokens = [OriginToken.FromSecret("ws-test", Token)],
            LeaseTtl = _leaseTtl,
            KeepAliveInterval = TimeSpan.FromSeconds(1),
            Logger = Mirror.Log,
        });
        Port = _server.Uri.Port;
    }
}
