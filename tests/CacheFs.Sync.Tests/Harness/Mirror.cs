using CacheFs.Nodes;
using CacheFs.Sync.Engine;
using CacheFs.Sync.Origin;
using CacheFs.Volume;
using Serilog;

namespace CacheFs.Sync.Tests.Harness;

/// <summary>
/// One workstation without its OS host: a mirrored volume on a fresh temporary cache, with a sync engine attached to
/// an <see cref="OriginHost"/>. The test drives the core API as FUSE would.
/// </summary>
internal sealed class Mirror : IAsyncDisposable
{
    public static readonly NewNode Owner = new(Convert.ToUInt32("644", 8), 1000, 1000);

    /// <summary>Fast retries and a short break, so offline is noticed and left again within a test's patience.</summary>
    public static readonly OriginResilienceOptions QuickResilience = new()
    {
        AttemptTimeout = TimeSpan.FromSeconds(10),
        Retries = 1,
        RetryDelay = TimeSpan.FromMilliseconds(20),
        BreakerMinimumThroughput = 4,
        BreakerSampling = TimeSpan.FromSeconds(10),
        BreakDuration = TimeSpan.FromMilliseconds(500),
    };

    private readonly OriginHost _origin;

    private Mirror(OriginHost origin, string name, string directory, CacheVolume volume)
    {
        _origin = origin;
        Name = name;
        Directory = directory;
        Volume = volume;
    }

    public static ILogger Log { get; } = new LoggerConfiguration().MinimumLevel.Debug().WriteTo.Sink(new LogFileSink()).CreateLogger();

    public string Name { get; }

    public string Directory { get; }

    public CacheVolume Volume { get; }

    /// <summary>Null while stopped (<see cref="StopEngineAsync"/>).</summary>
    public SyncEngine? Engine { get; private set; }

    public SyncEngine Sync => Engine ?? throw new InvalidOperationException("the engine is stopped");

    public static async Task<Mirror> StartAsync(OriginHost origin, string name, Func<SyncOptions, SyncOptions>? tune = null, TimeProvider? time = null)
    {
        var directory = Path.Join(Path.GetTempPath(), "cachefs-sync-cache-" + Guid.NewGuid().ToString("N"));
        var volume = CacheVolume.Open(new VolumeOptions { CacheDirectory = directory, Outbox = true }, Log);
        var mirror = new Mirror(origin, name, directory, volume);
        await mirror.StartEngineAsync(tune, time);
        return mirror;
    }

    public async Task StartEngineAsync(Func<SyncOptions, SyncOptions>? tune = null, TimeProvider? time = null)
    {
        var options = new SyncOptions
        {
            Origin = _origin.Uri,
            Token = OriginHost.Token,
            ClientName = Name,
            BlockSize = 64 * 1024,
            ReadAheadBlocks = 0,
            Resilience = QuickResilience,
        };
        Engine = await SyncEngine.StartAsync(Volume, tune?.Invoke(options) ?? options, Log, time);
    }

    public async Task StopEngineAsync()
    {
        if (Engine is { } engine)
        {
            Engine = null;
            await engine.DisposeAsync();
        }
    }

    /// <summary>Waits (boundedly) until every queued change has reached the origin.</summary>
    public async Task SyncedAsync(int seconds = 30)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        await Sync.WaitForOutboxAsync(limit.Token);
    }

    /// <summary>Waits (boundedly) until this mirror has applied every change the origin has logged so far.</summary>
    public async Task CaughtUpAsync(int seconds = 30)
    {
        var head = await _origin.HeadAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        await Sync.WaitForCursorAsync(head, limit.Token);
    }

    public NodeAttributes At(string path)
    {
        var found = Volume.Resolve(path);
        found.Status.Should().Be(FsStatus.Ok, "{0} should resolve on {1}", path, Name);
        return found.Value;
    }

    public ulong Open(string path, OpenFlags flags)
    {
        var opened = Volume.Open(At(path).Id, flags);
        opened.Status.Should().Be(FsStatus.Ok, "{0} should open on {1}", path, Name);
        return opened.Value.Handle;
    }

    public byte[] Read(ulong handle, long offset, int count)
    {
        var buffer = new byte[count];
        var read = Volume.Read(handle, offset, buffer);
        read.Status.Should().Be(FsStatus.Ok);
        return buffer[..read.Value];
    }

    public byte[] ReadAll(string path)
    {
        var node = At(path);
        var handle = Open(path, OpenFlags.Read);
        try
        {
            return Read(handle, 0, (int)node.Size);
        }
        finally
        {
            Volume.Release(handle).Should().Be(FsStatus.Ok);
        }
    }

    /// <summary>Replaces the whole content of an existing file, as an editor's save in place would.</summary>
    public void Overwrite(string path, byte[] content)
    {
        var handle = Open(path, OpenFlags.ReadWrite | OpenFlags.Truncate);
        Volume.Write(handle, 0, content).Status.Should().Be(FsStatus.Ok);
        Volume.Release(handle).Should().Be(FsStatus.Ok);
    }

    /// <summary>Creates a file in an already known directory and writes it.</summary>
    public long Create(string directory, string name, byte[] content)
    {
        var parent = directory.Length == 0 ? NodeIds.Root : At(directory).Id;
        var created = Volume.Create(parent, name, Owner, OpenFlags.ReadWrite, exclusive: true);
        created.Status.Should().Be(FsStatus.Ok);
        Volume.Write(created.Value.Handle, 0, content).Status.Should().Be(FsStatus.Ok);
        Volume.Release(created.Value.Handle).Should().Be(FsStatus.Ok);
        return created.Value.Attributes.Id;
    }

    public IReadOnlyList<string> List(string directory = "")
    {
        var id = directory.Length == 0 ? NodeIds.Root : At(directory).Id;
        var names = new List<string>();
        long cookie = 0;
        while (true)
        {
            var page = Volume.ReadDirectory(id, cookie, 100);
            page.Status.Should().Be(FsStatus.Ok);
            if (page.Value.Count == 0)
                return names;
            names.AddRange(page.Value.Select(e => e.Name));
            cookie = page.Value[^1].Cookie;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopEngineAsync();
        Volume.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
