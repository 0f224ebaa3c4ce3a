using CacheFs.Nodes;
using CacheFs.Volume;

namespace CacheFs.Tests.Conformance;

/// <summary>rename(2) and renameat2(2) with RENAME_NOREPLACE and RENAME_EXCHANGE.</summary>
public abstract partial class ConformanceCases
{
    [Fact]
    public void Rename_File_MovesTheNameKeepingNodeAndContent()
    {
        Fs.MakeDirectory("d").Should().Be(FsStatus.Ok);
        MakeFile("a", [1, 2]);
        var inode = StatOk("a").Inode;

        Fs.Rename("a", "d/b").Should().Be(FsStatus.Ok);

        Fs.Stat("a").Status.Should().Be(FsStatus.NotFound);
        StatOk("d/b").Inode.Should().Be(inode);
        ReadAll("d/b").Should().Equal(1, 2);
        List().Should().Equal("d");
    }

    [Fact]
    public void Rename_OntoExistingFile_ReplacesIt()
    {
        MakeFile("a", [1]);
        MakeFile("b", [2, 2]);
        var inode = StatOk("a").Inode;

        Fs.Rename("a", "b").Should().Be(FsStatus.Ok);

        List().Should().Equal("b");
        StatOk("b").Inode.Should().Be(inode);
        ReadAll("b").Should().Equal(1);
    }

    [Fact]
    public void Rename_FileOntoDirectory_IsDirectory()
    {
        MakeFile("f", [1]);
        Fs.MakeDirectory("d").Should().Be(FsStatus.Ok);

        Fs.Rename("f", "d").Should().Be(FsStatus.IsDirectory);

        StatOk("d").Kind.Should().Be(NodeKind.Directory);
        ReadAll("f").Should().Equal(1);
    }

    [Fact]
    public void Rename_DirectoryOntoFile_NotDirectory()
    {
        MakeFile("f", [1]);
        Fs.MakeDirectory("d").Should().Be(FsStatus.Ok);

        Fs.Rename("d", "f").Should().Be(FsStatus.NotDirectory);

        StatOk("d").Kind.Should().Be(NodeKind.Directory);
        StatOk("f").Kind.Should().Be(NodeKind.File);
    }

    [Fact]
    public void Rename_DirectoryOntoEmptyDirectory_ReplacesIt()
    {
        Fs.MakeDirectory("a").Should().Be(FsStatus.Ok);
        MakeFile("a/inside");
        Fs.MakeDirectory("b").Should().Be(FsStatus.Ok);

        Fs.Rename("a", "b").Should().Be(FsStatus.Ok);

        List().Should().Equal("b");
        List("b").Should().Equal("inside");
        StatOk("").LinkCount.Should().Be(3);
    }

    [Fact]
    public void Rename_DirectoryOntoNonEmptyDirectory_NotEmpty()
    {
        Fs.MakeDirectory("a").Should().Be(FsStatus.Ok);
        Fs.MakeDirectory("b").Should().Be(FsStatus.Ok);
        MakeFile("b/keep");

        Fs.Rename("a", "b").Should().Be(FsStatus.NotEmpty);

        List("b").Should().Equal("keep");
        StatOk("a").Kind.Should().Be(NodeKind.Directory);
    }

    [Fact]
    public void Rename_DirectoryIntoItsOwnSubtree_InvalidArgument()
    {
        Fs.MakeDirectory("a").Should().Be(FsStatus.Ok);
        Fs.MakeDirectory("a/b").Should().Be(FsStatus.Ok);

        Fs.Rename("a", "a/b/c").Should().Be(FsStatus.InvalidArgument);
        Fs.Rename("a", "a/c").Should().Be(FsStatus.InvalidArgument);
        Fs.Rename("a", "a/b").Should().Be(FsStatus.InvalidArgument);

        List().Should().Equal("a");
        List("a").Should().Equal("b");
    }

    [Fact]
    public void Rename_DirectoryAcrossParents_MovesItsLinkAndItsParent()
    {
        Fs.MakeDirectory("p").Should().Be(FsStatus.Ok);
        Fs.MakeDirectory("q").Should().Be(FsStatus.Ok);
        Fs.MakeDirectory("p/d").Should().Be(FsStatus.Ok);

        Fs.Rename("p/d", "q/d").Should().Be(FsStatus.Ok);

        StatOk("p").LinkCount.Should().Be(2);
        StatOk("q").LinkCount.Should().Be(3);
        StatOk("q/d/..").Inode.Should().Be(StatOk("q").Inode);
    }

