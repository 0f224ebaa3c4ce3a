using System.Text;
using CacheFs.Nodes;

namespace CacheFs.Tests.Conformance;

/// <summary>Symbolic links: targets, lengths, following and not following.</summary>
public abstract partial class ConformanceCases
{
    [Fact]
    public void Symlink_Target_RoundTripsAndStatsAsASymlink()
    {
        const string target = "../somewhere/ünïcødé file";

        Fs.Symlink(target, "link").Should().Be(FsStatus.Ok);

        Fs.ReadLink("link").Value.Should().Be(target);
        var stat = StatOk("link");
        stat.Kind.Should().Be(NodeKind.Symlink);
        stat.Size.Should().Be(Encoding.UTF8.GetByteCount(target));
        stat.LinkCount.Should().Be(1);
        stat.Uid.Should().Be(Caller.Uid);
    }

    [Fact]
    public void Symlink_TargetOf4095Bytes_RoundTripsAnd4096IsTooLong()
    {
        var longest = string.Concat(Enumerable.Repeat("abcdefghi/", 410))[..4095];

        Fs.Symlink(longest, "long").Should().Be(FsStatus.Ok);
        Fs.Symlink(longest + "x", "longer").Should().Be(FsStatus.NameTooLong);

        Fs.ReadLink("long").Value.Should().Be(longest);
        StatOk("long").Size.Should().Be(4095);
        List().Should().Equal("long");
    }

    [Fact]
    public void Symlink_OntoTakenName_Exists()
    {
        MakeFile("f", [1]);

        Fs.Symlink("elsewhere", "f").Should().Be(FsStatus.Exists);

        StatOk("f").Kind.Should().Be(NodeKind.File);
    }

    [Fact]
    public void ReadLink_NotASymlink_InvalidArgument()
    {
        MakeFile("f");
        Fs.MakeDirectory("d").Should().Be(FsStatus.Ok);

        Fs.ReadLink("f").Status.Should().Be(FsStatus.InvalidArgument);
        Fs.ReadLink("d").Status.Should().Be(FsStatus.InvalidArgument);
        Fs.ReadLink("missing").Status.Should().Be(FsStatus.NotFound);
    }

    [Fact]
    public void Symlink_Dangling_IsMadeListedAndRemovedAsALink()
    {
        Fs.Symlink("not-there", "dangling").Should().Be(FsStatus.Ok);

        Fs.Open("dangling", OpenMode.Read).Status.Should().Be(FsStatus.NotFound);
        List().Should().Equal("dangling");

        Fs.Unlink("dangling").Should().Be(FsStatus.Ok);
        List().Should().BeEmpty();
    }

    [Fact]
    public void Open_ThroughASymlink_ReachesItsTarget()
    {
        MakeFile("target", [1]);
        Fs.Symlink("target", "link").Should().Be(FsStatus.Ok);

        var handle = OpenOk("link", OpenMode.Write | OpenMode.Append);
        WriteAt(handle, 0, [2]);
        Fs.Close(handle).Should().Be(FsStatus.Ok);

        ReadAll("target").Should().Equal(1, 2);
        Fs.Unlink("link").Should().Be(FsStatus.Ok);
        ReadAll("target").Should().Equal(1, 2);
    }

    [Fact]
    public void ChmodAndSetLength_ThroughASymlink_ChangeItsTarget()
    {
        MakeFile("target", [1, 2, 3], Mode("600"));
        Fs.Symlink("target", "link").Should().Be(FsStatus.Ok);

        Fs.Chmod("link", Mode("640")).Should().Be(FsStatus.Ok);
        Fs.SetLength("link", 1).Should().Be(FsStatus.Ok);

        StatOk("target").Mode.Should().Be(Mode("640"));
        ReadAll("target").Should().Equal(1);
        StatOk("link").Kind.Should().Be(NodeKind.Symlink);
    }

    [Fact]
    public void SetTimes_OnASymlink_ChangesTheLinkNotItsTarget()
    {
        MakeFile("target");
        Fs.Symlink("target", "link").Should().Be(FsStatus.Ok);
        var target = StatOk("target");
        var time = Timestamp.FromUnix(1_200_000_000, 42);

        Fs.SetTimes("link", time, time).Should().Be(FsStatus.Ok);

        StatOk("link").ModifyTime.Should().Be(time);
        StatOk("target").ModifyTime.Should().Be(target.ModifyTime);
    }

    [Fact]
    public void Symlink_EmptyTarget_NotFound()
    {
        Fs.Symlink("", "link").Should().Be(FsStatus.NotFound);

        List().Should().BeEmpty();
    }
}
