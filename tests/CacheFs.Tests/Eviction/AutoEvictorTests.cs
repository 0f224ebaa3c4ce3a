using CacheFs.Eviction;
using CacheFs.Nodes;
using CacheFs.Tests.Volume;

namespace CacheFs.Tests.Eviction;

public sealed class AutoEvictorTests
{
    private static readonly TimeSpan Never = TimeSpan.FromDays(1);

    [Fact]
    public async Task RunOnce_AboveHighWatermark_DownToLowWithoutDirtyOrPinned()
    {
        using var o = new OriginVolume();
        var ids = Enumerable.Range(0, 10).Select(i => o.Put($"f{i}", VolumeTestExtensions.Bytes(4096, i))).ToList();
        foreach (var id in ids)
            o.Read(id);
        var h = o.Volume.OpenHandle(ids[0]);
        o.Volume.WriteAt(h, 0, [9]);
        o.Volume.Release(h).Ok();
        (await o.Volume.PinAsync("f1", pin: true, null, CancellationToken.None)).IsOk.Should().BeTrue();
        using var evictor = new AutoEvictor(o.Volume, new CacheQuota(10 * 4096, 90, 50), TestVolume.Logger, interval: Never, freeDisk: () => long.MaxValue);

        var report = evictor.RunOnce();

        report.Should().NotBeNull();
        o.Volume.CachedBytes().Should().BeLessThanOrEqualTo(5 * 4096);
        report!.Freed.Select(f => f.Path).Should().Equal("f2", "f3", "f4", "f5", "f6");
        o.Volume.Attr(ids[0]).Content.Should().Be(ContentState.Complete, "dirty");
        o.Volume.Attr(ids[1]).Content.Should().Be(ContentState.Complete, "pinned");
        evictor.RunOnce().Should().BeNull("under the high watermark now");
    }

    [Fact]
    public void RunOnce_UnderHighWatermark_Nothing()
    {
        using var o = new OriginVolume();
        o.Read(o.Put("a", VolumeTestExtensions.Bytes(4096)));
        using var evictor = new AutoEvictor(o.Volume, new CacheQuota(100_000), TestVolume.Logger, interval: Never, freeDisk: () => long.MaxValue);

        evictor.RunOnce().Should().BeNull();
    }

    [Fact]
    public void RunOnce_DiskShort_Evicts()
    {
        using var o = new OriginVolume();
        var a = o.Put("a", VolumeTestExtensions.Bytes(4096));
        o.Read(a);
        using var evictor = new AutoEvictor(o.Volume, new CacheQuota(1 << 30, MinFreeBytes: 1000), TestVolume.Logger, interval: Never, freeDisk: () => 10);

        evictor.RunOnce()!.Freed.Should().ContainSingle();
        o.Volume.Attr(a).Content.Should().Be(ContentState.Placeholder);
    }
}