    [Fact]
    public void Rename_NoReplace_MovesOntoAFreeNameOnly()
    {
        MakeFile("a", [1]);
        MakeFile("b", [2]);

        Fs.Rename("a", "b", RenameMode.NoReplace).Should().Be(FsStatus.Exists);
        ReadAll("a").Should().Equal(1);
        ReadAll("b").Should().Equal(2);

        Fs.Rename("a", "c", RenameMode.NoReplace).Should().Be(FsStatus.Ok);
        List().Should().BeEquivalentTo("b", "c");
    }

    [Fact]
    public void Rename_Exchange_SwapsAFileAndADirectory()
    {
        Fs.MakeDirectory("p").Should().Be(FsStatus.Ok);
        MakeFile("f", [1, 2, 3]);
        Fs.MakeDirectory("p/d").Should().Be(FsStatus.Ok);
        MakeFile("p/d/inside");
        var file = StatOk("f").Inode;
        var dir = StatOk("p/d").Inode;

        Fs.Rename("f", "p/d", RenameMode.Exchange).Should().Be(FsStatus.Ok);

        StatOk("f").Inode.Should().Be(dir);
        StatOk("p/d").Inode.Should().Be(file);
        List("f").Should().Equal("inside");
        ReadAll("p/d").Should().Equal(1, 2, 3);
        StatOk("").LinkCount.Should().Be(4, "the directory moved up: the top gained a subdirectory");
        StatOk("p").LinkCount.Should().Be(2);
        StatOk("f/..").Inode.Should().Be(StatOk("").Inode);
    }

    [Fact]
    public void Rename_ExchangeWithMissingName_NotFound()
    {
        MakeFile("a", [1]);

        Fs.Rename("a", "missing", RenameMode.Exchange).Should().Be(FsStatus.NotFound);

        List().Should().Equal("a");
    }

    [Fact]
    public void Rename_OntoItself_DoesNothing()
    {
        MakeFile("a", [1]);

        Fs.Rename("a", "a").Should().Be(FsStatus.Ok);
        Fs.Rename("a", "a", RenameMode.Exchange).Should().Be(FsStatus.Ok);

        List().Should().Equal("a");
        ReadAll("a").Should().Equal(1);
    }

    [Fact]
    public void Rename_NoReplaceOntoItself_Exists()
    {
        // Linux checks RENAME_NOREPLACE against the target's existence before it sees that source and target are one.
        MakeFile("a", [1]);

        Fs.Rename("a", "a", RenameMode.NoReplace).Should().Be(FsStatus.Exists);

        ReadAll("a").Should().Equal(1);
    }

    [Fact]
    public void Rename_OntoAnotherNameOfTheSameFile_KeepsBothNames()
    {
        MakeFile("a", [1]);
        Fs.Link("a", "b").Should().Be(FsStatus.Ok);

        Fs.Rename("a", "b").Should().Be(FsStatus.Ok);

        List().Should().BeEquivalentTo("a", "b");
        StatOk("a").LinkCount.Should().Be(2);
    }

    [Fact]
    public void Rename_MissingSource_NotFound()
    {
        Fs.Rename("missing", "b").Should().Be(FsStatus.NotFound);
        Fs.Rename("missing/x", "b").Should().Be(FsStatus.NotFound);
        List().Should().BeEmpty();
    }

    [Fact]
    public void Rename_OpenFile_HandleKeepsWorking()
    {
        MakeFile("a", [1]);
        var handle = OpenOk("a", OpenMode.ReadWrite);

        Fs.Rename("a", "b").Should().Be(FsStatus.Ok);
        WriteAt(handle, 1, [2]);
        Fs.Close(handle).Should().Be(FsStatus.Ok);

        ReadAll("b").Should().Equal(1, 2);
    }

    [Fact]
    public void Rename_OverAnOpenFile_ItsHandleStillReadsTheOldContent()
    {
        MakeFile("old", [1, 1, 1]);
        MakeFile("new", [2]);
        var handle = OpenOk("old", OpenMode.Read);

        Fs.Rename("new", "old").Should().Be(FsStatus.Ok);

        ReadAt(handle, 0, 10).Should().Equal(1, 1, 1);
        Fs.Close(handle).Should().Be(FsStatus.Ok);
        ReadAll("old").Should().Equal(2);
    }
}
