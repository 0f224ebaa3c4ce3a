using CacheFs.Nodes;
using CacheFs.Volume;

namespace CacheFs.Tests.Volume;

public sealed class XattrTests
{
    private const long Root = NodeIds.Root;

    [Fact]
    public void SetXattr_ThenGet_SameBytes()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f");
        byte[] value = [0, 1, 2, 255, 0];

        t.Volume.SetXattr(id, "user.tag", value).Ok();

        t.Volume.GetXattr(id, "user.tag").Value.Should().Equal(value);
    }

    [Fact]
    public void SetXattr_EmptyValue_StoredAsEmpty()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f");

        t.Volume.SetXattr(id, "user.empty", ReadOnlySpan<byte>.Empty).Ok();

        var got = t.Volume.GetXattr(id, "user.empty");
        got.Status.Should().Be(FsStatus.Ok);
        got.Value.Should().BeEmpty();
        t.Volume.ListXattrs(id).Value.Should().Equal("user.empty");
    }

    [Fact]
    public void SetXattr_CreateOrReplace_Overwrites()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f");
        t.Volume.SetXattr(id, "user.k", [1]).Ok();

        t.Volume.SetXattr(id, "user.k", [2, 2]).Ok();

        t.Volume.GetXattr(id, "user.k").Value.Should().Equal(2, 2);
    }

    [Fact]
    public void SetXattr_CreateOnlyOnNew_Ok()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f");

        t.Volume.SetXattr(id, "user.k", [1], XattrSetMode.CreateOnly).Ok();

        t.Volume.GetXattr(id, "user.k").Value.Should().Equal(1);
    }

    [Fact]
    public void SetXattr_CreateOnlyOnExisting_ExistsAndValueKept()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f");
        t.Volume.SetXattr(id, "user.k", [1]).Ok();

        t.Volume.SetXattr(id, "user.k", [9], XattrSetMode.CreateOnly).Should().Be(FsStatus.Exists);

        t.Volume.GetXattr(id, "user.k").Value.Should().Equal(1);
    }

    [Fact]
    public void SetXattr_ReplaceOnlyOnMissing_NoAttribute()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f");

        t.Volume.SetXattr(id, "user.k", [1], XattrSetMode.ReplaceOnly).Should().Be(FsStatus.NoAttribute);

        t.Volume.GetXattr(id, "user.k").Status.Should().Be(FsStatus.NoAttribute);
        t.Volume.ListXattrs(id).Value.Should().BeEmpty();
    }

    [Fact]
    public void SetXattr_ReplaceOnlyOnExisting_Replaces()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f");
        t.Volume.SetXattr(id, "user.k", [1]).Ok();

        t.Volume.SetXattr(id, "user.k", [3], XattrSetMode.ReplaceOnly).Ok();

        t.Volume.GetXattr(id, "user.k").Value.Should().Equal(3);
    }

    [Fact]
    public void SetXattr_ValueOfMaxSize_Ok()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f");
        var value = VolumeTestExtensions.Bytes(CacheVolume.MaxXattrValue);

        t.Volume.SetXattr(id, "user.big", value).Ok();

        t.Volume.GetXattr(id, "user.big").Value.Should().Equal(value);
    }

    [Fact]
    public void SetXattr_ValueTooLarge_ValueTooLargeAndNothingStored()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f");

        t.Volume.SetXattr(id, "user.big", new byte[CacheVolume.MaxXattrValue + 1]).Should().Be(FsStatus.ValueTooLarge);

        t.Volume.GetXattr(id, "user.big").Status.Should().Be(FsStatus.NoAttribute);
    }

    [Fact]
    public void SetXattr_NameOfMaxBytes_OkOneMoreTooLong()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f");
        var name = "user." + new string('é', 125); // 5 + 250 bytes

        t.Volume.SetXattr(id, name, [1]).Ok();
        t.Volume.SetXattr(id, name + "x", [1]).Should().Be(FsStatus.NameTooLong);

        t.Volume.ListXattrs(id).Value.Should().Equal(name);
    }

    [Theory]
    [InlineData("")]
    [InlineData("user.a\0b")]
    public void Xattr_BadName_InvalidArgument(string name)
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f");

        t.Volume.SetXattr(id, name, [1]).Should().Be(FsStatus.InvalidArgument);
        t.Volume.GetXattr(id, name).Status.Should().Be(FsStatus.InvalidArgument);
        t.Volume.RemoveXattr(id, name).Should().Be(FsStatus.InvalidArgument);
    }

    [Fact]
    public void GetXattr_Missing_NoAttribute()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f");

        t.Volume.GetXattr(id, "user.none").Status.Should().Be(FsStatus.NoAttribute);
    }

    [Fact]
    public void ListXattrs_Several_SortedByName()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f");
        t.Volume.SetXattr(id, "user.b", [1]).Ok();
        t.Volume.SetXattr(id, "security.x", [1]).Ok();
        t.Volume.SetXattr(id, "user.a", [1]).Ok();

        t.Volume.ListXattrs(id).Value.Should().Equal("security.x", "user.a", "user.b");
    }

    [Fact]
    public void ListXattrs_None_Empty()
    {
        using var t = new TestVolume();

        t.Volume.ListXattrs(Root).Value.Should().BeEmpty();
    }

    [Fact]
    public void Xattrs_PerNode_NotShared()
    {
        using var t = new TestVolume();
        var a = t.MakeFile("a");
        var b = t.MakeFile("b");

        t.Volume.SetXattr(a, "user.k", [1]).Ok();

        t.Volume.GetXattr(b, "user.k").Status.Should().Be(FsStatus.NoAttribute);
        t.Volume.ListXattrs(b).Value.Should().BeEmpty();
    }

    [Fact]
    public void Xattrs_HardLinks_ShareThem()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("a");
        t.Volume.Link(id, Root, "b").Status.Should().Be(FsStatus.Ok);

        t.Volume.SetXattr(t.Volume.At("/a").Id, "user.k", [5]).Ok();

        t.Volume.GetXattr(t.Volume.At("/b").Id, "user.k").Value.Should().Equal(5);
    }

    [Fact]
    public void RemoveXattr_Existing_Gone()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f");
        t.Volume.SetXattr(id, "user.a", [1]).Ok();
        t.Volume.SetXattr(id, "user.b", [2]).Ok();

        t.Volume.RemoveXattr(id, "user.a").Ok();

        t.Volume.GetXattr(id, "user.a").Status.Should().Be(FsStatus.NoAttribute);
        t.Volume.ListXattrs(id).Value.Should().Equal("user.b");
    }

    [Fact]
    public void RemoveXattr_Missing_NoAttribute()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f");

        t.Volume.RemoveXattr(id, "user.a").Should().Be(FsStatus.NoAttribute);
    }

    [Fact]
    public void Xattr_MissingNode_NotFound()
    {
        using var t = new TestVolume();

        t.Volume.SetXattr(4321, "user.a", [1]).Should().Be(FsStatus.NotFound);
        t.Volume.GetXattr(4321, "user.a").Status.Should().Be(FsStatus.NotFound);
        t.Volume.ListXattrs(4321).Status.Should().Be(FsStatus.NotFound);
        t.Volume.RemoveXattr(4321, "user.a").Should().Be(FsStatus.NotFound);
    }

    [Fact]
    public void Xattr_UnlinkedClosedFile_NotFound()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f");
        t.Volume.Unlink(Root, "f").Ok();

        t.Volume.SetXattr(id, "user.a", [1]).Should().Be(FsStatus.NotFound);
        t.Volume.ListXattrs(id).Status.Should().Be(FsStatus.NotFound);
    }

    [Fact]
    public void Xattr_UnlinkedOpenFile_StillWorks()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f");
        var h = t.Volume.OpenHandle(id);
        t.Volume.Unlink(Root, "f").Ok();

        t.Volume.SetXattr(id, "user.a", [1]).Ok();

        t.Volume.GetXattr(id, "user.a").Value.Should().Equal(1);
        t.Volume.Release(h).Ok();
        t.Volume.GetXattr(id, "user.a").Status.Should().Be(FsStatus.NotFound);
    }

    [Theory]
    [InlineData("dir")]
    [InlineData("symlink")]
    [InlineData("fifo")]
    public void SetXattr_NonFileNodes_Supported(string kind)
    {
        using var t = new TestVolume();
        var id = kind switch
        {
            "dir" => t.MakeDir("n"),
            "symlink" => t.Volume.MakeSymlink(Root, "n", "x", TestVolume.Owner).Value.Id,
            _ => t.Volume.MakeNode(Root, "n", NodeKind.Fifo, TestVolume.Owner).Value.Id,
        };

        t.Volume.SetXattr(id, "trusted.k", [7]).Ok();

        t.Volume.GetXattr(id, "trusted.k").Value.Should().Equal(7);
    }

    [Fact]
    public void SetXattr_New_MovesChangeTimeNotModifyTime()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", [1]);
        t.Volume.Backdate(id);

        t.Volume.SetXattr(id, "user.a", [1]).Ok();

        var a = t.Volume.Attr(id);
        a.ChangeTime.Should().BeGreaterThan(VolumeTestExtensions.Past);
        a.ModifyTime.Should().Be(VolumeTestExtensions.Past);
    }

    [Fact]
    public void RemoveXattr_Existing_MovesChangeTime()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", [1]);
        t.Volume.SetXattr(id, "user.a", [1]).Ok();
        t.Volume.Backdate(id);

        t.Volume.RemoveXattr(id, "user.a").Ok();

        t.Volume.Attr(id).ChangeTime.Should().BeGreaterThan(VolumeTestExtensions.Past);
    }

    [Fact]
    public void SetXattr_Refused_KeepsChangeTime()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", [1]);
        t.Volume.SetXattr(id, "user.a", [1]).Ok();
        t.Volume.Backdate(id);

        t.Volume.SetXattr(id, "user.a", [2], XattrSetMode.CreateOnly).Should().Be(FsStatus.Exists);
        t.Volume.RemoveXattr(id, "user.none").Should().Be(FsStatus.NoAttribute);

        t.Volume.Attr(id).ChangeTime.Should().Be(VolumeTestExtensions.Past);
    }

    [Fact]
    public void SetXattr_OnOpenFileWithUnflushedWrites_SizeKept()
    {
        using var t = new TestVolume();
        var (id, h) = t.CreateOpen("f");
        t.Volume.WriteAt(h, 0, [1]);
        t.Volume.WriteAt(h, 1, [2, 3, 4]);

        t.Volume.SetXattr(id, "user.a", [1]).Ok();

        t.Volume.Attr(id).Size.Should().Be(4);
        t.Volume.Release(h).Ok();
        t.Reopen();
        t.Volume.Attr(id).Size.Should().Be(4);
    }

    [Fact]
    public void ListXattrs_AfterReopen_SameNamesAndValues()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f");
        t.Volume.SetXattr(id, "user.a", [1, 2]).Ok();
        t.Volume.SetXattr(id, "user.b", [3]).Ok();

        t.Reopen();

        t.Volume.ListXattrs(id).Value.Should().Equal("user.a", "user.b");
        t.Volume.GetXattr(id, "user.a").Value.Should().Equal(1, 2);
    }
}
