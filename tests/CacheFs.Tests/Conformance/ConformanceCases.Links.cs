using CacheFs.Nodes;

namespace CacheFs.Tests.Conformance;

/// <summary>Hard links and fifos.</summary>
public abstract partial class ConformanceCases
{
    [Fact]
    public void Link_File_CountsBothNamesAndSharesTheContent()
    {
        MakeFile("a", [1, 2, 3]);

        Fs.Link("a", "b").Should().Be(FsStatus.Ok);

        StatOk("a").LinkCount.Should().Be(2);
        StatOk("b").LinkCount.Should().Be(2);
        StatOk("b").Inode.Should().Be(StatOk("a").Inode);
        ReadAll("b").Should().Equal(1, 2, 3);
    }

    [Fact]
    public void Link_WriteThroughOneName_IsReadThroughTheOther()
    {
        MakeFile("a", [1]);
        Fs.Link("a", "b").Should().Be(FsStatus.Ok);
        ReadAll("b").Should().Equal(1);

        var handle = OpenOk("a", OpenMode.Write | OpenMode.Append);
        WriteAt(handle, 0, [2, 3]);
        Fs.Close(handle).Should().Be(FsStatus.Ok);

        StatOk("b").Size.Should().Be(3);
        ReadAll("b").Should().Equal(1, 2, 3);
    }

    [Fact]
    public void Link_WriteThroughOneName_IsSeenByAHandleOpenOnTheOther()
    {
        MakeFile("a", "old!"u8.ToArray());
        Fs.Link("a", "b").Should().Be(FsStatus.Ok);
        var reader = OpenOk("b", OpenMode.Read);
        ReadAt(reader, 0, 10).Should().Equal("old!"u8.ToArray());

        var writer = OpenOk("a", OpenMode.Write);
        WriteAt(writer, 0, "NEW"u8.ToArray());
        Fs.Close(writer).Should().Be(FsStatus.Ok);

        ReadAt(reader, 0, 10).Should().Equal("NEW!"u8.ToArray(), "one file has one content, whichever name it was opened by");
        Fs.Close(reader).Should().Be(FsStatus.Ok);
    }

    [Fact]
    public void Unlink_OneOfTwoNames_LeavesTheOtherWithOneLink()
    {
        MakeFile("a", [5]);
        Fs.Link("a", "b").Should().Be(FsStatus.Ok);
        StatOk("b").LinkCount.Should().Be(2); // as "ls -l" before "rm a" would

        Fs.Unlink("a").Should().Be(FsStatus.Ok);

        StatOk("b").LinkCount.Should().Be(1);
        List().Should().Equal("b");
        ReadAll("b").Should().Equal(5);
    }

    [Fact]
    public void Link_Directory_NotPermitted()
    {
        Fs.MakeDirectory("d").Should().Be(FsStatus.Ok);

        Fs.Link("d", "e").Should().Be(FsStatus.NotPermitted);

        List().Should().Equal("d");
    }

    [Fact]
    public void Link_OntoTakenNameOrFromMissing_ExistsOrNotFound()
    {
        MakeFile("a");
        MakeFile("b");

        Fs.Link("a", "b").Should().Be(FsStatus.Exists);
        Fs.Link("missing", "c").Should().Be(FsStatus.NotFound);

        StatOk("a").LinkCount.Should().Be(1);
        List().Should().BeEquivalentTo("a", "b");
    }

    [Fact]
    public void MakeFifo_New_StatsAsAFifoAndCannotBeMadeTwice()
    {
        Fs.MakeFifo("pipe", Mode("640")).Should().Be(FsStatus.Ok);

        var stat = StatOk("pipe");
        stat.Kind.Should().Be(NodeKind.Fifo);
        stat.Mode.Should().Be(Caller.Masked(Mode("640")));
        stat.Size.Should().Be(0);
        stat.LinkCount.Should().Be(1);
        Fs.MakeFifo("pipe", Mode("640")).Should().Be(FsStatus.Exists);

        Fs.Unlink("pipe").Should().Be(FsStatus.Ok);
        List().Should().BeEmpty();
    }
}
