using CacheFs.Nodes;
using CacheFs.Volume;

namespace CacheFs.Tests.Volume;

public sealed class SymlinkTests
{
    private const long Root = NodeIds.Root;

    [Fact]
    public void MakeSymlink_New_SymlinkWithTargetAndFullMode()
    {
        using var t = new TestVolume();

        var made = t.Volume.MakeSymlink(Root, "l", "../some/where", new NewNode(Convert.ToUInt32("600", 8), 7, 8));

        made.Status.Should().Be(FsStatus.Ok);
        made.Value.Kind.Should().Be(NodeKind.Symlink);
        made.Value.Mode.Should().Be(Convert.ToUInt32("777", 8));
        made.Value.Uid.Should().Be(7);
        made.Value.Gid.Should().Be(8);
        made.Value.Size.Should().Be("../some/where".Length);
        made.Value.LinkCount.Should().Be(1);
        t.Volume.ReadLink(made.Value.Id).Value.Should().Be("../some/where");
        t.Volume.Lookup(Root, "l").Value.Kind.Should().Be(NodeKind.Symlink);
    }

    [Fact]
    public void MakeSymlink_MultiByteTarget_SizeInUtf8Bytes()
    {
        using var t = new TestVolume();

        var made = t.Volume.MakeSymlink(Root, "l", "ünïcødé/🎬", TestVolume.Owner);

        made.Value.Size.Should().Be(System.Text.Encoding.UTF8.GetByteCount("ünïcødé/🎬"));
        made.Value.Size.Should().Be(16);
        t.Volume.ReadLink(made.Value.Id).Value.Should().Be("ünïcødé/🎬");
    }

    [Fact]
    public void MakeSymlink_DanglingTarget_Allowed()
    {
        using var t = new TestVolume();

        var made = t.Volume.MakeSymlink(Root, "l", "/does/not/exist", TestVolume.Owner);

        made.Status.Should().Be(FsStatus.Ok);
        t.Volume.ReadLink(made.Value.Id).Value.Should().Be("/does/not/exist");
    }

    [Fact]
    public void MakeSymlink_TargetOfMaxLength_Ok()
    {
        using var t = new TestVolume();
        var target = new string('€', CacheVolume.MaxSymlinkTarget / 3); // 4095 bytes exactly

        var made = t.Volume.MakeSymlink(Root, "l", target, TestVolume.Owner);

        made.Status.Should().Be(FsStatus.Ok);
        made.Value.Size.Should().Be(CacheVolume.MaxSymlinkTarget);
        t.Volume.ReadLink(made.Value.Id).Value.Should().Be(target);
    }

    [Fact]
    public void MakeSymlink_TargetTooLong_NameTooLong()
    {
        using var t = new TestVolume();

        t.Volume.MakeSymlink(Root, "l", new string('a', CacheVolume.MaxSymlinkTarget + 1), TestVolume.Owner).Status.Should().Be(FsStatus.NameTooLong);
        t.Volume.MakeSymlink(Root, "m", new string('€', 1365) + "a", TestVolume.Owner).Status.Should().Be(FsStatus.NameTooLong); // 4095 bytes + 1

        t.List().Should().BeEmpty();
    }

    [Theory]
    [InlineData("")]
    [InlineData("a\0b")]
    public void MakeSymlink_EmptyOrNulTarget_InvalidArgument(string target)
    {
        using var t = new TestVolume();

        t.Volume.MakeSymlink(Root, "l", target, TestVolume.Owner).Status.Should().Be(FsStatus.InvalidArgument);
        t.List().Should().BeEmpty();
    }

    [Fact]
    public void MakeSymlink_ExistingName_Exists()
    {
        using var t = new TestVolume();
        t.MakeFile("l");

        t.Volume.MakeSymlink(Root, "l", "x", TestVolume.Owner).Status.Should().Be(FsStatus.Exists);
    }

    [Theory]
    [InlineData("", FsStatus.InvalidName)]
    [InlineData(".", FsStatus.InvalidName)]
    [InlineData("..", FsStatus.InvalidName)]
    [InlineData("a/b", FsStatus.InvalidName)]
    public void MakeSymlink_BadName_Refused(string name, FsStatus expected)
    {
        using var t = new TestVolume();

        t.Volume.MakeSymlink(Root, name, "x", TestVolume.Owner).Status.Should().Be(expected);
    }

    [Fact]
    public void MakeSymlink_NameTooLong_NameTooLong()
    {
        using var t = new TestVolume();

        t.Volume.MakeSymlink(Root, new string('n', 256), "x", TestVolume.Owner).Status.Should().Be(FsStatus.NameTooLong);
    }

    [Fact]
    public void MakeSymlink_MissingOrFileParent_NotFoundOrNotDirectory()
    {
        using var t = new TestVolume();
        var f = t.MakeFile("f");

        t.Volume.MakeSymlink(6060, "l", "x", TestVolume.Owner).Status.Should().Be(FsStatus.NotFound);
        t.Volume.MakeSymlink(f, "l", "x", TestVolume.Owner).Status.Should().Be(FsStatus.NotDirectory);
    }

    [Fact]
    public void ReadLink_NotASymlink_InvalidArgument()
    {
        using var t = new TestVolume();
        var f = t.MakeFile("f");
        var d = t.MakeDir("d");

        t.Volume.ReadLink(f).Status.Should().Be(FsStatus.InvalidArgument);
        t.Volume.ReadLink(d).Status.Should().Be(FsStatus.InvalidArgument);
        t.Volume.ReadLink(Root).Status.Should().Be(FsStatus.InvalidArgument);
    }

    [Fact]
    public void ReadLink_Missing_NotFound()
    {
        using var t = new TestVolume();

        t.Volume.ReadLink(1234).Status.Should().Be(FsStatus.NotFound);
    }

    [Fact]
    public void ReadLink_AfterUnlink_NotFound()
    {
        using var t = new TestVolume();
        var l = t.Volume.MakeSymlink(Root, "l", "x", TestVolume.Owner).Value;
        t.Volume.Unlink(Root, "l").Ok();

        t.Volume.ReadLink(l.Id).Status.Should().Be(FsStatus.NotFound);
    }

    [Fact]
    public void MakeSymlink_RenamedThenReopened_TargetKept()
    {
        using var t = new TestVolume();
        var l = t.Volume.MakeSymlink(Root, "l", "a/b/c", TestVolume.Owner).Value;
        var d = t.MakeDir("d");
        t.Volume.Rename(Root, "l", d, "moved").Ok();

        t.Reopen();

        var found = t.Volume.At("/d/moved");
        found.Id.Should().Be(l.Id);
        found.Kind.Should().Be(NodeKind.Symlink);
        t.Volume.ReadLink(found.Id).Value.Should().Be("a/b/c");
    }

    [Fact]
    public void MakeSymlink_New_MovesParentTimes()
    {
        using var t = new TestVolume();
        t.Volume.Backdate(Root);

        t.Volume.MakeSymlink(Root, "l", "x", TestVolume.Owner).Status.Should().Be(FsStatus.Ok);

        t.Volume.Attr(Root).ModifyTime.Should().BeGreaterThan(VolumeTestExtensions.Past);
        t.Volume.Attr(Root).LinkCount.Should().Be(2);
    }
}
