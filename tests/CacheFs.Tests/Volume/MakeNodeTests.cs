using CacheFs.Nodes;
using CacheFs.Volume;

namespace CacheFs.Tests.Volume;

public sealed class MakeNodeTests
{
    private const long Root = NodeIds.Root;

    [Theory]
    [InlineData(NodeKind.Fifo)]
    [InlineData(NodeKind.Socket)]
    public void MakeNode_SpecialKind_MetadataOnlyNode(NodeKind kind)
    {
        using var t = new TestVolume();

        var made = t.Volume.MakeNode(Root, "n", kind, new NewNode(Convert.ToUInt32("620", 8), 3, 4));

        made.Status.Should().Be(FsStatus.Ok);
        made.Value.Kind.Should().Be(kind);
        made.Value.Mode.Should().Be(Convert.ToUInt32("620", 8));
        made.Value.Uid.Should().Be(3);
        made.Value.Size.Should().Be(0);
        made.Value.LinkCount.Should().Be(1);
        t.Volume.Lookup(Root, "n").Value.Kind.Should().Be(kind);
        t.ObjectFiles().Should().BeEmpty();
    }

    [Theory]
    [InlineData(NodeKind.CharDevice, 0x0103UL)]
    [InlineData(NodeKind.BlockDevice, 0x0801UL)]
    public void MakeNode_Device_KeepsDeviceNumberAcrossReopen(NodeKind kind, ulong device)
    {
        using var t = new TestVolume();

        var made = t.Volume.MakeNode(Root, "dev", kind, TestVolume.Owner, device);

        made.Value.DeviceNumber.Should().Be(device);
        t.Reopen();
        var back = t.Volume.At("/dev");
        back.Kind.Should().Be(kind);
        back.DeviceNumber.Should().Be(device);
    }

    [Fact]
    public void MakeNode_RegularFile_EmptyFileUsableAsFile()
    {
        using var t = new TestVolume();

        var made = t.Volume.MakeNode(Root, "f", NodeKind.File, TestVolume.Owner);

        made.Value.Kind.Should().Be(NodeKind.File);
        made.Value.Size.Should().Be(0);
        var h = t.Volume.OpenHandle(made.Value.Id);
        t.Volume.WriteAt(h, 0, [1, 2]);
        t.Volume.Release(h).Ok();
        t.ReadAll(made.Value.Id).Should().Equal(1, 2);
    }

    [Theory]
    [InlineData(NodeKind.Directory)]
    [InlineData(NodeKind.Symlink)]
    public void MakeNode_DirectoryOrSymlinkKind_InvalidArgument(NodeKind kind)
    {
        using var t = new TestVolume();

        t.Volume.MakeNode(Root, "n", kind, TestVolume.Owner).Status.Should().Be(FsStatus.InvalidArgument);
        t.List().Should().BeEmpty();
    }

    [Fact]
    public void MakeNode_ExistingName_Exists()
    {
        using var t = new TestVolume();
        t.MakeDir("n");

        t.Volume.MakeNode(Root, "n", NodeKind.Fifo, TestVolume.Owner).Status.Should().Be(FsStatus.Exists);
    }

    [Fact]
    public void MakeNode_MissingParent_NotFound()
    {
        using var t = new TestVolume();

        t.Volume.MakeNode(999, "n", NodeKind.Fifo, TestVolume.Owner).Status.Should().Be(FsStatus.NotFound);
    }

    [Fact]
    public void MakeNode_ParentIsFifo_NotDirectory()
    {
        using var t = new TestVolume();
        var fifo = t.Volume.MakeNode(Root, "p", NodeKind.Fifo, TestVolume.Owner).Value;

        t.Volume.MakeNode(fifo.Id, "n", NodeKind.Fifo, TestVolume.Owner).Status.Should().Be(FsStatus.NotDirectory);
    }

    [Theory]
    [InlineData("", FsStatus.InvalidName)]
    [InlineData("..", FsStatus.InvalidName)]
    [InlineData("x/", FsStatus.InvalidName)]
    public void MakeNode_BadName_Refused(string name, FsStatus expected)
    {
        using var t = new TestVolume();

        t.Volume.MakeNode(Root, name, NodeKind.Fifo, TestVolume.Owner).Status.Should().Be(expected);
    }

    [Fact]
    public void MakeNode_NameTooLong_NameTooLong()
    {
        using var t = new TestVolume();

        t.Volume.MakeNode(Root, new string('€', 86), NodeKind.Socket, TestVolume.Owner).Status.Should().Be(FsStatus.NameTooLong);
    }

    [Fact]
    public void Open_Fifo_InvalidArgument()
    {
        using var t = new TestVolume();
        var fifo = t.Volume.MakeNode(Root, "p", NodeKind.Fifo, TestVolume.Owner).Value;

        t.Volume.Open(fifo.Id, OpenFlags.Read).Status.Should().Be(FsStatus.InvalidArgument);
    }

    [Fact]
    public void SetAttributes_FifoMode_Changes()
    {
        using var t = new TestVolume();
        var fifo = t.Volume.MakeNode(Root, "p", NodeKind.Fifo, TestVolume.Owner).Value;

        var changed = t.Volume.SetAttributes(fifo.Id, new AttributeChanges { Mode = Convert.ToUInt32("600", 8) });

        changed.Value.Mode.Should().Be(Convert.ToUInt32("600", 8));
        changed.Value.Kind.Should().Be(NodeKind.Fifo);
    }
}
