using CacheFs.Sync.Engine;

namespace CacheFs.Sync.Tests.Engine;

public sealed class OthersLeasesTests
{
    [Fact]
    public void KnownFree_BeforeTheStreamListedTheLeases_IsFalse()
    {
        var others = new OthersLeases();

        others.KnownFree(7).Should().BeFalse("nothing is known until the stream sends its list: the origin must be asked");
    }

    [Fact]
    public void KnownFree_AfterTheList_FollowsTakenAndEnded()
    {
        var others = new OthersLeases();
        others.Reset([3]);

        others.KnownFree(3).Should().BeFalse();
        others.KnownFree(7).Should().BeTrue();
        others.Taken(7);
        others.KnownFree(7).Should().BeFalse();
        others.Ended(7);
        others.KnownFree(7).Should().BeTrue();
    }

    [Fact]
    public void KnownFree_ANodeTheOriginNeverHad_IsFalse()
    {
        var others = new OthersLeases();
        others.Reset([]);

        others.KnownFree(0).Should().BeFalse("a node without an origin id is not the origin's to vouch for");
    }

    [Fact]
    public void Forget_WhenTheStreamEnds_NothingIsKnownUntilTheNextList()
    {
        var others = new OthersLeases();
        others.Reset([3]);

        others.Forget();

        others.Known.Should().BeFalse();
        others.KnownFree(7).Should().BeFalse();
        others.Reset([]);
        others.KnownFree(3).Should().BeTrue("the new list replaces the old one");
    }
}
