using CacheFs.Eviction;
using CacheFs.Nodes;

namespace CacheFs.Tests.Eviction;

public sealed class EvictionPolicyTests
{
    private static CachedFile File(long id, long cached, long lastAccessSeconds, bool dirty = false, bool pinned = false) =>
        new(id, cached, cached > 0 ? ContentState.Complete : ContentState.Placeholder, cached, dirty, pinned, Timestamp.FromUnix(lastAccessSeconds, 0));

    [Fact]
    public void Order_MixedAccessTimes_LeastRecentlyUsedFirst()
    {
        var order = EvictionPolicy.Order([File(1, 10, 300), File(2, 10, 100), File(3, 10, 200)]);

        order.Select(f => f.Id).Should().Equal(2, 3, 1);
    }

    [Fact]
    public void Order_SameAccessTime_BiggerFirst()
    {
        EvictionPolicy.Order([File(1, 10, 100), File(2, 30, 100)]).Select(f => f.Id).Should().Equal(2, 1);
    }

    [Fact]
    public void Order_PlaceholdersAndRecentFiles_Left()
    {
        var order = EvictionPolicy.Order([File(1, 0, 100), File(2, 10, 100), File(3, 10, 500)], usedBefore: Timestamp.FromUnix(400, 0));

        order.Select(f => f.Id).Should().Equal(2);
    }

    [Fact]
    public void Forbidden_DirtyOrPinned_SaysWhy()
    {
        EvictionPolicy.Forbidden(File(1, 10, 1, dirty: true)).Should().Be(SkipReason.Dirty);
        EvictionPolicy.Forbidden(File(1, 10, 1, pinned: true)).Should().Be(SkipReason.Pinned);
        EvictionPolicy.Forbidden(File(1, 10, 1)).Should().BeNull();
    }
}
