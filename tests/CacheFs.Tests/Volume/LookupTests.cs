using CacheFs.Nodes;
using CacheFs.Volume;

namespace CacheFs.Tests.Volume;

public sealed class LookupTests
{
    [Fact]
    public void Lookup_ExistingFile_ReturnsItsAttributes()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", [1, 2, 3, 4]);

        var found = t.Volume.Lookup(NodeIds.Root, "f");

        found.Status.Should().Be(FsStatus.Ok);
        found.Value.Id.Should().Be(id);
        found.Value.Kind.Should().Be(NodeKind.File);
        found.Value.Size.Should().Be(4);
    }

    [Fact]
    public void Lookup_ExistingDirectory_ReturnsDirectory()
    {
        using var t = new TestVolume();
        var dir = t.MakeDir("d");

        var found = t.Volume.Lookup(NodeIds.Root, "d");

        found.Value.Id.Should().Be(dir);
        found.Value.IsDirectory.Should().BeTrue();
        found.Value.LinkCount.Should().Be(2);
    }

    [Fact]
    public void Lookup_MissingName_NotFound()
    {
        using var t = new TestVolume();
        t.MakeFile("f");

        t.Volume.Lookup(NodeIds.Root, "g").Status.Should().Be(FsStatus.NotFound);
    }

    [Fact]
    public void Lookup_CaseSensitiveVolume_OtherCaseNotFound()
    {
        using var t = new TestVolume(caseSensitive: true);
        t.MakeFile("File");

        t.Volume.Lookup(NodeIds.Root, "file").Status.Should().Be(FsStatus.NotFound);
        t.Volume.Lookup(NodeIds.Root, "FILE").Status.Should().Be(FsStatus.NotFound);
    }

    [Fact]
    public void Lookup_MissingParent_NotFound()
    {
        using var t = new TestVolume();

        t.Volume.Lookup(999, "x").Status.Should().Be(FsStatus.NotFound);
    }

    [Fact]
    public void Lookup_ParentIsFile_NotDirectory()
    {
        using var t = new TestVolume();
        var file = t.MakeFile("f");

        t.Volume.Lookup(file, "x").Status.Should().Be(FsStatus.NotDirectory);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("d/f")]
    [InlineData("f\0")]
    public void Lookup_BadName_InvalidName(string name)
    {
        using var t = new TestVolume();
        var dir = t.MakeDir("d");
        t.MakeFile("f", parent: dir);

        t.Volume.Lookup(NodeIds.Root, name).Status.Should().Be(FsStatus.InvalidName);
    }

    [Fact]
    public void Lookup_TooLongName_NameTooLong()
    {
        using var t = new TestVolume();

        t.Volume.Lookup(NodeIds.Root, new string('x', 256)).Status.Should().Be(FsStatus.NameTooLong);
    }

    [Fact]
    public void Lookup_OpenFileWithUnflushedWrite_SeesLiveSize()
    {
        using var t = new TestVolume();
        var (_, handle) = t.CreateOpen("f");
        t.Volume.WriteAt(handle, 0, [1]);
        t.Volume.WriteAt(handle, 1, VolumeTestExtensions.Bytes(99));

        t.Volume.Lookup(NodeIds.Root, "f").Value.Size.Should().Be(100);
        t.Volume.Release(handle).Ok();
    }

    [Fact]
    public void GetAttributes_Root_IsDirectoryWithRootOptions()
    {
        using var t = new TestVolume();

        var root = t.Volume.Attr(NodeIds.Root);

        root.Id.Should().Be(NodeIds.Root);
        root.Kind.Should().Be(NodeKind.Directory);
        root.LinkCount.Should().Be(2);
        root.Mode.Should().Be(Convert.ToUInt32("755", 8));
    }

    [Fact]
    public void GetAttributes_UnknownId_NotFound()
    {
        using var t = new TestVolume();

        t.Volume.GetAttributes(0).Status.Should().Be(FsStatus.NotFound);
        t.Volume.GetAttributes(-5).Status.Should().Be(FsStatus.NotFound);
        t.Volume.GetAttributes(123456).Status.Should().Be(FsStatus.NotFound);
    }

    [Fact]
    public void Resolve_Root_ReturnsRoot()
    {
        using var t = new TestVolume();

        t.Volume.At("/").Id.Should().Be(NodeIds.Root);
        t.Volume.At("").Id.Should().Be(NodeIds.Root);
    }

    [Fact]
    public void Resolve_NestedPath_FindsEachLevel()
    {
        using var t = new TestVolume();
        var a = t.MakeDir("a");
        var b = t.MakeDir("b", a);
        var f = t.MakeFile("f.bin", [9], b);

        t.Volume.At("/a").Id.Should().Be(a);
        t.Volume.At("/a/b").Id.Should().Be(b);
        t.Volume.At("/a/b/f.bin").Id.Should().Be(f);
    }

    [Fact]
    public void Resolve_ExtraAndMissingSlashes_Ignored()
    {
        using var t = new TestVolume();
        var a = t.MakeDir("a");
        var f = t.MakeFile("f", parent: a);

        t.Volume.At("a/f").Id.Should().Be(f);
        t.Volume.At("//a///f/").Id.Should().Be(f);
        t.Volume.At("/a/").Id.Should().Be(a);
    }

    [Fact]
    public void Resolve_MissingComponent_NotFound()
    {
        using var t = new TestVolume();
        t.MakeDir("a");

        t.Volume.Resolve("/a/nope").Status.Should().Be(FsStatus.NotFound);
        t.Volume.Resolve("/nope/a").Status.Should().Be(FsStatus.NotFound);
        t.Volume.Resolve("/nope/a/b/c").Status.Should().Be(FsStatus.NotFound);
    }

    [Fact]
    public void Resolve_ThroughFile_NotDirectory()
    {
        using var t = new TestVolume();
        t.MakeFile("f");

        t.Volume.Resolve("/f/x").Status.Should().Be(FsStatus.NotDirectory);
        t.Volume.Resolve("/f/x/y").Status.Should().Be(FsStatus.NotDirectory);
    }

    [Fact]
    public void Resolve_ThroughSymlink_NotDirectoryBecauseLinksAreNotFollowed()
    {
        using var t = new TestVolume();
        var a = t.MakeDir("a");
        t.MakeFile("f", parent: a);
        var link = t.Volume.MakeSymlink(NodeIds.Root, "l", "a", TestVolume.Owner);

        t.Volume.At("/l").Id.Should().Be(link.Value.Id);
        t.Volume.Resolve("/l/f").Status.Should().Be(FsStatus.NotDirectory);
    }

    [Theory]
    [InlineData("/a/./f")]
    [InlineData("/a/../a/f")]
    [InlineData("/..")]
    public void Resolve_DotComponents_InvalidName(string path)
    {
        using var t = new TestVolume();
        var a = t.MakeDir("a");
        t.MakeFile("f", parent: a);

        t.Volume.Resolve(path).Status.Should().Be(FsStatus.InvalidName);
    }

    [Fact]
    public void Resolve_TooLongComponent_NameTooLong()
    {
        using var t = new TestVolume();

        t.Volume.Resolve("/" + new string('a', 256) + "/b").Status.Should().Be(FsStatus.NameTooLong);
    }

    [Fact]
    public void Resolve_CaseInsensitiveVolume_MatchesAnyCase()
    {
        using var t = new TestVolume(caseSensitive: false);
        var dir = t.MakeDir("Docs");
        var f = t.MakeFile("Report.DOCX", parent: dir);

        t.Volume.At("/docs/report.docx").Id.Should().Be(f);
        t.Volume.At("/DOCS/REPORT.docx").Id.Should().Be(f);
    }

    [Fact]
    public void Resolve_AfterRename_NewPathOnly()
    {
        using var t = new TestVolume();
        var a = t.MakeDir("a");
        var f = t.MakeFile("f", parent: a);

        t.Volume.Rename(NodeIds.Root, "a", NodeIds.Root, "b").Ok();

        t.Volume.Resolve("/a/f").Status.Should().Be(FsStatus.NotFound);
        t.Volume.At("/b/f").Id.Should().Be(f);
    }
}
