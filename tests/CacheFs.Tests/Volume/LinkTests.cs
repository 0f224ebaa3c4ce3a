using CacheFs.Nodes;
using CacheFs.Volume;

namespace CacheFs.Tests.Volume;

public sealed class LinkTests
{
    private const long Root = NodeIds.Root;

    [Fact]
    public void Link_File_SecondNameSameNode()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("a", [1, 2, 3]);
        var d = t.MakeDir("d");

        var linked = t.Volume.Link(id, d, "b");

        linked.Status.Should().Be(FsStatus.Ok);
        linked.Value.Id.Should().Be(id);
        linked.Value.LinkCount.Should().Be(2);
        t.Volume.At("/d/b").Id.Should().Be(id);
        t.Volume.At("/a").LinkCount.Should().Be(2);
        t.Volume.Attr(d).LinkCount.Should().Be(2, "a file link is not a subdirectory");
    }

    [Fact]
    public void Link_WriteThroughOneName_ReadThroughOther()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("a");
        t.Volume.Link(id, Root, "b").Status.Should().Be(FsStatus.Ok);

        var viaA = t.Volume.OpenHandle(t.Volume.At("/a").Id);
        t.Volume.WriteAt(viaA, 0, "shared"u8.ToArray());

        var viaB = t.Volume.OpenHandle(t.Volume.At("/b").Id, OpenFlags.Read);
        t.Volume.ReadAt(viaB, 0, 100).Should().Equal("shared"u8.ToArray(), "both names reach one content object");
        t.Volume.At("/b").Size.Should().Be(6);
        t.Volume.Release(viaA).Ok();
        t.Volume.Release(viaB).Ok();
        t.ObjectFiles().Should().HaveCount(1);
    }

    [Fact]
    public void Link_WriteAfterClosing_OtherNameSeesIt()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("a", [1]);
        t.Volume.Link(id, Root, "b").Status.Should().Be(FsStatus.Ok);

        var h = t.Volume.OpenHandle(t.Volume.At("/b").Id);
        t.Volume.WriteAt(h, 1, [2, 3]);
        t.Volume.Release(h).Ok();

        t.ReadAll(t.Volume.At("/a").Id).Should().Equal(1, 2, 3);
        t.Reopen();
        t.ReadAll(t.Volume.At("/a").Id).Should().Equal(1, 2, 3);
        t.Volume.At("/b").LinkCount.Should().Be(2);
    }

    [Fact]
    public void Link_File_MovesCtimeAndParentTimes()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("a", [1]);
        var d = t.MakeDir("d");
        t.Volume.Backdate(id);
        t.Volume.Backdate(d);

        t.Volume.Link(id, d, "b").Status.Should().Be(FsStatus.Ok);

        var node = t.Volume.Attr(id);
        node.ChangeTime.Should().BeGreaterThan(VolumeTestExtensions.Past);
        node.ModifyTime.Should().Be(VolumeTestExtensions.Past);
        t.Volume.Attr(d).ModifyTime.Should().BeGreaterThan(VolumeTestExtensions.Past);
    }

    [Fact]
    public void Link_Symlink_Allowed()
    {
        using var t = new TestVolume();
        var link = t.Volume.MakeSymlink(Root, "l", "target", TestVolume.Owner).Value;

        t.Volume.Link(link.Id, Root, "l2").Value.LinkCount.Should().Be(2);

        t.Volume.ReadLink(t.Volume.At("/l2").Id).Value.Should().Be("target");
    }

    [Fact]
    public void Link_Fifo_Allowed()
    {
        using var t = new TestVolume();
        var fifo = t.Volume.MakeNode(Root, "p", NodeKind.Fifo, TestVolume.Owner).Value;

        t.Volume.Link(fifo.Id, Root, "p2").Value.LinkCount.Should().Be(2);
        t.Volume.Unlink(Root, "p").Ok();
        t.Volume.At("/p2").LinkCount.Should().Be(1);
    }

    [Fact]
    public void Link_Directory_NotPermitted()
    {
        using var t = new TestVolume();
        var d = t.MakeDir("d");

        t.Volume.Link(d, Root, "d2").Status.Should().Be(FsStatus.NotPermitted);
        t.Volume.Link(Root, d, "root").Status.Should().Be(FsStatus.NotPermitted);
        t.List().Should().Equal("d");
    }

    [Fact]
    public void Link_ExistingName_Exists()
    {
        using var t = new TestVolume();
        var a = t.MakeFile("a");
        t.MakeFile("b");

        t.Volume.Link(a, Root, "b").Status.Should().Be(FsStatus.Exists);
        t.Volume.Link(a, Root, "a").Status.Should().Be(FsStatus.Exists);
        t.Volume.Attr(a).LinkCount.Should().Be(1);
    }

    [Fact]
    public void Link_MissingNode_NotFound()
    {
        using var t = new TestVolume();

        t.Volume.Link(4444, Root, "x").Status.Should().Be(FsStatus.NotFound);
        t.List().Should().BeEmpty();
    }

    [Fact]
    public void Link_MissingTargetDirectory_NotFound()
    {
        using var t = new TestVolume();
        var a = t.MakeFile("a");

        t.Volume.Link(a, 4444, "x").Status.Should().Be(FsStatus.NotFound);
        t.Volume.Attr(a).LinkCount.Should().Be(1);
    }

    [Fact]
    public void Link_TargetDirectoryIsFile_NotDirectory()
    {
        using var t = new TestVolume();
        var a = t.MakeFile("a");
        var f = t.MakeFile("f");

        t.Volume.Link(a, f, "x").Status.Should().Be(FsStatus.NotDirectory);
    }

    [Theory]
    [InlineData("", FsStatus.InvalidName)]
    [InlineData(".", FsStatus.InvalidName)]
    [InlineData("..", FsStatus.InvalidName)]
    [InlineData("x/y", FsStatus.InvalidName)]
    [InlineData("x\0", FsStatus.InvalidName)]
    public void Link_BadName_Refused(string name, FsStatus expected)
    {
        using var t = new TestVolume();
        var a = t.MakeFile("a");

        t.Volume.Link(a, Root, name).Status.Should().Be(expected);
        t.Volume.Attr(a).LinkCount.Should().Be(1);
    }

    [Fact]
    public void Link_NameTooLong_NameTooLong()
    {
        using var t = new TestVolume();
        var a = t.MakeFile("a");

        t.Volume.Link(a, Root, string.Concat(Enumerable.Repeat("🎬", 64))).Status.Should().Be(FsStatus.NameTooLong);
    }

    [Fact]
    public void Link_LastNameRemovedOfOneOfManyLinks_ObjectStaysUntilLastName()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("a", [1]);
        t.Volume.Link(id, Root, "b").Status.Should().Be(FsStatus.Ok);
        t.Volume.Link(id, Root, "c").Status.Should().Be(FsStatus.Ok);

        t.Volume.Unlink(Root, "a").Ok();
        t.Volume.Unlink(Root, "c").Ok();
        File.Exists(t.ObjectPath(id)).Should().BeTrue();
        t.Volume.Attr(id).LinkCount.Should().Be(1);

        t.Volume.Unlink(Root, "b").Ok();
        File.Exists(t.ObjectPath(id)).Should().BeFalse();
        t.Volume.GetAttributes(id).Status.Should().Be(FsStatus.NotFound);
    }

    [Fact]
    public void Link_OpenFileWithUnflushedWrites_KeepsLiveSize()
    {
        using var t = new TestVolume();
        var (id, h) = t.CreateOpen("a");
        t.Volume.WriteAt(h, 0, [1]);
        t.Volume.WriteAt(h, 1, [2, 3]);

        var linked = t.Volume.Link(id, Root, "b");

        linked.Value.Size.Should().Be(3);
        t.Volume.Release(h).Ok();
        t.Reopen();
        t.Volume.At("/b").Size.Should().Be(3);
        t.ReadAll(id).Should().Equal(1, 2, 3);
    }
}
