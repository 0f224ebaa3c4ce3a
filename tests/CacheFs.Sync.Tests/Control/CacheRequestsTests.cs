using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using CacheFs.Eviction;
using CacheFs.Nodes;
using CacheFs.Remote;
using CacheFs.Sync.Control;
using CacheFs.Sync.Tests.Harness;
using CacheFs.Volume;

namespace CacheFs.Sync.Tests.Control;

/// <summary>The cache commands over the control socket, against a real volume whose content comes from a slow fetcher.</summary>
[SupportedOSPlatform("linux")]
public sealed partial class CacheRequestsTests : IAsyncLifetime
{
    private const int FileSize = 3 << 20;
    private readonly string _directory = Path.Join(Path.GetTempPath(), "cachefs-cache-control-" + Guid.NewGuid().ToString("N"));
    private CacheVolume _volume = null!;
    private ControlServer _server = null!;
    private readonly SlowFetcher _fetcher = new();

    public Task InitializeAsync()
    {
        _volume = CacheVolume.Open(new VolumeOptions { CacheDirectory = _directory }, Mirror.Log);
        _volume.Fetcher = _fetcher;
        for (var i = 0; i < 3; i++)
        {
            _volume.ApplyRemoteNode($"f{i}", new RemoteNode { OriginId = 10 + i, Kind = NodeKind.File, ContentVersion = "v1", Size = FileSize, Mode = 0x1A4 })
                .Should().Be(FsStatus.Ok);
        }

        _server = ControlServer.Start(_directory, new CacheMount(_volume), GetUid(), Mirror.Log);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _volume.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Pin_SlowOrigin_ProgressLinesThenTheAnswer()
    {
        var progress = new List<PinProgress>();

        var answer = await ControlClient.SendAsync(_directory, new ControlRequest("pin") { Paths = ["f0", "f1"] }, CancellationToken.None, line => progress.Add(line.Progress!.Value))
            .WaitAsync(TimeSpan.FromSeconds(60));

        answer.Ok.Should().BeTrue(answer.Message);
        answer.Pins.Should().HaveCount(2).And.OnlyContain(p => p.Pinned && p.Files == 1 && p.FetchedBytes == FileSize);
        progress.Should().NotBeEmpty("each 1 MiB takes a while to arrive");
        progress.Select(p => p.DoneBytes).Should().BeInAscendingOrder();
        _volume.Resolve("f0").Value.Content.Should().Be(ContentState.Complete);
    }

    [Fact]
    public async Task EvictLsVerify_OverTheSocket_ReportsWhatTheVolumeDid()
    {
        (await ControlClient.SendAsync(_directory, new ControlRequest("pin") { Paths = ["f0"] }, CancellationToken.None)).Ok.Should().BeTrue();
        (await ControlClient.SendAsync(_directory, new ControlRequest("pin") { Paths = ["f1"] }, CancellationToken.None)).Ok.Should().BeTrue();
        (await ControlClient.SendAsync(_directory, new ControlRequest("unpin") { Paths = ["f1"] }, CancellationToken.None)).Ok.Should().BeTrue();

        var evicted = await ControlClient.SendAsync(_directory, new ControlRequest("evict") { TargetBytes = 0 }, CancellationToken.None);
        var listed = await ControlClient.SendAsync(_directory, new ControlRequest("ls") { Paths = [""] }, CancellationToken.None);
        var verified = await ControlClient.SendAsync(_directory, new ControlRequest("verify"), CancellationToken.None);
        var missing = await ControlClient.SendAsync(_directory, new ControlRequest("ls") { Paths = ["nope"] }, CancellationToken.None);

        evicted.Eviction!.Freed.Select(f => f.Path).Should().Equal("f1");
        evicted.Eviction.Skipped.Should().ContainSingle().Which.Should().Be(new EvictedFile("f0", FileSize, SkipReason.Pinned));
        listed.Files!.Select(f => (f.Path, f.Content, f.Pinned)).Should().Equal(
            ("f0", ContentState.Complete, true), ("f1", ContentState.Placeholder, false), ("f2", ContentState.Placeholder, false));
        verified.Ok.Should().BeTrue();
        verified.Verify!.FilesChecked.Should().Be(3);
        missing.Ok.Should().BeFalse();
        missing.Message.Should().Be("/nope does not exist on the mount");
    }

    [LibraryImport("libc", EntryPoint = "getuid")]
    private static partial uint GetUid();

    private sealed class CacheMount(CacheVolume volume) : IMountControl, ICacheControl
    {
        public CacheVolume Volume => volume;

        public MountStatus Status() => new() { CacheDirectory = "/cache", Mode = "local" };

        public Task SyncAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void UploadNow()
        {
        }

        public Task<bool> SetOfflineAsync(bool offline) => Task.FromResult(false);

        public Task<IReadOnlyList<Protocol.HeldLocks>> HeldLocksAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<Protocol.HeldLocks>>([]);
    }

    /// <summary>Serves zeros at about 10 MiB/s, so a pin of a few MiB lasts long enough to report progress.</summary>
    private sealed class SlowFetcher : IContentFetcher
    {
        public async ValueTask<FsStatus> FetchAsync(ContentRequest request, IContentSink sink, CancellationToken cancellationToken)
        {
            for (var offset = request.Offset; offset < request.Offset + request.Length; offset += 1 << 20)
            {
                await Task.Delay(100, cancellationToken);
                var length = (int)Math.Min(1 << 20, request.Offset + request.Length - offset);
                var status = sink.Write(offset, new byte[length]);
                if (status != FsStatus.Ok)
                    return status;
            }

            return FsStatus.Ok;
        }
    }
}
