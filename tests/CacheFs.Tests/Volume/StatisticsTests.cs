using CacheFs.Nodes;
using CacheFs.Names;

namespace CacheFs.Tests.Volume;

public sealed class StatisticsTests
{
    [Fact]
    public void GetStatistics_NewVolume_PlausibleFigures()
    {
        using var t = new TestVolume();

        var stats = t.Volume.GetStatistics();

        stats.Status.Should().Be(FsStatus.Ok);
        var s = stats.Value;
        s.BlockSize.Should().Be(4096);
        s.MaxNameLength.Should().Be(NameRules.MaxNameBytes).And.Be(255);
        s.TotalBytes.Should().BePositive();
        s.FreeBytes.Should().BeInRange(0, s.TotalBytes);
        s.AvailableBytes.Should().BeInRange(0, s.FreeBytes);
        s.Nodes.Should().Be(1, "a new volume holds only its root");
        s.FreeNodes.Should().BeGreaterThanOrEqualTo(0);
    }

    [Fact]
    public void GetStatistics_AnyVolume_MatchesDriveOfCacheDirectory()
    {
        using var t = new TestVolume();
        var drive = new DriveInfo(Path.GetFullPath(t.Directory));

        var s = t.Volume.GetStatistics().Value;

        s.TotalBytes.Should().Be(drive.TotalSize);
        s.FreeNodes.Should().Be(s.AvailableBytes / s.BlockSize);
    }

    [Fact]
    public void GetStatistics_NodeCount_FollowsCreatesAndRemoves()
    {
        using var t = new TestVolume();
        var d = t.MakeDir("d");
        t.MakeFile("f", parent: d);
        t.Volume.MakeSymlink(NodeIds.Root, "l", "d", TestVolume.Owner).Status.Should().Be(FsStatus.Ok);
        t.Volume.Link(t.Volume.At("/d/f").Id, NodeIds.Root, "hard").Status.Should().Be(FsStatus.Ok);

        t.Volume.GetStatistics().Value.Nodes.Should().Be(4, "root, d, f and l; a hard link is not a node");

        t.Volume.Unlink(NodeIds.Root, "l").Ok();
        t.Volume.Unlink(d, "f").Ok();
        t.Volume.GetStatistics().Value.Nodes.Should().Be(3);

        t.Volume.Unlink(NodeIds.Root, "hard").Ok();
        t.Volume.RemoveDirectory(NodeIds.Root, "d").Ok();
        t.Volume.GetStatistics().Value.Nodes.Should().Be(1);
    }
}
