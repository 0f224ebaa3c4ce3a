using CacheFs.Nodes;
using CacheFs.Volume;

namespace CacheFs.Tests.Volume;

public sealed class RenameTests
{
    private const long Root = NodeIds.Root;

    private static long Make(TestVolume t, string kind, string name, long parent = Root) => kind switch
    {
        "file" => t.MakeFile(name, [1], parent),
        "dir" => t.MakeDir(name, parent),
        "fulldir" => MakeFullDir(t, name, parent),
        "symlink" => t.Volume.MakeSymlink(parent, name, "somewhere", TestVolume.Owner).Value.Id,
        "fifo" => t.Volume.MakeNode(parent, name, NodeKind.Fifo, TestVolume.Owner).Value.Id,
        _ => throw new ArgumentException(kind, nameof(kind)),
    };

    private static long MakeFullDir(TestVolume t, string name, long parent)
    {
        var dir = t.MakeDir(name, parent);
        t.MakeFile("inside", parent: dir);
        return dir;
    }

    [Fact]
    public void Rename_FileToNewName_MovesNameKeepsNode()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("a", [1, 2]);

        t.Volume.Rename(Root, "a", Root, "b").Ok();

        t.Volume.Lookup(Root, "a").Status.Should().Be(FsStatus.NotFound);
        t.Volume.Lookup(Root, "b").Value.Id.Should().Be(id);
        t.ReadAll(id).Should().Equal(1, 2);
        t.List().Should().Equal("b");
    }

    [Fact]
    public void Rename_AcrossDirectories_MovesName()
    {
        using var t = new TestVolume();
        var a = t.MakeDir("a");
        var b = t.MakeDir("b");
        var f = t.MakeFile("f", [5], a);

        t.Volume.Rename(a, "f", b, "g").Ok();

        t.List(a).Should().BeEmpty();
        t.List(b).Should().Equal("g");
        t.Volume.At("/b/g").Id.Should().Be(f);
    }

    [Fact]
    public void Rename_Directory_KeepsChildren()
    {
        using var t = new TestVolume();
        var d = t.MakeDir("d");
        var sub = t.MakeDir("sub", d);
        var f = t.MakeFile("f", [1], sub);
        var e = t.MakeDir("e");

        t.Volume.Rename(Root, "d", e, "moved").Ok();

        t.Volume.At("/e/moved").Id.Should().Be(d);
        t.Volume.At("/e/moved/sub/f").Id.Should().Be(f);
        t.Volume.Resolve("/d").Status.Should().Be(FsStatus.NotFound);
    }

    [Fact]
    public void Rename_AcrossDirectories_NothingMovesOnDisk()
    {
        using var t = new TestVolume();
        var d = t.MakeDir("d");
        var id = t.MakeFile("f", [1, 2, 3], d);
        var objectPath = t.ObjectPath(id);
        var objects = t.ObjectFiles();

        t.Volume.Rename(d, "f", Root, "g").Ok();

        File.Exists(objectPath).Should().BeTrue();
        t.ObjectFiles().Should().BeEquivalentTo(objects);
    }

    [Theory]
    [InlineData("file", "file")]
    [InlineData("file", "symlink")]
    [InlineData("file", "fifo")]
    [InlineData("symlink", "file")]
    [InlineData("symlink", "symlink")]
    [InlineData("fifo", "file")]
    [InlineData("dir", "dir")]
    public void Rename_ReplaceCompatibleKinds_TargetReplaced(string sourceKind, string targetKind)
    {
        using var t = new TestVolume();
        var source = Make(t, sourceKind, "src");
        var target = Make(t, targetKind, "dst");

        t.Volume.Rename(Root, "src", Root, "dst").Ok();

        t.Volume.Lookup(Root, "dst").Value.Id.Should().Be(source);
        t.Volume.Lookup(Root, "src").Status.Should().Be(FsStatus.NotFound);
        t.Volume.GetAttributes(target).Status.Should().Be(FsStatus.NotFound);
        t.List().Should().Equal("dst");
    }

    [Theory]
    [InlineData("file", "dir", FsStatus.IsDirectory)]
    [InlineData("symlink", "dir", FsStatus.IsDirectory)]
    [InlineData("fifo", "dir", FsStatus.IsDirectory)]
    [InlineData("file", "fulldir", FsStatus.IsDirectory)]
    [InlineData("dir", "file", FsStatus.NotDirectory)]
    [InlineData("dir", "symlink", FsStatus.NotDirectory)]
    [InlineData("dir", "fifo", FsStatus.NotDirectory)]
    [InlineData("dir", "fulldir", FsStatus.NotEmpty)]
    [InlineData("fulldir", "fulldir", FsStatus.NotEmpty)]
    public void Rename_ReplaceIncompatible_FailsAndChangesNothing(string sourceKind, string targetKind, FsStatus expected)
    {
        using var t = new TestVolume();
        var source = Make(t, sourceKind, "src");
        var target = Make(t, targetKind, "dst");

        t.Volume.Rename(Root, "src", Root, "dst").Should().Be(expected);

        t.Volume.Lookup(Root, "src").Value.Id.Should().Be(source);
        t.Volume.Lookup(Root, "dst").Value.Id.Should().Be(target);
    }

    [Fact]
    public void Rename_FullDirOntoEmptyDir_Replaced()
    {
        using var t = new TestVolume();
        var source = Make(t, "fulldir", "src");
        var target = t.MakeDir("dst");

        t.Volume.Rename(Root, "src", Root, "dst").Ok();

        t.Volume.At("/dst").Id.Should().Be(source);
        t.List(source).Should().Equal("inside");
        t.Volume.GetAttributes(target).Status.Should().Be(FsStatus.NotFound);
        t.Volume.Attr(Root).LinkCount.Should().Be(3);
    }

    [Theory]
    [InlineData("file", "file")]
    [InlineData("file", "dir")]
    [InlineData("dir", "file")]
    [InlineData("dir", "dir")]
    [InlineData("symlink", "fifo")]
    public void Rename_NoReplaceOntoExisting_Exists(string sourceKind, string targetKind)
    {
        using var t = new TestVolume();
        var source = Make(t, sourceKind, "src");
        var target = Make(t, targetKind, "dst");

        t.Volume.Rename(Root, "src", Root, "dst", RenameMode.NoReplace).Should().Be(FsStatus.Exists);

        t.Volume.Lookup(Root, "src").Value.Id.Should().Be(source);
        t.Volume.Lookup(Root, "dst").Value.Id.Should().Be(target);
    }

    [Theory]
    [InlineData("file")]
    [InlineData("dir")]
    [InlineData("symlink")]
    public void Rename_NoReplaceOntoFreeName_Moves(string kind)
    {
        using var t = new TestVolume();
        var source = Make(t, kind, "src");

        t.Volume.Rename(Root, "src", Root, "dst", RenameMode.NoReplace).Ok();

        t.Volume.Lookup(Root, "dst").Value.Id.Should().Be(source);
        t.List().Should().Equal("dst");
    }

    [Theory]
    [InlineData("file", "file")]
    [InlineData("file", "dir")]
    [InlineData("dir", "file")]
    [InlineData("dir", "dir")]
    [InlineData("fulldir", "file")]
    [InlineData("symlink", "fulldir")]
    [InlineData("fifo", "symlink")]
    public void Rename_ExchangeSameDirectory_SwapsNodes(string aKind, string bKind)
    {
        using var t = new TestVolume();
        var a = Make(t, aKind, "a");
        var b = Make(t, bKind, "b");
        var rootLinks = t.Volume.Attr(Root).LinkCount;

        t.Volume.Rename(Root, "a", Root, "b", RenameMode.Exchange).Ok();

        t.Volume.Lookup(Root, "a").Value.Id.Should().Be(b);
        t.Volume.Lookup(Root, "b").Value.Id.Should().Be(a);
        t.Volume.Attr(Root).LinkCount.Should().Be(rootLinks);
        t.List().Should().BeEquivalentTo("a", "b");
    }

    [Theory]
    [InlineData("file", "file", 2u, 2u)]
    [InlineData("dir", "file", 2u, 3u)]
    [InlineData("file", "dir", 3u, 2u)]
    [InlineData("dir", "dir", 3u, 3u)]
    public void Rename_ExchangeAcrossDirectories_SwapsAndFixesLinkCounts(string aKind, string bKind, uint linksOfP, uint linksOfQ)
    {
        using var t = new TestVolume();
        var p = t.MakeDir("p");
        var q = t.MakeDir("q");
        var a = Make(t, aKind, "a", p);
        var b = Make(t, bKind, "b", q);

        t.Volume.Rename(p, "a", q, "b", RenameMode.Exchange).Ok();

        t.Volume.At("/p/a").Id.Should().Be(b);
        t.Volume.At("/q/b").Id.Should().Be(a);
        t.Volume.Attr(p).LinkCount.Should().Be(linksOfP);
        t.Volume.Attr(q).LinkCount.Should().Be(linksOfQ);
        t.Volume.Attr(Root).LinkCount.Should().Be(4);
    }

    [Fact]
    public void Rename_ExchangeDirectories_ChildrenFollowTheirDirectory()
    {
        using var t = new TestVolume();
        var p = t.MakeDir("p");
        var a = t.MakeDir("a", p);
        var fa = t.MakeFile("fa", parent: a);
        var b = t.MakeDir("b");
        var fb = t.MakeFile("fb", parent: b);

        t.Volume.Rename(p, "a", Root, "b", RenameMode.Exchange).Ok();

        t.Volume.At("/p/a/fb").Id.Should().Be(fb);
        t.Volume.At("/b/fa").Id.Should().Be(fa);
        // Parents follow the exchange: a now lives in the root and b inside p, so p may move into a but not into b.
        t.Volume.Rename(Root, "p", a, "p").Should().Be(FsStatus.Ok);
        t.Volume.Rename(a, "p", b, "x").Should().Be(FsStatus.InvalidArgument, "b now lives inside p");
    }

    [Fact]
    public void Rename_ExchangeMissingTarget_NotFound()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("a");

        t.Volume.Rename(Root, "a", Root, "b", RenameMode.Exchange).Should().Be(FsStatus.NotFound);

        t.Volume.Lookup(Root, "a").Value.Id.Should().Be(id);
        t.List().Should().Equal("a");
    }

    [Fact]
    public void Rename_ExchangeMissingSource_NotFound()
    {
        using var t = new TestVolume();
        t.MakeFile("b");

        t.Volume.Rename(Root, "a", Root, "b", RenameMode.Exchange).Should().Be(FsStatus.NotFound);
    }

    [Fact]
    public void Rename_ExchangeWithItself_NoChange()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("a");

        t.Volume.Rename(Root, "a", Root, "a", RenameMode.Exchange).Ok();

        t.Volume.Lookup(Root, "a").Value.Id.Should().Be(id);
    }

    [Fact]
    public void Rename_ExchangeTwoHardLinksOfOneFile_BothStay()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("a", [1]);
        t.Volume.Link(id, Root, "b").Status.Should().Be(FsStatus.Ok);

        t.Volume.Rename(Root, "a", Root, "b", RenameMode.Exchange).Ok();

        t.Volume.Lookup(Root, "a").Value.Id.Should().Be(id);
        t.Volume.Lookup(Root, "b").Value.Id.Should().Be(id);
        t.Volume.Attr(id).LinkCount.Should().Be(2);
    }

    [Fact]
    public void Rename_ExchangeDirectoryWithItsOwnDescendant_InvalidArgument()
    {
        using var t = new TestVolume();
        var d = t.MakeDir("d");
        var sub = t.MakeDir("sub", d);
        t.MakeFile("x", parent: sub);

        t.Volume.Rename(Root, "d", sub, "x", RenameMode.Exchange).Should().Be(FsStatus.InvalidArgument);
        t.Volume.Rename(sub, "x", Root, "d", RenameMode.Exchange).Should().Be(FsStatus.InvalidArgument);
        t.Volume.Rename(d, "sub", Root, "d", RenameMode.Exchange).Should().Be(FsStatus.InvalidArgument);

        t.Volume.At("/d/sub/x").Kind.Should().Be(NodeKind.File);
    }

    [Fact]
    public void Rename_DirectoryIntoItsOwnSubtree_InvalidArgument()
    {
        using var t = new TestVolume();
        var d = t.MakeDir("d");
        var sub = t.MakeDir("sub", d);
        var deeper = t.MakeDir("deeper", sub);

        t.Volume.Rename(Root, "d", d, "self").Should().Be(FsStatus.InvalidArgument);
        t.Volume.Rename(Root, "d", sub, "x").Should().Be(FsStatus.InvalidArgument);
        t.Volume.Rename(Root, "d", deeper, "x", RenameMode.NoReplace).Should().Be(FsStatus.InvalidArgument);

        t.Volume.At("/d/sub/deeper").Id.Should().Be(deeper);
        t.List().Should().Equal("d");
    }

    [Fact]
    public void Rename_FileIntoSiblingDirectory_Allowed()
    {
        using var t = new TestVolume();
        var d = t.MakeDir("d");
        var f = t.MakeFile("f", parent: d);
        var sub = t.MakeDir("sub", d);

        t.Volume.Rename(d, "f", sub, "f").Ok();

        t.Volume.At("/d/sub/f").Id.Should().Be(f);
    }

    [Fact]
    public void Rename_DirectoryOntoItsNonEmptyParent_NotEmpty()
    {
        using var t = new TestVolume();
        var d = t.MakeDir("d");
        t.MakeDir("sub", d);

        t.Volume.Rename(d, "sub", Root, "d").Should().Be(FsStatus.NotEmpty);
    }

    [Fact]
    public void Rename_OntoSameName_NoChange()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("a", [1]);
        var d = t.MakeDir("d");
        t.Volume.Backdate(Root);

        t.Volume.Rename(Root, "a", Root, "a").Ok();
        t.Volume.Rename(Root, "d", Root, "d").Ok();

        t.Volume.Lookup(Root, "a").Value.Id.Should().Be(id);
        t.Volume.Lookup(Root, "d").Value.Id.Should().Be(d);
        t.Volume.Attr(Root).ModifyTime.Should().Be(VolumeTestExtensions.Past);
    }

    [Fact]
    public void Rename_OntoHardLinkOfItself_NoOpBothNamesStay()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("a", [1, 2]);
        var d = t.MakeDir("d");
        t.Volume.Link(id, d, "b").Status.Should().Be(FsStatus.Ok);

        t.Volume.Rename(Root, "a", d, "b").Ok();

        t.Volume.Lookup(Root, "a").Value.Id.Should().Be(id);
        t.Volume.Lookup(d, "b").Value.Id.Should().Be(id);
        t.Volume.Attr(id).LinkCount.Should().Be(2);
        t.ReadAll(id).Should().Equal(1, 2);
    }

    [Fact]
    public void Rename_NoReplaceOntoHardLinkOfItself_Exists()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("a", [1, 2]);
        t.Volume.Link(id, Root, "b").Status.Should().Be(FsStatus.Ok);

        t.Volume.Rename(Root, "a", Root, "b", RenameMode.NoReplace).Should().Be(FsStatus.Exists);

        t.Volume.Attr(id).LinkCount.Should().Be(2);
        t.List().Should().BeEquivalentTo("a", "b");
    }

    [Fact]
    public void Rename_ReplaceFile_DeletesTargetContentObject()
    {
        using var t = new TestVolume();
        var source = t.MakeFile("src", [1]);
        var target = t.MakeFile("dst", [2, 2]);
        File.Exists(t.ObjectPath(target)).Should().BeTrue();

        t.Volume.Rename(Root, "src", Root, "dst").Ok();

        File.Exists(t.ObjectPath(target)).Should().BeFalse();
        t.ReadAll(source).Should().Equal(1);
    }

    [Fact]
    public void Rename_ReplaceFileWithOtherName_TargetKeepsOtherName()
    {
        using var t = new TestVolume();
        t.MakeFile("src", [1]);
        var target = t.MakeFile("dst", [2]);
        t.Volume.Link(target, Root, "keep").Status.Should().Be(FsStatus.Ok);

        t.Volume.Rename(Root, "src", Root, "dst").Ok();

        var kept = t.Volume.Attr(target);
        kept.LinkCount.Should().Be(1);
        t.Volume.Lookup(Root, "keep").Value.Id.Should().Be(target);
        t.ReadAll(target).Should().Equal(2);
    }

    [Fact]
    public void Rename_ReplaceOpenFile_StillReadableUntilReleaseThenGone()
    {
        using var t = new TestVolume();
        t.MakeFile("src", [1]);
        var target = t.MakeFile("dst", [7, 7, 7]);
        var h = t.Volume.OpenHandle(target);

        t.Volume.Rename(Root, "src", Root, "dst").Ok();

        t.Volume.ReadAt(h, 0, 10).Should().Equal(7, 7, 7);
        t.Volume.Attr(target).LinkCount.Should().Be(0);
        File.Exists(t.ObjectPath(target)).Should().BeTrue();
        t.Volume.Release(h).Ok();
        t.Volume.GetAttributes(target).Status.Should().Be(FsStatus.NotFound);
        File.Exists(t.ObjectPath(target)).Should().BeFalse();
    }

    [Fact]
    public void Rename_MissingSource_NotFound()
    {
        using var t = new TestVolume();
        t.MakeFile("b");

        t.Volume.Rename(Root, "a", Root, "b").Should().Be(FsStatus.NotFound);
        t.Volume.Rename(Root, "a", Root, "c", RenameMode.NoReplace).Should().Be(FsStatus.NotFound);
    }

    [Fact]
    public void Rename_MissingSourceParent_NotFound()
    {
        using var t = new TestVolume();

        t.Volume.Rename(555, "a", Root, "b").Should().Be(FsStatus.NotFound);
    }

    [Fact]
    public void Rename_SourceParentIsFile_NotDirectory()
    {
        using var t = new TestVolume();
        var f = t.MakeFile("f");

        t.Volume.Rename(f, "a", Root, "b").Should().Be(FsStatus.NotDirectory);
    }

    [Fact]
    public void Rename_MissingTargetParent_NotFound()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("a");

        t.Volume.Rename(Root, "a", 555, "b").Should().Be(FsStatus.NotFound);

        t.Volume.Lookup(Root, "a").Value.Id.Should().Be(id);
    }

    [Fact]
    public void Rename_TargetParentIsFile_NotDirectory()
    {
        using var t = new TestVolume();
        t.MakeFile("a");
        var f = t.MakeFile("f");

        t.Volume.Rename(Root, "a", f, "b").Should().Be(FsStatus.NotDirectory);
        t.List().Should().BeEquivalentTo("a", "f");
    }

    [Theory]
    [InlineData("", "b", FsStatus.InvalidName)]
    [InlineData("a", "", FsStatus.InvalidName)]
    [InlineData(".", "b", FsStatus.InvalidName)]
    [InlineData("a", "..", FsStatus.InvalidName)]
    [InlineData("a", "x/y", FsStatus.InvalidName)]
    [InlineData("a", "x\0", FsStatus.InvalidName)]
    public void Rename_BadName_InvalidName(string from, string to, FsStatus expected)
    {
        using var t = new TestVolume();
        t.MakeFile("a");

        t.Volume.Rename(Root, from, Root, to).Should().Be(expected);
        t.List().Should().Equal("a");
    }

    [Fact]
    public void Rename_TargetNameTooLong_NameTooLong()
    {
        using var t = new TestVolume();
        t.MakeFile("a");

        t.Volume.Rename(Root, "a", Root, new string('€', 86)).Should().Be(FsStatus.NameTooLong);
        t.Volume.Rename(Root, "a", Root, new string('€', 85)).Ok();
    }

    [Fact]
    public void Rename_WithinDirectory_CookieKeptSoListingDoesNotRepeat()
    {
        using var t = new TestVolume();
        t.MakeFile("a");
        t.MakeFile("b");
        t.MakeFile("c");
        var first = t.Volume.ReadDirectory(Root, 0, 2).Value;
        first.Select(e => e.Name).Should().Equal("a", "b");

        t.Volume.Rename(Root, "a", Root, "z").Ok();
        var rest = t.Volume.ReadDirectory(Root, first[^1].Cookie, 100).Value;

        rest.Select(e => e.Name).Should().Equal("c");
        t.Volume.ReadDirectory(Root, 0, 100).Value.Single(e => e.Name == "z").Cookie.Should().Be(first[0].Cookie);
    }

    [Fact]
    public void Rename_File_MovesCtimeOfNodeAndTimesOfBothParents()
    {
        using var t = new TestVolume();
        var p = t.MakeDir("p");
        var q = t.MakeDir("q");
        var f = t.MakeFile("f", [1], p);
        foreach (var id in new[] { p, q, f, Root })
            t.Volume.Backdate(id);
        var before = t.Volume.Now();

        t.Volume.Rename(p, "f", q, "f").Ok();

        var node = t.Volume.Attr(f);
        node.ChangeTime.Should().BeGreaterThanOrEqualTo(before);
        node.ModifyTime.Should().Be(VolumeTestExtensions.Past, "a rename does not change content");
        t.Volume.Attr(p).ModifyTime.Should().BeGreaterThanOrEqualTo(before);
        t.Volume.Attr(p).ChangeTime.Should().BeGreaterThanOrEqualTo(before);
        t.Volume.Attr(q).ModifyTime.Should().BeGreaterThanOrEqualTo(before);
        t.Volume.Attr(Root).ModifyTime.Should().Be(VolumeTestExtensions.Past);
    }

    [Fact]
    public void Rename_OpenFile_HandleKeepsWorking()
    {
        using var t = new TestVolume();
        var (id, h) = t.CreateOpen("a");
        t.Volume.WriteAt(h, 0, [1]);
        var d = t.MakeDir("d");

        t.Volume.Rename(Root, "a", d, "b").Ok();
        t.Volume.WriteAt(h, 1, [2]);

        t.Volume.Release(h).Ok();
        t.Volume.At("/d/b").Size.Should().Be(2);
        t.ReadAll(id).Should().Equal(1, 2);
    }

    [Fact]
    public void Rename_OpenFileWithUnflushedSize_SizeNotLost()
    {
        using var t = new TestVolume();
        var (id, h) = t.CreateOpen("a");
        t.Volume.WriteAt(h, 0, [1]);
        t.Volume.WriteAt(h, 1, VolumeTestExtensions.Bytes(999));

        t.Volume.Rename(Root, "a", Root, "b").Ok();

        t.Volume.Attr(id).Size.Should().Be(1000);
        t.Volume.Release(h).Ok();
        t.Reopen();
        t.Volume.At("/b").Size.Should().Be(1000);
    }

    [Fact]
    public void Rename_FileAndDirectory_SurvivesReopen()
    {
        using var t = new TestVolume();
        var d = t.MakeDir("d");
        var f = t.MakeFile("f", [1, 2, 3]);
        t.Volume.Rename(Root, "f", d, "g").Ok();
        t.Volume.Rename(Root, "d", Root, "e").Ok();

        t.Reopen();

        t.Volume.At("/e/g").Id.Should().Be(f);
        t.Volume.At("/e").Id.Should().Be(d);
        t.ReadAll(f).Should().Equal(1, 2, 3);
    }
}
