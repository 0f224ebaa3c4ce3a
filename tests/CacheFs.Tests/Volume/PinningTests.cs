using CacheFs.Eviction;
using CacheFs.Nodes;

namespace CacheFs.Tests.Volume;

/// <summary>Pinned content is fetched at once, never evicted, and fetched again when the origin changes it.</summary>
public sealed class PinningTests
{
    [Fact]
    public async Task Pin_Directory_EveryFileFetchedAndPinned()
    {
        using var o = new OriginVolume();
        o.Test.MakeDir("shots");
        var a = o.Put("shots/a", VolumeTestExtensions.Bytes(10_000, 1));
        var b = o.Put("shots/b", VolumeTestExtensions.Bytes(5_000, 2));
        var seen = new List<PinProgress>();

        var report = (await o.Volume.PinAsync("shots", pin: true, new Collect(seen), CancellationToken.None)).Value;

        report.Should().BeEquivalentTo(new PinReport { Pinned = true, Files = 2, Bytes = 15_000, FetchedBytes = report.FetchedBytes });
        report.Failures.Should().BeEmpty();
        seen.Should().NotBeEmpty();
        seen[^1].DoneBytes.Should().Be(seen[^1].TotalBytes);
        foreach (var id in new[] { a, b })
        {
            o.Volume.Attr(id).Content.Should().Be(ContentState.Complete);
            o.Volume.Attr(id).Pinned.Should().BeTrue();
        }

        o.Volume.At("shots").Pinned.Should().BeTrue();
        o.Volume.Evict(new EvictionRequest { TargetBytes = 0 }).Value.Skipped.Should().HaveCount(2).And.OnlyContain(s => s.Reason == SkipReason.Pinned);
    }

    [Fact]
    public async Task Unpin_ThenEvict_Freed()
    {
        using var o = new OriginVolume();
        var a = o.Put("a", VolumeTestExtensions.Bytes(4096));
        (await o.Volume.PinAsync("a", pin: true, null, CancellationToken.None)).IsOk.Should().BeTrue();

        var report = (await o.Volume.PinAsync("/a", pin: false, null, CancellationToken.None)).Value;

        report.Pinned.Should().BeFalse();
        o.Volume.Attr(a).Pinned.Should().BeFalse();
        o.Volume.Evict(new EvictionRequest()).Value.Freed.Select(f => f.Path).Should().Equal("a");
    }

    [Fact]
    public async Task Pin_OriginFails_ReportedAndStillPinned()
    {
        using var o = new OriginVolume();
        var a = o.Put("a", VolumeTestExtensions.Bytes(4096));
        o.Origin.Failure = FsStatus.ContentUnavailable;

        var report = (await o.Volume.PinAsync("a", pin: true, null, CancellationToken.None)).Value;

        report.Failures.Should().ContainSingle().Which.Path.Should().Be("a");
        o.Volume.Attr(a).Pinned.Should().BeTrue();
    }

    [Fact]
    public async Task Pin_MissingPath_NotFound()
    {
        using var o = new OriginVolume();

        (await o.Volume.PinAsync("nope", pin: true, null, CancellationToken.None)).Status.Should().Be(FsStatus.NotFound);
    }

    [Fact]
    public async Task RemoteChange_PinnedFile_NewVersionFetched()
    {
        using var o = new OriginVolume();
        var a = o.Put("a", VolumeTestExtensions.Bytes(4096, 1), originId: 7);
        (await o.Volume.PinAsync("a", pin: true, null, CancellationToken.None)).IsOk.Should().BeTrue();

        o.Put("a", VolumeTestExtensions.Bytes(8192, 2), originId: 7);

        (await Eventually(() => o.Volume.Attr(a).Content == ContentState.Complete && o.Volume.Attr(a).Size == 8192)).Should().BeTrue();
        o.Origin.Failure = FsStatus.ContentUnavailable;
        o.Volume.ReadAll(a).Should().Equal(VolumeTestExtensions.Bytes(8192, 2), "served from the cache");
    }

    [Fact]
    public async Task RemoteNewFile_InPinnedDirectory_PinnedAndFetched()
    {
        using var o = new OriginVolume();
        o.Test.MakeDir("shots");
        (await o.Volume.PinAsync("shots", pin: true, null, CancellationToken.None)).IsOk.Should().BeTrue();

        var added = o.Put("shots/new", VolumeTestExtensions.Bytes(6000, 3));

        o.Volume.Attr(added).Pinned.Should().BeTrue();
        (await Eventually(() => o.Volume.Attr(added).Content == ContentState.Complete)).Should().BeTrue();
    }

    [Fact]
    public async Task RemoteChange_UnpinnedFile_StaysPlaceholder()
    {
        using var o = new OriginVolume();
        var a = o.Put("a", VolumeTestExtensions.Bytes(4096, 1), originId: 7);
        o.Read(a);

        o.Put("a", VolumeTestExtensions.Bytes(8192, 2), originId: 7);
        await Task.Yield();

        o.Volume.Attr(a).Content.Should().Be(ContentState.Placeholder);
    }

    private static async Task<bool> Eventually(Func<bool> condition)
    {
        var deadline = Environment.TickCount64 + 10_000;
        while (!condition())
        {
            if (Environment.TickCount64 > deadline)
                return false;
            await Task.Delay(10);
        }

        return true;
    }

    private sealed class Collect(List<PinProgress> seen) : IProgress<PinProgress>
    {
        public void Report(PinProgress value) => seen.Add(value);
    }
}
