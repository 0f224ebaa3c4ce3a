using CacheFs.Nodes;
using CacheFs.Volume;

namespace CacheFs.Tests.Conformance;

/// <summary>Names and paths: lengths, separators, "." and "..", case, symlinks on the way.</summary>
public abstract partial class ConformanceCases
{
    [Fact]
    public void Create_NameOf255Bytes_Works()
    {
        var name = new string('n', 255);

        MakeFile(name, [1]);

        List().Should().Equal(name);
        ReadAll(name).Should().Equal(1);
    }

    [Fact]
    public void CreateAndMakeDirectory_NameOf256Bytes_NameTooLong()
    {
        var name = new string('n', 256);

        Fs.Open(name, OpenMode.Write | OpenMode.Create | OpenMode.Exclusive).Status.Should().Be(FsStatus.NameTooLong);
        Fs.MakeDirectory(name).Should().Be(FsStatus.NameTooLong);
        Fs.Stat(name).Status.Should().Be(FsStatus.NameTooLong);
        List().Should().BeEmpty();
    }

    [Fact]
    public void Create_MultiByteName_LimitCountsUtf8Bytes()
    {
        var fits = new string('€', 85); // 255 bytes in UTF-8
        var tooLong = new string('€', 86); // 86 characters, 258 bytes

        MakeFile(fits);
        Fs.MakeDirectory(tooLong).Should().Be(FsStatus.NameTooLong);

        List().Should().Equal(fits);
    }

    [Fact]
    public void Create_UnderMissingDirectory_NotFound()
    {
        Fs.Open("missing/f", OpenMode.Write | OpenMode.Create).Status.Should().Be(FsStatus.NotFound);
        Fs.MakeDirectory("missing/d").Should().Be(FsStatus.NotFound);
    }

    [Fact]
    public void Create_UnderAFile_NotDirectory()
    {
        // '/' can never be part of a name: "f/g" is g inside f, and f is no directory.
        MakeFile("f");

        Fs.Open("f/g", OpenMode.Write | OpenMode.Create).Status.Should().Be(FsStatus.NotDirectory);
        Fs.MakeDirectory("f/d").Should().Be(FsStatus.NotDirectory);
        Fs.Stat("f/g").Status.Should().Be(FsStatus.NotDirectory);
        List().Should().Equal("f");
    }

    [Fact]
    public void Stat_FileWithTrailingSlash_NotDirectory()
    {
        MakeFile("f");
        Fs.MakeDirectory("d/").Should().Be(FsStatus.Ok);

        Fs.Stat("f/").Status.Should().Be(FsStatus.NotDirectory);
        Fs.Unlink("f/").Should().Be(FsStatus.NotDirectory);
        StatOk("d/").Kind.Should().Be(NodeKind.Directory);
        Fs.Open("new/", OpenMode.Write | OpenMode.Create).Status.Should().Be(FsStatus.IsDirectory);
        List().Should().BeEquivalentTo("f", "d");
    }

    [Fact]
    public void Stat_PathThroughDotAndDotDot_NamesTheSameNode()
    {
        Fs.MakeDirectory("a").Should().Be(FsStatus.Ok);
        Fs.MakeDirectory("a/b").Should().Be(FsStatus.Ok);
        MakeFile("a/f");

        var inode = StatOk("a/f").Inode;

        StatOk("a/./f").Inode.Should().Be(inode);
        StatOk("a/b/../f").Inode.Should().Be(inode);
        StatOk("a/b/..").Inode.Should().Be(StatOk("a").Inode);
        StatOk("a//b/").Inode.Should().Be(StatOk("a/b").Inode);
    }

    [Fact]
    public void MakeDirectoryAndFriends_DotOrDotDotAsLastName_Exists()
    {
        Fs.MakeDirectory("d").Should().Be(FsStatus.Ok);
        MakeFile("f");

        Fs.MakeDirectory("d/.").Should().Be(FsStatus.Exists);
        Fs.MakeDirectory("d/..").Should().Be(FsStatus.Exists);
        Fs.Open("d/.", OpenMode.Write | OpenMode.Create | OpenMode.Exclusive).Status.Should().Be(FsStatus.Exists);
        Fs.Open("d/..", OpenMode.Write | OpenMode.Create).Status.Should().Be(FsStatus.IsDirectory);
        Fs.Symlink("t", "d/..").Should().Be(FsStatus.Exists);
        Fs.Link("f", "d/.").Should().Be(FsStatus.Exists);
        Fs.MakeFifo("d/.", Mode("644")).Should().Be(FsStatus.Exists);
    }

    [Fact]
    public void RemoveDirectoryAndUnlink_DotOrDotDot_RefusedAsLinuxDoes()
    {
        Fs.MakeDirectory("d").Should().Be(FsStatus.Ok);
        Fs.MakeDirectory("d/sub").Should().Be(FsStatus.Ok);

        Fs.RemoveDirectory("d/sub/.").Should().Be(FsStatus.InvalidArgument);
        Fs.RemoveDirectory("d/sub/..").Should().Be(FsStatus.NotEmpty);
        Fs.Unlink("d/sub/.").Should().Be(FsStatus.IsDirectory);
        Fs.Unlink("d/..").Should().Be(FsStatus.IsDirectory);

        StatOk("d/sub").Kind.Should().Be(NodeKind.Directory);
    }

    [Fact]
    public void Rename_DotOrDotDot_Busy()
    {
        Fs.MakeDirectory("d").Should().Be(FsStatus.Ok);
        MakeFile("f");

        Fs.Rename("d/.", "e").Should().Be(FsStatus.Busy);
        Fs.Rename("f", "d/..").Should().Be(FsStatus.Busy);
        Fs.Rename("f", "d/.", RenameMode.NoReplace).Should().Be(FsStatus.Exists);

        List().Should().BeEquivalentTo("d", "f");
    }

    [Fact]
    public void Create_NamesDifferingOnlyInCase_AreDifferentFiles()
    {
        MakeFile("Readme", [1]);
        MakeFile("README", [2]);
        MakeFile("readme", [3]);

        List().Should().BeEquivalentTo("Readme", "README", "readme");
        ReadAll("README").Should().Equal(2);
        Fs.Stat("ReadMe").Status.Should().Be(FsStatus.NotFound);
    }

    [Fact]
    public void Walk_SymlinkToDirectoryOnTheWay_IsFollowed()
    {
        Fs.MakeDirectory("real").Should().Be(FsStatus.Ok);
        Fs.Symlink("real", "link").Should().Be(FsStatus.Ok);
        Fs.Symlink("../real/f", "real/back").Should().Be(FsStatus.Ok);

        MakeFile("link/f", [7]);

        List("real").Should().BeEquivalentTo("back", "f");
        StatOk("link").Kind.Should().Be(NodeKind.Symlink);
        StatOk("link/").Kind.Should().Be(NodeKind.Directory);
        ReadAll("link/back").Should().Equal(7);
    }
}
