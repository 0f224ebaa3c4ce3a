using CacheFs.Nodes;

namespace CacheFs.Tests.Conformance;

/// <summary>Creating and opening files.</summary>
public abstract partial class ConformanceCases
{
    [Fact]
    public void Create_New_IsAnEmptyFileOfTheCaller()
    {
        var handle = OpenOk("f", OpenMode.ReadWrite | OpenMode.Create | OpenMode.Exclusive, Mode("640"));
        Fs.Close(handle).Should().Be(FsStatus.Ok);

        var stat = StatOk("f");
        stat.Kind.Should().Be(NodeKind.File);
        stat.Size.Should().Be(0);
        stat.Mode.Should().Be(Caller.Masked(Mode("640")));
        stat.LinkCount.Should().Be(1);
        stat.Uid.Should().Be(Caller.Uid);
        stat.Gid.Should().Be(Caller.Gid);
        stat.ModifyTime.Should().Be(stat.ChangeTime);
    }

    [Fact]
    public void Create_ExclusiveOnExistingName_Exists()
    {
        MakeFile("f", [1, 2, 3]);
        Fs.MakeDirectory("d").Should().Be(FsStatus.Ok);

        Fs.Open("f", OpenMode.Write | OpenMode.Create | OpenMode.Exclusive).Status.Should().Be(FsStatus.Exists);
        Fs.Open("d", OpenMode.Write | OpenMode.Create | OpenMode.Exclusive).Status.Should().Be(FsStatus.Exists);

        ReadAll("f").Should().Equal(1, 2, 3);
    }

    [Fact]
    public void Create_NonExclusiveOnExistingFile_OpensItAsItIs()
    {
        MakeFile("f", [1, 2, 3], Mode("600"));
        var before = StatOk("f");

        var handle = OpenOk("f", OpenMode.ReadWrite | OpenMode.Create, Mode("777"));
        ReadAt(handle, 0, 10).Should().Equal(1, 2, 3);
        Fs.Close(handle).Should().Be(FsStatus.Ok);

        var after = StatOk("f");
        after.Inode.Should().Be(before.Inode);
        after.Mode.Should().Be(Mode("600"), "O_CREAT of an existing file does not change its mode");
    }

    [Fact]
    public void Create_NonExclusiveOnDirectory_IsDirectory()
    {
        Fs.MakeDirectory("d").Should().Be(FsStatus.Ok);

        Fs.Open("d", OpenMode.Write | OpenMode.Create).Status.Should().Be(FsStatus.IsDirectory);
        Fs.Open("d", OpenMode.Read | OpenMode.Create).Status.Should().Be(FsStatus.IsDirectory);
    }

    [Fact]
    public void Open_MissingWithoutCreate_NotFound()
    {
        Fs.Open("nothing", OpenMode.Read).Status.Should().Be(FsStatus.NotFound);
        Fs.Open("nothing", OpenMode.ReadWrite).Status.Should().Be(FsStatus.NotFound);
        List().Should().BeEmpty();
    }

    [Fact]
    public void Open_DirectoryForWriting_IsDirectory()
    {
        Fs.MakeDirectory("d").Should().Be(FsStatus.Ok);

        Fs.Open("d", OpenMode.Write).Status.Should().Be(FsStatus.IsDirectory);
        Fs.Open("d", OpenMode.ReadWrite).Status.Should().Be(FsStatus.IsDirectory);
    }

    [Fact]
    public void Read_DirectoryHandle_IsDirectory()
    {
        Fs.MakeDirectory("d").Should().Be(FsStatus.Ok);
        var handle = OpenOk("d", OpenMode.Read);

        Fs.Read(handle, 0, new byte[16]).Status.Should().Be(FsStatus.IsDirectory);
        StatOk(handle).Kind.Should().Be(NodeKind.Directory);

        Fs.Close(handle).Should().Be(FsStatus.Ok);
    }

    [Fact]
    public void Open_WithTruncate_EmptiesTheFileAndMovesMtime()
    {
        MakeFile("f", Bytes(5000));
        var before = Backdate("f");

        var handle = OpenOk("f", OpenMode.Write | OpenMode.Truncate);
        Fs.Close(handle).Should().Be(FsStatus.Ok);

        var after = StatOk("f");
        after.Size.Should().Be(0);
        after.Inode.Should().Be(before.Inode);
        after.ModifyTime.Should().BeGreaterThan(before.ModifyTime);
        after.ChangeTime.Should().BeGreaterThan(before.ChangeTime);
        ReadAll("f").Should().BeEmpty();
    }

    [Fact]
    public void Open_WithTruncateOfAnEmptyFile_StillMovesMtime()
    {
        MakeFile("f");
        var before = Backdate("f");

        Fs.Close(OpenOk("f", OpenMode.Write | OpenMode.Truncate)).Should().Be(FsStatus.Ok);

        StatOk("f").ModifyTime.Should().BeGreaterThan(before.ModifyTime, "Linux marks an O_TRUNC open modified even when nothing was cut");
    }
}
