using System.Runtime.Versioning;
using CacheFs.Nodes;
using CacheFs.Protocol;
using CacheFs.Sync.Tests.Harness;
using CacheFs.Volume;

namespace CacheFs.Sync.Tests.Engine;

/// <summary>
/// Lazy hydration against a real origin: directories are listed the first time someone looks, a read fetches only
/// the blocks it touches, readers of one block share its fetch, and a sequential reader gets the next blocks ahead.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class HydrationTests : IAsyncLifetime
{
    private const int Block = 64 * 1024;
    private static readonly byte[] Big = TestData.Bytes(16 * Block, seed: 1);
    private static readonly byte[] Report = "quarterly figures"u8.ToArray();

    private OriginHost _origin = null!;

    public async Task InitializeAsync() =>
        _origin = await OriginHost.StartAsync(root =>
        {
            File.WriteAllBytes(Path.Join(root, "big.bin"), Big);
            Directory.CreateDirectory(Path.Join(root, "docs", "deep"));
            File.WriteAllBytes(Path.Join(root, "docs", "report.txt"), Report);
            File.WriteAllText(Path.Join(root, "docs", "deep", "x.txt"), "x");
        });

    public async Task DisposeAsync() => await _origin.DisposeAsync();

    /// <summary>The Range header of a request for <paramref name="count"/> blocks from <paramref name="first"/> on.</summary>
    private static string BlockRange(long first, int count) => $"bytes={first * Block}-{((first + count) * Block) - 1}";

    [Fact]
    public async Task Lookup_FreshMirror_ListsEachDirectoryOnceWhenFirstLookedInto()
    {
        await using var a = await Mirror.StartAsync(_origin, "ws-a");
        a.Volume.Attr(NodeIds.Root).Content.Should().Be(ContentState.Placeholder);
        _origin.Relay.Count("GET", Routes.List).Should().Be(0, "nothing is listed before anyone looks");

        var report = a.At("docs/report.txt");
        a.List().Should().BeEquivalentTo("big.bin", "docs");
        a.List("docs").Should().BeEquivalentTo("report.txt", "deep");
        a.At("docs/report.txt").Id.Should().Be(report.Id);

        _origin.Relay.Count("GET", Routes.List, "").Should().Be(1);
        _origin.Relay.Count("GET", Routes.List, "docs").Should().Be(1);
        _origin.Relay.Count("GET", Routes.List).Should().Be(2, "docs/deep was never looked into");
        a.At("docs/deep").Content.Should().Be(ContentState.Placeholder);
        (report.Kind, report.Size, report.Content, report.Dirty).Should().Be((NodeKind.File, Report.Length, ContentState.Placeholder, false));
        report.OriginId.Should().NotBe(0);
        report.OriginVersion.Should().NotBeEmpty();
        report.Mode.Should().Be((uint)File.GetUnixFileMode(_origin.Disk("docs/report.txt")));
        _origin.Relay.Count("GET", Routes.Content).Should().Be(0, "listing fetches no content");
        a.Volume.OutboxLength.Should().Be(0);
    }

    [Fact]
    public async Task Read_Placeholder_FetchesOnlyTheBlocksTouched()
    {
        await using var a = await Mirror.StartAsync(_origin, "ws-a");
        var big = a.At("big.bin").Id;
        var h = a.Open("big.bin", OpenFlags.Read);

        a.Read(h, (3 * Block) + 100, 100).Should().Equal(Big.AsSpan((3 * Block) + 100, 100).ToArray());
        Ranges().Should().Equal(BlockRange(3, 1));
        a.Volume.Attr(big).Content.Should().Be(ContentState.Partial);
        a.Volume.Attr(big).CachedBytes.Should().Be(Block);

        a.Read(h, (6 * Block) - 10, 20).Should().Equal(Big.AsSpan((6 * Block) - 10, 20).ToArray());
        Ranges().Should().Equal([BlockRange(3, 1), BlockRange(5, 2)], "a read across a block boundary fetches both blocks, in one request");
        a.Volume.Attr(big).CachedBytes.Should().Be(3 * Block);

        a.Read(h, (3 * Block) - 5, Block + 10).Should().Equal(Big.AsSpan((3 * Block) - 5, Block + 10).ToArray());
        Ranges().Skip(2).Should().BeEquivalentTo([BlockRange(2, 1), BlockRange(4, 1)], "block 3 is cached already: only the blocks around it are fetched");
        a.Read(h, 3 * Block, Block).Should().Equal(Big.AsSpan(3 * Block, Block).ToArray());
        Ranges().Should().HaveCount(4, "a cached block is read from the cache");
        a.Volume.Release(h).Should().Be(FsStatus.Ok);
        a.Volume.Attr(big).Dirty.Should().BeFalse();
        a.Volume.Attr(big).CachedBytes.Should().Be(5 * Block);

        IReadOnlyList<string?> Ranges() => _origin.Relay.Ranges("GET", Routes.Content, "big.bin");
    }

    [Fact]
    public async Task Read_WholeFile_CompleteAndServedWithoutTheOrigin()
    {
        await using var a = await Mirror.StartAsync(_origin, "ws-a");

        a.ReadAll("docs/report.txt").Should().Equal(Report);
        a.At("docs/report.txt").Content.Should().Be(ContentState.Complete);
        await _origin.StopAsync();

        a.ReadAll("docs/report.txt").Should().Equal(Report);
    }

    [Fact]
    public async Task Read_ConcurrentReadersOfOneBlock_ShareOneFetch()
    {
        await using var a = await Mirror.StartAsync(_origin, "ws-a");
        var first = a.Open("big.bin", OpenFlags.Read);
        var second = a.Open("big.bin", OpenFlags.Read);
        var one = new byte[1000];
        var two = new byte[3000];

        _origin.Relay.Hold();
        var reading = a.Volume.ReadAsync(first, Block + 10, one, CancellationToken.None);
        var alsoReading = a.Volume.ReadAsync(second, Block + 500, two, CancellationToken.None);
        var third = a.Volume.ReadAsync(first, (2 * Block) - 100, new byte[50], CancellationToken.None);
        (reading.IsCompleted, alsoReading.IsCompleted, third.IsCompleted).Should().Be((false, false, false), "the origin's answer is held back");
        _origin.Relay.Release();

        (await reading).Value.Should().Be(1000);
        (await alsoReading).Value.Should().Be(3000);
        (await third).Value.Should().Be(50);
        one.Should().Equal(Big.AsSpan(Block + 10, 1000).ToArray());
        two.Should().Equal(Big.AsSpan(Block + 500, 3000).ToArray());
        _origin.Relay.Count("GET", Routes.Content, "big.bin").Should().Be(1);
        a.Volume.Attr(a.At("big.bin").Id).CachedBytes.Should().Be(Block);
        a.Volume.Release(first).Should().Be(FsStatus.Ok);
        a.Volume.Release(second).Should().Be(FsStatus.Ok);
    }

    [Fact]
    public async Task Read_ReadersOnManyThreadsAtOnce_EachBlockFetchedOnce()
    {
        await using var a = await Mirror.StartAsync(_origin, "ws-a", o => o with { ParallelFetches = 32 });
        var handles = Enumerable.Range(0, 8).Select(_ => a.Open("big.bin", OpenFlags.Read)).ToArray();
        var buffers = handles.Select(_ => new byte[2 * Block]).ToArray();
        using var start = new Barrier(handles.Length);

        // Every reader asks for blocks 4 and 5 at the same moment; the answers are held until all have asked.
        _origin.Relay.Hold();
        // Threads of their own (the barrier blocks them), so the thread pool stays free for the engines.
        var asked = handles.Select((h, i) => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait();
                return a.Volume.ReadAsync(h, (4 * Block) + i, buffers[i].AsMemory(0, Block + 100), CancellationToken.None);
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)).ToArray();
        var reads = await Task.WhenAll(asked);
        reads.Should().OnlyContain(r => !r.IsCompleted, "the origin's answers are held");
        _origin.Relay.Release();

        for (var i = 0; i < reads.Length; i++)
        {
            (await reads[i]).Value.Should().Be(Block + 100);
            buffers[i].AsSpan(0, Block + 100).ToArray().Should().Equal(Big.AsSpan((4 * Block) + i, Block + 100).ToArray());
        }

        var ranges = _origin.Relay.Ranges("GET", Routes.Content, "big.bin");
        ranges.Should().OnlyHaveUniqueItems("no block is fetched twice").And.HaveCountLessThanOrEqualTo(2);
        a.Volume.Attr(a.At("big.bin").Id).CachedBytes.Should().Be(2 * Block);
        foreach (var h in handles)
            a.Volume.Release(h).Should().Be(FsStatus.Ok);
    }

    [Fact]
    public async Task Read_Sequential_AWindowOfBlocksKeptAheadAndGrowing()
    {
        await using var a = await Mirror.StartAsync(_origin, "ws-a", o => o with { ReadAheadBlocks = 3 });
        var big = a.At("big.bin").Id;
        var h = a.Open("big.bin", OpenFlags.Read);

        a.Read(h, 0, Block);
        a.Volume.Attr(big).CachedBytes.Should().Be(Block, "one read is not yet a sequential reader");
        a.Read(h, Block, Block);

        (await Eventually.TrueAsync(() => a.Volume.Attr(big).CachedBytes == 5 * Block)).Should().BeTrue("blocks 2 to 4 come ahead of the reader");
        Ranges().Should().BeEquivalentTo(BlockRange(0, 1), BlockRange(1, 1), BlockRange(2, 3));
        a.Read(h, 2 * Block, 3 * Block).Should().Equal(Big.AsSpan(2 * Block, 3 * Block).ToArray());

        (await Eventually.TrueAsync(() => a.Volume.Attr(big).CachedBytes == 11 * Block)).Should().BeTrue("the window doubles while the reader stays sequential");
        Ranges().Should().HaveCount(4, "what came ahead was read from the cache").And.Contain(BlockRange(5, 6));
        a.Volume.Release(h).Should().Be(FsStatus.Ok);

        IReadOnlyList<string?> Ranges() => _origin.Relay.Ranges("GET", Routes.Content, "big.bin");
    }

    [Fact]
    public async Task Read_RandomReads_NoReadAhead()
    {
        await using var a = await Mirror.StartAsync(_origin, "ws-a", o => o with { ReadAheadBlocks = 3 });
        var big = a.At("big.bin").Id;
        var h = a.Open("big.bin", OpenFlags.Read);

        a.Read(h, 10 * Block, 10);
        a.Read(h, 2 * Block, 10);
        a.Read(h, 7 * Block, 10);

        _origin.Relay.Count("GET", Routes.Content, "big.bin").Should().Be(3);
        a.Volume.Attr(big).CachedBytes.Should().Be(3 * Block);
        a.Volume.Release(h).Should().Be(FsStatus.Ok);
    }
}
