using CacheFs.Hosts.Fuse;

namespace CacheFs.Tests.Hosts.Fuse;

public sealed class KernelInodesTests
{
    [Fact]
    public void Forget_AllLookupsGivenBack_DropsTheInode()
    {
        var dropped = new List<long>();
        var inodes = new KernelInodes(dropped.Add);
        inodes.Looked(5);
        inodes.Looked(5);
        inodes.Looked(6);

        inodes.Forget(5, 1);
        dropped.Should().BeEmpty();
        inodes.LookupsOf(5).Should().Be(1);

        inodes.Forget(5, 1);
        dropped.Should().Equal(5);
        inodes.LookupsOf(5).Should().Be(0);
        inodes.Count.Should().Be(1);
    }

    [Fact]
    public void Forget_UnknownInode_IsIgnored()
    {
        var dropped = new List<long>();
        var inodes = new KernelInodes(dropped.Add);

        inodes.Forget(9, 3);

        dropped.Should().BeEmpty();
        inodes.Count.Should().Be(0);
    }

    [Fact]
    public void LookedAndForget_ManyThreads_EndAtZero()
    {
        var dropped = 0;
        var inodes = new KernelInodes(_ => Interlocked.Increment(ref dropped));

        Parallel.For(0, 8, _ =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                inodes.Looked(i % 7);
                inodes.Forget(i % 7, 1);
            }
        });

        inodes.Count.Should().Be(0);
        dropped.Should().BePositive();
    }
}
