using System.Runtime.Versioning;
using CacheFs.Hosts.Fuse;
using CacheFs.Nodes;

namespace CacheFs.Tests.Hosts.Fuse;

/// <summary>
/// The host counts the lookups the kernel takes, as the kernel does: one per entry it is handed, readdirplus entries
/// included, "." and ".." excluded. The mount trusts its names for a minute, so no revalidation adds lookups meanwhile.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class FuseHostLookupsTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(1);

    [Fact]
    public void Listing_FilesTheKernelNeverSaw_CountsEachOnceAndNotTheDots()
    {
        using var fx = new FuseMountFixture(new FuseMountOptions { AttributeTimeout = Long, EntryTimeout = Long, NegativeTimeout = Long });
        Directory.CreateDirectory(Path.Combine(fx.MountPoint, "d"));
        var dir = fx.Volume.Volume.Resolve("/d").Value.Id;
        var files = Enumerable.Range(0, 5).Select(i => fx.Volume.MakeFile($"f{i}", [1], parent: dir)).ToArray();
        var inodes = fx.Mount.KernelInodes;
        inodes.LookupsOf(dir).Should().Be(1, "mkdir hands the kernel one entry");

        Shell.Ok("ls -l d", fx.MountPoint).Split('\n').Should().HaveCount(6);

        files.Select(inodes.LookupsOf).Should().AllBeEquivalentTo(1L);
        inodes.LookupsOf(dir).Should().Be(1, "\".\" in a listing is not a lookup");
        inodes.LookupsOf(NodeIds.Root).Should().Be(0, "\"..\" neither, and the kernel never looks the root up");
    }

    [Fact]
    public void HardLinks_TwoNames_OneInodeWithTwoLookups()
    {
        using var fx = new FuseMountFixture(new FuseMountOptions { AttributeTimeout = Long, EntryTimeout = Long, NegativeTimeout = Long });
        File.WriteAllText(Path.Combine(fx.MountPoint, "a"), "x");
        var id = fx.Volume.Volume.Resolve("/a").Value.Id;
        var before = fx.Mount.KernelInodes.LookupsOf(id);

        Shell.Ok("ln a b && stat b >/dev/null", fx.MountPoint);

        fx.Mount.KernelInodes.LookupsOf(id).Should().Be(before + 1, "link hands the kernel the same inode under a second name");
        Shell.Ok("stat -c %h:%i a b", fx.MountPoint).Split('\n').Should().Equal($"2:{id}", $"2:{id}");
    }
}
