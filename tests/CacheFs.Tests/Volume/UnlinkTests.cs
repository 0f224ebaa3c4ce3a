using CacheFs.Nodes;
using CacheFs.Volume;

namespace CacheFs.Tests.Volume;

public sealed class UnlinkTests
{
    private const long Root = NodeIds.Root;

    [Fact]
    public void Unlink_ClosedFile_NameNodeAndObjectGone()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", [1, 2, 3]);
        File.Exists(t.ObjectPath(id)).Should().BeTrue();

        t.Volume.Unlink(Root, "f").Ok();

        t.Volume.Lookup(Root, "f").Status.Should().Be(FsStatus.NotFound);
        t.Volume.GetAttributes(id).Status.Should().Be(FsStatus.NotFound);
        File.Exists(t.ObjectPath(id)).Should().BeFalse();
        t.ObjectFiles().Should().BeEmpty();
        t.List().Should().BeEmpty();
    }

    [Fact]
    public void Unlink_EmptyFileWithoutObject_Ok()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f");

        t.Volume.Unlink(Root, "f").Ok();

        t.Volume.GetAttributes(id).Status.Should().Be(FsStatus.NotFound);
    }

    [Fact]
    public void Unlink_OpenFile_ReadableAndWritableUntilRelease()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", "hello"u8.ToArray());
        var h = t.Volume.OpenHandle(id);

        t.Volume.Unlink(Root, "f").Ok();

        t.Volume.Lookup(Root, "f").Status.Should().Be(FsStatus.NotFound);
        t.List().Should().BeEmpty();
        var attrs = t.Volume.Attr(id);
        attrs.LinkCount.Should().Be(0);
        attrs.Size.Should().Be(5);
        t.Volume.ReadAt(h, 0, 100).Should().Equal("hello"u8.ToArray());
        t.Volume.WriteAt(h, 5, " world"u8.ToArray());
        t.Volume.ReadAt(h, 0, 100).Should().Equal("hello world"u8.ToArray());
        t.Volume.Attr(id).Size.Should().Be(11);
        File.Exists(t.ObjectPath(id)).Should().BeTrue("the content lives until the last handle closes");

        t.Volume.Release(h).Ok();

        t.Volume.GetAttributes(id).Status.Should().Be(FsStatus.NotFound);
        File.Exists(t.ObjectPath(id)).Should().BeFalse();
        t.ObjectFiles().Should().BeEmpty();
        t.JournalLong("SELECT count(*) FROM nodes WHERE id = $id", id).Should().Be(0);
    }

    [Fact]
    public void Unlink_OpenFileWithTwoHandles_GoneOnlyAfterLastRelease()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", [1, 2]);
        var a = t.Volume.OpenHandle(id, OpenFlags.Read);
        var b = t.Volume.OpenHandle(id);

        t.Volume.Unlink(Root, "f").Ok();
        t.Volume.Release(a).Ok();

        t.Volume.ReadAt(b, 0, 10).Should().Equal(1, 2);
        File.Exists(t.ObjectPath(id)).Should().BeTrue();
        t.Volume.Release(b).Ok();
        File.Exists(t.ObjectPath(id)).Should().BeFalse();
        t.Volume.GetAttributes(id).Status.Should().Be(FsStatus.NotFound);
    }

    [Fact]
    public void Unlink_OpenFile_CannotBeLinkedBackOrReopenedAfterRelease()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", [1]);
        var h = t.Volume.OpenHandle(id);
        t.Volume.Unlink(Root, "f").Ok();

        t.Volume.Link(id, Root, "back").Status.Should().Be(FsStatus.NotFound);
        t.Volume.Release(h).Ok();

        t.Volume.Open(id, OpenFlags.Read).Status.Should().Be(FsStatus.NotFound);
        t.List().Should().BeEmpty();
    }

    [Fact]
    public void Unlink_OpenFileThenNewFileSameName_Independent()
    {
        using var t = new TestVolume();
        var old = t.MakeFile("f", [1]);
        var h = t.Volume.OpenHandle(old);
        t.Volume.Unlink(Root, "f").Ok();

        var fresh = t.MakeFile("f", [2, 2]);

        fresh.Should().NotBe(old);
        t.Volume.ReadAt(h, 0, 10).Should().Equal(1);
        t.Volume.Release(h).Ok();
        t.ReadAll(fresh).Should().Equal(2, 2);
        t.Volume.Lookup(Root, "f").Value.Id.Should().Be(fresh);
    }

    [Fact]
    public void Unlink_OpenFile_VolumeCloseRemovesIt()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", [1, 2, 3]);
        t.Volume.OpenHandle(id);
        t.Volume.Unlink(Root, "f").Ok();

        t.Reopen();

        t.Volume.GetAttributes(id).Status.Should().Be(FsStatus.NotFound);
        File.Exists(t.ObjectPath(id)).Should().BeFalse();
        t.Volume.GetStatistics().Value.Nodes.Should().Be(1);
    }

    [Fact]
    public void Unlink_OneOfTwoHardLinks_OtherNameKeepsContent()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("a", [4, 5]);
        t.Volume.Link(id, Root, "b").Status.Should().Be(FsStatus.Ok);
        t.Volume.Backdate(id);

        t.Volume.Unlink(Root, "a").Ok();

        var attrs = t.Volume.Attr(id);
        attrs.LinkCount.Should().Be(1);
        attrs.ChangeTime.Should().BeGreaterThan(VolumeTestExtensions.Past);
        t.Volume.Lookup(Root, "b").Value.Id.Should().Be(id);
        t.ReadAll(id).Should().Equal(4, 5);
        File.Exists(t.ObjectPath(id)).Should().BeTrue();
    }

    [Fact]
    public void Unlink_Symlink_RemovesLinkOnly()
    {
        using var t = new TestVolume();
        var target = t.MakeFile("target", [1]);
        var link = t.Volume.MakeSymlink(Root, "l", "target", TestVolume.Owner).Value;

        t.Volume.Unlink(Root, "l").Ok();

        t.Volume.GetAttributes(link.Id).Status.Should().Be(FsStatus.NotFound);
        t.ReadAll(target).Should().Equal(1);
    }

    [Fact]
    public void Unlink_Fifo_Removed()
    {
        using var t = new TestVolume();
        var fifo = t.Volume.MakeNode(Root, "p", NodeKind.Fifo, TestVolume.Owner).Value;

        t.Volume.Unlink(Root, "p").Ok();

        t.Volume.GetAttributes(fifo.Id).Status.Should().Be(FsStatus.NotFound);
    }

    [Fact]
    public void Unlink_Directory_IsDirectory()
    {
        using var t = new TestVolume();
        var d = t.MakeDir("d");

        t.Volume.Unlink(Root, "d").Should().Be(FsStatus.IsDirectory);

        t.Volume.Lookup(Root, "d").Value.Id.Should().Be(d);
    }

    [Fact]
    public void Unlink_MissingName_NotFound()
    {
        using var t = new TestVolume();

        t.Volume.Unlink(Root, "nope").Should().Be(FsStatus.NotFound);
    }

    [Fact]
    public void Unlink_SecondTime_NotFound()
    {
        using var t = new TestVolume();
        t.MakeFile("f");
        t.Volume.Unlink(Root, "f").Ok();

        t.Volume.Unlink(Root, "f").Should().Be(FsStatus.NotFound);
    }

    [Fact]
    public void Unlink_MissingParent_NotFound()
    {
        using var t = new TestVolume();

        t.Volume.Unlink(777, "f").Should().Be(FsStatus.NotFound);
    }

    [Fact]
    public void Unlink_ParentIsFile_NotDirectory()
    {
        using var t = new TestVolume();
        var f = t.MakeFile("f");

        t.Volume.Unlink(f, "x").Should().Be(FsStatus.NotDirectory);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("\0")]
    public void Unlink_BadName_InvalidName(string name)
    {
        using var t = new TestVolume();

        t.Volume.Unlink(Root, name).Should().Be(FsStatus.InvalidName);
    }

    [Fact]
    public void Unlink_TooLongName_NameTooLong()
    {
        using var t = new TestVolume();

        t.Volume.Unlink(Root, new string('a', 256)).Should().Be(FsStatus.NameTooLong);
    }

    [Fact]
    public void Unlink_File_MovesParentTimesNotLinkCount()
    {
        using var t = new TestVolume();
        var d = t.MakeDir("d");
        t.MakeFile("f", parent: d);
        t.Volume.Backdate(d);

        t.Volume.Unlink(d, "f").Ok();

        var dir = t.Volume.Attr(d);
        dir.ModifyTime.Should().BeGreaterThan(VolumeTestExtensions.Past);
        dir.ChangeTime.Should().BeGreaterThan(VolumeTestExtensions.Past);
        dir.LinkCount.Should().Be(2);
    }

    [Fact]
    public void Unlink_Xattrs_GoWithTheNode()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f");
        t.Volume.SetXattr(id, "user.k", [1]).Ok();

        t.Volume.Unlink(Root, "f").Ok();

        t.JournalLong("SELECT count(*) FROM xattrs WHERE node = $id", id).Should().Be(0);
    }
}
