using CacheFs.Nodes;
using CacheFs.Volume;

namespace CacheFs.Tests.Volume;

public sealed class TruncateTests
{
    private static FsStatus Truncate(TestVolume t, long id, long size) =>
        t.Volume.SetAttributes(id, new AttributeChanges { Size = size }).Status;

    [Fact]
    public void Truncate_Down_CutsContentAndObject()
    {
        using var t = new TestVolume();
        var data = VolumeTestExtensions.Bytes(10_000);
        var id = t.MakeFile("f", data);

        Truncate(t, id, 100).Ok();

        t.Volume.Attr(id).Size.Should().Be(100);
        t.ReadAll(id).Should().Equal(data[..100]);
        new FileInfo(t.ObjectPath(id)).Length.Should().Be(100);
    }

    [Fact]
    public void Truncate_Up_SparseZeros()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", [1, 2, 3]);

        Truncate(t, id, 50_000).Ok();

        var all = t.ReadAll(id);
        all.Length.Should().Be(50_000);
        all[..3].Should().Equal(1, 2, 3);
        all[3..].Should().OnlyContain(b => b == 0);
    }

    [Fact]
    public void Truncate_DownThenUp_GapReadsZeros()
    {
        using var t = new TestVolume();
        var data = VolumeTestExtensions.Bytes(8192);
        var id = t.MakeFile("f", data);

        Truncate(t, id, 1000).Ok();
        Truncate(t, id, 8192).Ok();

        var all = t.ReadAll(id);
        all[..1000].Should().Equal(data[..1000]);
        all[1000..].Should().OnlyContain(b => b == 0, "bytes cut off by a truncate never come back");
    }

    [Fact]
    public void Truncate_DownThenUpThroughOpenHandle_GapReadsZeros()
    {
        using var t = new TestVolume();
        var (id, h) = t.CreateOpen("f");
        t.Volume.WriteAt(h, 0, Enumerable.Repeat((byte)0xAA, 4096).ToArray());

        Truncate(t, id, 10).Ok();
        Truncate(t, id, 4096).Ok();

        var back = t.Volume.ReadAt(h, 0, 4096);
        back[..10].Should().OnlyContain(b => b == 0xAA);
        back[10..].Should().OnlyContain(b => b == 0);
        t.Volume.Release(h).Ok();
    }

    [Fact]
    public void Truncate_ToZero_EmptyFile()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", VolumeTestExtensions.Bytes(100));

        Truncate(t, id, 0).Ok();

        t.Volume.Attr(id).Size.Should().Be(0);
        t.ReadAll(id).Should().BeEmpty();
    }

    [Fact]
    public void Truncate_OpenHandle_SeesNewSizeAndWritesAfterIt()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", "0123456789"u8.ToArray());
        var h = t.Volume.OpenHandle(id);

        Truncate(t, id, 4).Ok();
        t.Volume.ReadAt(h, 0, 100).Should().Equal("0123"u8.ToArray());
        t.Volume.WriteAt(h, 6, "x"u8.ToArray());

        t.Volume.Release(h).Ok();
        t.ReadAll(id).Should().Equal("0123\0\0x"u8.ToArray());
    }

    [Fact]
    public void Truncate_SameSize_KeepsContentAndModifyTime()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", [1, 2, 3]);
        t.Volume.Backdate(id);

        var result = t.Volume.SetAttributes(id, new AttributeChanges { Size = 3 });

        result.Value.Size.Should().Be(3);
        result.Value.ModifyTime.Should().Be(VolumeTestExtensions.Past, "POSIX moves mtime only when the size changes");
        result.Value.ChangeTime.Should().BeGreaterThan(VolumeTestExtensions.Past);
        t.ReadAll(id).Should().Equal(1, 2, 3);
    }

    [Fact]
    public void Truncate_ChangingSize_MovesModifyAndChangeTime()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", [1, 2, 3]);
        t.Volume.Backdate(id);
        var before = t.Volume.Now();

        var result = t.Volume.SetAttributes(id, new AttributeChanges { Size = 1 });

        result.Value.ModifyTime.Should().BeGreaterThanOrEqualTo(before);
        result.Value.ChangeTime.Should().BeGreaterThanOrEqualTo(before);
        result.Value.AccessTime.Should().Be(VolumeTestExtensions.Past);
    }

    [Fact]
    public void Truncate_WithExplicitModifyTime_ExplicitTimeWins()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", [1, 2, 3]);
        var when = Timestamp.FromUnix(1_500_000_000, 5);

        var result = t.Volume.SetAttributes(id, new AttributeChanges { Size = 10, ModifyTime = when });

        result.Value.Size.Should().Be(10);
        result.Value.ModifyTime.Should().Be(when);
    }

    [Fact]
    public void Truncate_Negative_InvalidArgument()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", [1]);

        Truncate(t, id, -1).Should().Be(FsStatus.InvalidArgument);
        t.Volume.Attr(id).Size.Should().Be(1);
    }

    [Fact]
    public void Truncate_PastMaxFileSize_FileTooLarge()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", [1]);

        Truncate(t, id, CacheVolume.MaxFileSize + 1).Should().Be(FsStatus.FileTooLarge);
        Truncate(t, id, long.MaxValue).Should().Be(FsStatus.FileTooLarge);
        t.Volume.Attr(id).Size.Should().Be(1);
    }

    [Fact]
    public void Truncate_ToMaxFileSize_Ok()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", [1]);

        Truncate(t, id, CacheVolume.MaxFileSize).Ok();

        t.Volume.Attr(id).Size.Should().Be(CacheVolume.MaxFileSize);
        t.Volume.Unlink(NodeIds.Root, "f").Ok();
    }

    [Fact]
    public void Truncate_Directory_IsDirectory()
    {
        using var t = new TestVolume();
        var dir = t.MakeDir("d");

        Truncate(t, dir, 0).Should().Be(FsStatus.IsDirectory);
        Truncate(t, NodeIds.Root, 10).Should().Be(FsStatus.IsDirectory);
    }

    [Fact]
    public void Truncate_Symlink_InvalidArgument()
    {
        using var t = new TestVolume();
        var link = t.Volume.MakeSymlink(NodeIds.Root, "l", "abc", TestVolume.Owner).Value;

        Truncate(t, link.Id, 0).Should().Be(FsStatus.InvalidArgument);
        t.Volume.Attr(link.Id).Size.Should().Be(3);
    }

    [Fact]
    public void Truncate_Fifo_InvalidArgument()
    {
        using var t = new TestVolume();
        var fifo = t.Volume.MakeNode(NodeIds.Root, "p", NodeKind.Fifo, TestVolume.Owner).Value;

        Truncate(t, fifo.Id, 10).Should().Be(FsStatus.InvalidArgument);
    }

    [Fact]
    public void Truncate_MissingNode_NotFound()
    {
        using var t = new TestVolume();

        Truncate(t, 4242, 0).Should().Be(FsStatus.NotFound);
    }

    [Fact]
    public void Truncate_DownThenUp_SurvivesReopen()
    {
        using var t = new TestVolume();
        var data = VolumeTestExtensions.Bytes(5000);
        var id = t.MakeFile("f", data);
        Truncate(t, id, 2000).Ok();
        Truncate(t, id, 3000).Ok();

        t.Reopen();

        var all = t.ReadAll(id);
        all.Length.Should().Be(3000);
        all[..2000].Should().Equal(data[..2000]);
        all[2000..].Should().OnlyContain(b => b == 0);
        t.Volume.LastRecovery.ObjectsResized.Should().Be(0);
    }

    [Fact]
    public void SetAllocationSize_BelowSize_Truncates()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", [1, 2, 3, 4, 5]);
        var h = t.Volume.OpenHandle(id);

        t.Volume.SetAllocationSize(h, 2).Ok();

        t.Volume.Attr(id).Size.Should().Be(2);
        t.Volume.ReadAt(h, 0, 10).Should().Equal(1, 2);
        t.Volume.Release(h).Ok();
    }

    [Fact]
    public void SetAllocationSize_AboveSize_KeepsSize()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", [1, 2, 3]);
        var h = t.Volume.OpenHandle(id);

        t.Volume.SetAllocationSize(h, 1 << 20).Ok();

        t.Volume.Attr(id).Size.Should().Be(3);
        t.Volume.ReadAt(h, 0, 10).Should().Equal(1, 2, 3);
        t.Volume.Release(h).Ok();
    }

    [Fact]
    public void SetAllocationSize_ZeroOnEmptyFile_Ok()
    {
        using var t = new TestVolume();
        var (id, h) = t.CreateOpen("f");

        t.Volume.SetAllocationSize(h, 0).Ok();

        t.Volume.Attr(id).Size.Should().Be(0);
        t.Volume.Release(h).Ok();
    }

    [Fact]
    public void SetAllocationSize_Negative_InvalidArgument()
    {
        using var t = new TestVolume();
        var (_, h) = t.CreateOpen("f");

        t.Volume.SetAllocationSize(h, -1).Should().Be(FsStatus.InvalidArgument);
        t.Volume.Release(h).Ok();
    }

    [Fact]
    public void SetAllocationSize_ReadOnlyHandle_BadHandle()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", [1, 2, 3]);
        var h = t.Volume.OpenHandle(id, OpenFlags.Read);

        t.Volume.SetAllocationSize(h, 0).Should().Be(FsStatus.BadHandle);
        t.Volume.Release(h).Ok();
        t.Volume.Attr(id).Size.Should().Be(3);
    }
}
