using CacheFs.Nodes;
using CacheFs.Sync.Tests.Harness;
using CacheFs.Volume;
using Xunit.Abstractions;

namespace CacheFs.Sync.Tests.Engine;

/// <summary>
/// The origin goes away: cached content stays readable, content that is not cached fails at once with a clear
/// status, changes go on and wait in the outbox, and they replay when an origin is back on the same root.
/// </summary>
public sealed class OfflineTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Block = 64 * 1024;
    private static readonly byte[] Cached = TestData.Bytes(3 * Block, seed: 2);
    private static readonly byte[] Uncached = TestData.Bytes(2 * Block, seed: 3);

    private OriginHost _origin = null!;

    public async Task InitializeAsync() =>
        _origin = await OriginHost.StartAsync(root =>
        {
            File.WriteAllBytes(Path.Join(root, "cached.bin"), Cached);
            File.WriteAllBytes(Path.Join(root, "uncached.bin"), Uncached);
        });

    public async Task DisposeAsync() => await _origin.DisposeAsync();

    [Fact]
    public async Task OriginDown_CachedReadsWorkUncachedFailWritesQueue_ThenReplayedWhenItIsBack()
    {
        await using var a = await Mirror.StartAsync(_origin, "ws-a");
        a.ReadAll("cached.bin").Should().Equal(Cached);
        var uncached = a.At("uncached.bin");

        await _origin.StopAsync();

        a.ReadAll("cached.bin").Should().Equal(Cached, "what is cached needs no origin");
        var h = a.Volume.Open(uncached.Id, OpenFlags.Read).Value.Handle;
        var read = await a.Volume.ReadAsync(h, 0, new byte[100], CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        read.Status.Should().Be(FsStatus.ContentUnavailable);
        a.Volume.Release(h).Should().Be(FsStatus.Ok);

        var edited = TestData.Bytes(Block + 7, seed: 4);
        a.Overwrite("cached.bin", edited);
        a.Create("", "offline.txt", "written offline"u8.ToArray());
        a.Volume.MakeDirectory(NodeIds.Root, "offline-dir", Mirror.Owner).Status.Should().Be(FsStatus.Ok);
        a.ReadAll("cached.bin").Should().Equal(edited);
        a.Volume.OutboxLength.Should().BeGreaterThanOrEqualTo(4, "the upload, the new file and its bytes, and the directory wait");
        File.ReadAllBytes(_origin.Disk("cached.bin")).Should().Equal(Cached);

        var samePort = await _origin.RestartAsync();
        output.WriteLine(samePort ? "the origin came back on the same port" : "the port was not free again; the origin came back on another one behind the relay");
        await a.SyncedAsync(seconds: 40);

        File.ReadAllBytes(_origin.Disk("cached.bin")).Should().Equal(edited);
        File.ReadAllText(_origin.Disk("offline.txt")).Should().Be("written offline");
        Directory.Exists(_origin.Disk("offline-dir")).Should().BeTrue();
        a.ReadAll("uncached.bin").Should().Equal(Uncached, "the origin is back");
        a.At("cached.bin").Dirty.Should().BeFalse();
    }

    [Fact]
    public async Task OriginDown_UnlistedDirectory_LookupFailsClearlyAndWorksOnceItIsBack()
    {
        await using var a = await Mirror.StartAsync(_origin, "ws-a");

        await _origin.StopAsync();

        a.Volume.Lookup(NodeIds.Root, "cached.bin").Status.Should().Be(FsStatus.ContentUnavailable);
        a.Volume.Create(NodeIds.Root, "new.txt", Mirror.Owner, OpenFlags.ReadWrite, exclusive: true).Status
            .Should().Be(FsStatus.ContentUnavailable, "a name cannot be known free in a directory nobody has listed");
        a.Volume.OutboxLength.Should().Be(0);

        await _origin.RestartAsync();
        (await Eventually.TrueAsync(() => a.Volume.Lookup(NodeIds.Root, "cached.bin").IsOk, seconds: 30)).Should().BeTrue();
        a.List().Should().BeEquivalentTo("cached.bin", "uncached.bin");
    }

    [Fact]
    public async Task OriginRestarted_OpenForWritingBeforeTheSessionIsRenewed_AStatusNotAnException()
    {
        // A long TTL: the engine's next heartbeat (a third of it) comes long after this test is done.
        await using var origin = await OriginHost.StartAsync(root => File.WriteAllBytes(Path.Join(root, "cached.bin"), Cached), leaseTtl: TimeSpan.FromSeconds(60));
        await using var a = await Mirror.StartAsync(origin, "ws-a");
        var id = a.At("cached.bin").Id;

        await origin.RestartAsync();
        var opened = a.Volume.Open(id, OpenFlags.ReadWrite);

        opened.Status.Should().Be(FsStatus.Ok, "a lapsed session is like an unreachable origin: the write goes on and the outbox settles it");
        a.Volume.Write(opened.Value.Handle, 0, "edited"u8).Status.Should().Be(FsStatus.Ok);
        a.Volume.Release(opened.Value.Handle).Should().Be(FsStatus.Ok);
        a.Volume.OutboxLength.Should().Be(1);
    }
}
