using CacheFs.Nodes;
using CacheFs.Volume;

namespace CacheFs.Tests.Volume;

public sealed class AllocateTests
{
    [Fact]
    public void Allocate_Extend_GrowsSizeWithZeros()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", [1, 2, 3]);
        var h = t.Volume.OpenHandle(id);

        t.Volume.Allocate(h, 0, 10_000, AllocateMode.Extend).Ok();

        t.Volume.Attr(id).Size.Should().Be(10_000);
        var all = t.Volume.ReadAt(h, 0, 20_000);
        all.Length.Should().Be(10_000);
        all[..3].Should().Equal(1, 2, 3);
        all[3..].Should().OnlyContain(b => b == 0);
        t.Volume.Release(h).Ok();
        t.Volume.Attr(id).Size.Should().Be(10_000);
    }

    [Fact]
    public void Allocate_ExtendBeyondEndAtOffset_SizeIsOffsetPlusLength()
    {
        using var t = new TestVolume();
        var (id, h) = t.CreateOpen("f");

        t.Volume.Allocate(h, 4096, 4096, AllocateMode.Extend).Ok();

        t.Volume.Attr(id).Size.Should().Be(8192);
        t.Volume.ReadAt(h, 0, 8192).Should().HaveCount(8192).And.OnlyContain(b => b == 0);
        t.Volume.Release(h).Ok();
    }

    [Fact]
    public void Allocate_ExtendInsideFile_KeepsSizeAndContent()
    {
        using var t = new TestVolume();
        var data = VolumeTestExtensions.Bytes(8192);
        var id = t.MakeFile("f", data);
        var h = t.Volume.OpenHandle(id);

        t.Volume.Allocate(h, 100, 1000, AllocateMode.Extend).Ok();

        t.Volume.Attr(id).Size.Should().Be(8192);
        t.Volume.ReadAt(h, 0, 8192).Should().Equal(data);
        t.Volume.Release(h).Ok();
    }

    [Fact]
    public void Allocate_KeepSize_SizeUnchanged()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", [1, 2, 3]);
        var h = t.Volume.OpenHandle(id);

        t.Volume.Allocate(h, 0, 1 << 20, AllocateMode.KeepSize).Ok();

        t.Volume.Attr(id).Size.Should().Be(3);
        t.Volume.ReadAt(h, 0, 100).Should().Equal(1, 2, 3);
        t.Volume.Release(h).Ok();
        t.Reopen();
        t.ReadAll(id).Should().Equal(1, 2, 3);
    }

    [Fact]
    public void Allocate_PunchHole_ZerosRangeKeepsSize()
    {
        using var t = new TestVolume();
        var data = Enumerable.Repeat((byte)0x5A, 3 * 4096).ToArray();
        var id = t.MakeFile("f", data);
        var h = t.Volume.OpenHandle(id);

        t.Volume.Allocate(h, 4096, 4096, AllocateMode.PunchHole).Ok();

        t.Volume.Attr(id).Size.Should().Be(3 * 4096);
        var back = t.Volume.ReadAt(h, 0, 3 * 4096);
        back[..4096].Should().OnlyContain(b => b == 0x5A);
        back[4096..8192].Should().OnlyContain(b => b == 0);
        back[8192..].Should().OnlyContain(b => b == 0x5A);
        t.Volume.Release(h).Ok();
    }

    [Fact]
    public void Allocate_PunchHoleUnaligned_ZerosExactRange()
    {
        using var t = new TestVolume();
        var data = Enumerable.Repeat((byte)7, 100).ToArray();
        var id = t.MakeFile("f", data);
        var h = t.Volume.OpenHandle(id);

        t.Volume.Allocate(h, 10, 5, AllocateMode.PunchHole).Ok();

        var back = t.Volume.ReadAt(h, 0, 100);
        back[..10].Should().OnlyContain(b => b == 7);
        back[10..15].Should().OnlyContain(b => b == 0);
        back[15..].Should().OnlyContain(b => b == 7);
        t.Volume.Release(h).Ok();
    }

    [Fact]
    public void Allocate_PunchHolePastEnd_ClippedToSize()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", [1, 2, 3, 4]);
        var h = t.Volume.OpenHandle(id);

        t.Volume.Allocate(h, 2, 1000, AllocateMode.PunchHole).Ok();
        t.Volume.Allocate(h, 100, 10, AllocateMode.PunchHole).Ok();

        t.Volume.Attr(id).Size.Should().Be(4);
        t.Volume.ReadAt(h, 0, 10).Should().Equal(1, 2, 0, 0);
        t.Volume.Release(h).Ok();
    }

    [Fact]
    public void Allocate_PunchHole_MovesModifyTime()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", [1, 2, 3, 4]);
        t.Volume.Backdate(id);
        var h = t.Volume.OpenHandle(id);

        t.Volume.Allocate(h, 0, 2, AllocateMode.PunchHole).Ok();

        t.Volume.Attr(id).ModifyTime.Should().BeGreaterThan(VolumeTestExtensions.Past);
        t.Volume.Release(h).Ok();
    }

    [Theory]
    [InlineData(-1L, 10L)]
    [InlineData(0L, 0L)]
    [InlineData(0L, -5L)]
    public void Allocate_BadRange_InvalidArgument(long offset, long length)
    {
        using var t = new TestVolume();
        var (id, h) = t.CreateOpen("f");

        t.Volume.Allocate(h, offset, length, AllocateMode.Extend).Should().Be(FsStatus.InvalidArgument);

        t.Volume.Release(h).Ok();
        t.Volume.Attr(id).Size.Should().Be(0);
    }

    [Fact]
    public void Allocate_PastMaxFileSize_FileTooLarge()
    {
        using var t = new TestVolume();
        var (id, h) = t.CreateOpen("f");

        t.Volume.Allocate(h, CacheVolume.MaxFileSize, 1, AllocateMode.Extend).Should().Be(FsStatus.FileTooLarge);
        t.Volume.Allocate(h, 0, CacheVolume.MaxFileSize + 1, AllocateMode.KeepSize).Should().Be(FsStatus.FileTooLarge);

        t.Volume.Release(h).Ok();
        t.Volume.Attr(id).Size.Should().Be(0);
    }

    [Fact]
    public void Allocate_OffsetPlusLengthOverflows_FileTooLarge()
    {
        using var t = new TestVolume();
        var (id, h) = t.CreateOpen("f");

        t.Volume.Allocate(h, long.MaxValue, 10, AllocateMode.Extend).Should().Be(FsStatus.FileTooLarge);
        t.Volume.Allocate(h, 10, long.MaxValue, AllocateMode.KeepSize).Should().Be(FsStatus.FileTooLarge);

        t.Volume.Release(h).Ok();
        t.Volume.Attr(id).Size.Should().Be(0);
    }

    [Fact]
    public void Allocate_ReadOnlyHandle_BadHandle()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", [1]);
        var h = t.Volume.OpenHandle(id, OpenFlags.Read);

        t.Volume.Allocate(h, 0, 100, AllocateMode.Extend).Should().Be(FsStatus.BadHandle);

        t.Volume.Release(h).Ok();
        t.Volume.Attr(id).Size.Should().Be(1);
    }

    [Fact]
    public void Allocate_DirectoryHandle_BadHandle()
    {
        using var t = new TestVolume();
        var d = t.MakeDir("d");
        var h = t.Volume.OpenHandle(d, OpenFlags.Read);

        t.Volume.Allocate(h, 0, 100, AllocateMode.Extend).Should().Be(FsStatus.BadHandle);
        t.Volume.Release(h).Ok();
    }

    [Fact]
    public void Allocate_Extend_SurvivesReopen()
    {
        using var t = new TestVolume();
        var (id, h) = t.CreateOpen("f");
        t.Volume.WriteAt(h, 0, [9]);
        t.Volume.Allocate(h, 0, 5000, AllocateMode.Extend).Ok();
        t.Volume.Release(h).Ok();

        t.Reopen();

        var all = t.ReadAll(id);
        all.Length.Should().Be(5000);
        all[0].Should().Be(9);
        all[1..].Should().OnlyContain(b => b == 0);
    }
}
