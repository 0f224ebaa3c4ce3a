using CacheFs.Eviction;
using CacheFs.Nodes;
using CacheFs.Volume;

namespace CacheFs.Tests.Volume;

/// <summary>Eviction frees clean, closed, unpinned content, least recently used first, and keeps the metadata.</summary>
public sealed class EvictionTests
{
    [Fact]
    public void Evict_CleanClosedFile_PlaceholderWithoutObject_ReadFetchesAgain()
    {
        using var o = new OriginVolume();
        var content = VolumeTestExtensions.Bytes(10_000);
        var id = o.Put("a.bin", content);
        o.Read(id).Should().Equal(content);
        o.Volume.Attr(id).Content.Should().Be(ContentState.Complete);

        var report = o.Volume.Evict(new EvictionRequest()).Value;

        report.Freed.Should().ContainSingle().Which.Should().Be(new EvictedFile("a.bin", 12_288));
        report.CachedBytesAfter.Should().Be(0);
        var node = o.Volume.Attr(id);
        node.Content.Should().Be(ContentState.Placeholder);
        node.Size.Should().Be(10_000, "the metadata stays");
        File.Exists(o.Test.ObjectPath(id)).Should().BeFalse();
        o.Read(id).Should().Equal(content);
    }

    [Fact]
    public void Evict_Reopened_JournalSaysNotPresent()
    {
        using var o = new OriginVolume();
        var id = o.Put("a.bin", VolumeTestExtensions.Bytes(5000));
        o.Read(id);
        o.Volume.Evict(new EvictionRequest()).Value.Freed.Should().HaveCount(1);

        o.Test.Reopen();

        o.Volume.Attr(id).Content.Should().Be(ContentState.Placeholder);
        o.Volume.LastRecovery.MissingContentMarked.Should().Be(0, "the journal said not present before the object went");
        o.Test.JournalLong("SELECT count(*) FROM ranges WHERE node = $id", id).Should().Be(0);
    }

    [Fact]
    public void Evict_ToTarget_LeastRecentlyUsedFirstAndStops()
    {
        using var o = new OriginVolume();
        var ids = Enumerable.Range(0, 4).Select(i => o.Put($"f{i}", VolumeTestExtensions.Bytes(4096, i))).ToList();
        foreach (var i in new[] { 2, 0, 3, 1 })
            o.Read(ids[i]);

        var report = o.Volume.Evict(new EvictionRequest { TargetBytes = 2 * 4096 }).Value;

        report.Freed.Select(f => f.Path).Should().Equal("f2", "f0");
        report.TargetReached.Should().BeTrue();
        o.Volume.Attr(ids[3]).Content.Should().Be(ContentState.Complete);
        o.Volume.Attr(ids[1]).Content.Should().Be(ContentState.Complete);
    }

    [Fact]
    public async Task Evict_OpenDirtyPinned_SkippedWithReasons()
    {
        using var o = new OriginVolume();
        var open = o.Put("open", VolumeTestExtensions.Bytes(4096));
        var dirty = o.Put("dirty", VolumeTestExtensions.Bytes(4096));
        var pinned = o.Put("pinned", VolumeTestExtensions.Bytes(4096));
        foreach (var id in new[] { open, dirty, pinned })
            o.Read(id);
        var h = o.Volume.OpenHandle(dirty);
        o.Volume.WriteAt(h, 0, [1, 2, 3]);
        o.Volume.Release(h).Ok();
        (await o.Volume.PinAsync("pinned", pin: true, null, CancellationToken.None)).IsOk.Should().BeTrue();
        var held = o.Volume.OpenHandle(open, OpenFlags.Read);

        var report = o.Volume.Evict(new EvictionRequest { TargetBytes = 0 }).Value;

        report.Freed.Should().BeEmpty();
        report.Skipped.Select(s => (s.Path, s.Reason)).Should().BeEquivalentTo(new[]
        {
            ("open", (SkipReason?)SkipReason.Open),
            ("dirty", SkipReason.Dirty),
            ("pinned", SkipReason.Pinned),
        });
        report.TargetReached.Should().BeFalse();
        o.Volume.ReadAt(held, 0, 4096).Should().Equal(VolumeTestExtensions.Bytes(4096));
        o.Volume.Release(held).Ok();
        o.Volume.Evict(new EvictionRequest()).Value.Freed.Select(f => f.Path).Should().Equal("open");
    }

    [Fact]
    public void Evict_DryRun_ChangesNothing()
    {
        using var o = new OriginVolume();
        var id = o.Put("a", VolumeTestExtensions.Bytes(4096));
        o.Read(id);

        var report = o.Volume.Evict(new EvictionRequest { DryRun = true }).Value;

        report.Freed.Should().ContainSingle();
        report.CachedBytesAfter.Should().Be(0);
        o.Volume.Attr(id).Content.Should().Be(ContentState.Complete);
        File.Exists(o.Test.ObjectPath(id)).Should().BeTrue();
    }

    [Fact]
    public void Evict_PathAndAge_OnlyMatchingFiles()
    {
        using var o = new OriginVolume();
        o.Test.MakeDir("shots");
        var old = o.Put("shots/old", VolumeTestExtensions.Bytes(4096));
        var elsewhere = o.Put("other", VolumeTestExtensions.Bytes(4096));
        o.Read(old);
        o.Read(elsewhere);
        o.Time.Advance(TimeSpan.FromDays(2));
        var recent = o.Put("shots/recent", VolumeTestExtensions.Bytes(4096));
        o.Read(recent);

        var report = o.Volume.Evict(new EvictionRequest { Path = "/shots", OlderThan = TimeSpan.FromDays(1) }).Value;

        report.Freed.Select(f => f.Path).Should().Equal("shots/old");
        o.Volume.Attr(elsewhere).Content.Should().Be(ContentState.Complete);
        o.Volume.Attr(recent).Content.Should().Be(ContentState.Complete);
    }

    [Fact]
    public void Evict_MissingPath_NotFound()
    {
        using var o = new OriginVolume();

        o.Volume.Evict(new EvictionRequest { Path = "nope" }).Status.Should().Be(FsStatus.NotFound);
    }

    [Fact]
    public void Evict_PartialFile_RangesDropped()
    {
        using var o = new OriginVolume();
        var id = o.Put("big", VolumeTestExtensions.Bytes(1 << 20));
        var h = o.Volume.OpenHandle(id, OpenFlags.Read);
        o.Volume.ReadAt(h, 0, 4096);
        o.Volume.Release(h).Ok();
        o.Volume.Attr(id).Content.Should().Be(ContentState.Partial);

        o.Volume.Evict(new EvictionRequest()).Value.Freed.Should().ContainSingle();

        o.Volume.Attr(id).Content.Should().Be(ContentState.Placeholder);
        o.Test.JournalLong("SELECT count(*) FROM ranges WHERE node = $id", id).Should().Be(0);
    }
}
