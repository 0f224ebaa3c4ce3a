using System.Net.Http.Headers;
using CacheFs.Protocol;

namespace CacheFs.Origin.Tests;

/// <summary>A real origin (Kestrel on 127.0.0.1, a free port) over a fresh temp root, with a clock the test moves.</summary>
public sealed class TestOrigin : IAsyncDisposable
{
    public const string Token = "test-token";

    private TestOrigin(string directory, OriginServer server, ManualTime time)
    {
        Directory = directory;
        Server = server;
        Time = time;
        Client = NewClient(Token);
    }

    /// <summary>The scratch folder: <see cref="Root"/> is inside it.</summary>
    public string Directory { get; }

    public string Root => Path.Join(Directory, "root");

    public OriginServer Server { get; private set; }

    public ManualTime Time { get; }

    public OriginClient Client { get; private set; }

    public string StateDirectory => Server.StateDirectory;

    public string DatabaseFile => Path.Join(StateDirectory, "origin.db");

    public static async Task<TestOrigin> StartAsync(Action<string>? seed = null, TimeSpan? leaseTtl = null)
    {
        var directory = Path.Join(Path.GetTempPath(), "cachefs-origin-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Path.Join(directory, "root"));
        seed?.Invoke(Path.Join(directory, "root"));
        var time = new ManualTime();
        var server = await OriginServer.StartAsync(Options(directory, time, leaseTtl));
        return new TestOrigin(directory, server, time) { _leaseTtl = leaseTtl };
    }

    private TimeSpan? _leaseTtl;

    /// <summary>Stops the origin and starts it again over the same root and state (a restart).</summary>
    public async Task RestartAsync(Action<string>? behindTheBack = null)
    {
        Client.Dispose();
        await Server.DisposeAsync();
        behindTheBack?.Invoke(Root);
        Server = await OriginServer.StartAsync(Options(Directory, Time, _leaseTtl));
        Client = NewClient(Token);
    }

    public OriginClient NewClient(string? token)
    {
        var http = new HttpClient { BaseAddress = Server.Uri, Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null)
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new OriginClient(http);
    }

    public string Disk(string path) => Path.Join(Root, path);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover scratch folder in /tmp is harmless.
        }
    }

    private static OriginOptions Options(string directory, ManualTime time, TimeSpan? leaseTtl) => new()
    {
        Root = Path.Join(directory, "root"),
        Listen = "127.0.0.1:0",
        Tokens = [OriginToken.FromSecret("tests", Token), OriginToken.FromHex("other", OriginToken.Hash("other-token"))],
        Time = time,
        LeaseTtl = leaseTtl ?? TimeSpan.FromSeconds(30),
        LockWaitLimit = TimeSpan.FromSeconds(20),
    };
}
