using CacheFs.Volume;

namespace CacheFs.Tests.Conformance;

/// <summary>fsync, fallocate, statfs, and files that stay open after their last name is gone.</summary>
public abstract partial class ConformanceCases
{
    [Fact]
    public void Sync_WrittenFileOrReadOnlyHandle_Works()
    {
        var handle = OpenOk("f", OpenMode.Write | OpenMode.Create);
        WriteAt(handle, 0, Bytes(70_000));
        Fs.Sync(handle).Should().Be(FsStatus.Ok);
        Fs.Close(handle).Should().Be(FsStatus.Ok);

        var reader = OpenOk("f", OpenMode.Read);
        Fs.Sync(reader).Should().Be(FsStatus.Ok);
        Fs.Close(reader).Should().Be(FsStatus.Ok);
        ReadAll("f").Should().Equal(Bytes(70_000));
    }

    [Fact]
    public void Allocate_Extend_GrowsTheFileWithZeros()
    {
        MakeFile("f", [1, 2, 3]);
        var handle = OpenOk("f", OpenMode.ReadWrite);

        Fs.Allocate(handle, 0, 8192, AllocateMode.Extend).Should().Be(FsStatus.Ok);

        StatOk(handle).Size.Should().Be(8192);
        Fs.Close(handle).Should().Be(FsStatus.Ok);
        ReadAll("f").Should().Equal([1, 2, 3, .. new byte[8189]]);
    }

    [Fact]
    public void Allocate_KeepSize_LeavesSizeAndContent()
    {
        MakeFile("f", [1, 2, 3]);
        var handle = OpenOk("f", OpenMode.ReadWrite);

        Fs.Allocate(handle, 0, 1 << 20, AllocateMode.KeepSize).Should().Be(FsStatus.Ok);

        StatOk(handle).Size.Should().Be(3);
        Fs.Close(handle).Should().Be(FsStatus.Ok);
        ReadAll("f").Should().Equal(1, 2, 3);
    }

    [Fact]
    public void Allocate_PunchHole_ZerosTheRangeAndKeepsTheSize()
    {
        MakeFile("f", Enumerable.Repeat((byte)0xAA, 3 * 4096).ToArray());
        var handle = OpenOk("f", OpenMode.ReadWrite);

        Fs.Allocate(handle, 4096, 4096, AllocateMode.PunchHole).Should().Be(FsStatus.Ok);
        Fs.Allocate(handle, 3 * 4096, 4096, AllocateMode.PunchHole).Should().Be(FsStatus.Ok, "punching past the end changes nothing");
        Fs.Close(handle).Should().Be(FsStatus.Ok);

        var all = ReadAll("f");
        all.Should().HaveCount(3 * 4096);
        all[..4096].Should().OnlyContain(b => b == 0xAA);
        all[4096..8192].Should().OnlyContain(b => b == 0);
        all[8192..].Should().OnlyContain(b => b == 0xAA);
    }

    [Fact]
    public void Allocate_ReadOnlyHandleOrEmptyRange_Refused()
    {
        MakeFile("f", [1]);
        var reader = OpenOk("f", OpenMode.Read);
        var writer = OpenOk("f", OpenMode.Write);

        Fs.Allocate(reader, 0, 4096, AllocateMode.Extend).Should().Be(FsStatus.BadHandle);
        Fs.Allocate(writer, 0, 0, AllocateMode.Extend).Should().Be(FsStatus.InvalidArgument);
        Fs.Allocate(writer, -1, 10, AllocateMode.Extend).Should().Be(FsStatus.InvalidArgument);

        Fs.Close(reader).Should().Be(FsStatus.Ok);
        Fs.Close(writer).Should().Be(FsStatus.Ok);
        StatOk("f").Size.Should().Be(1);
    }

    [Fact]
    public void StatFs_ReportsPlausibleFigures()
    {
        var stats = Fs.StatFs();

        stats.Status.Should().Be(FsStatus.Ok);
        var s = stats.Value;
        s.BlockSize.Should().BePositive();
        s.TotalBytes.Should().BePositive();
        s.FreeBytes.Should().BeInRange(1, s.TotalBytes);
        s.AvailableBytes.Should().BeInRange(0, s.FreeBytes);
        s.Files.Should().BeGreaterThanOrEqualTo(s.FreeFiles);
        s.MaxNameLength.Should().Be(255);
    }

    [Fact]
    public void Unlink_WhileOpen_HandleStillReadsAndWrites()
    {
        MakeFile("f", [1, 2, 3]);
        var handle = OpenOk("f", OpenMode.ReadWrite);

        Fs.Unlink("f").Should().Be(FsStatus.Ok);

        Fs.Stat("f").Status.Should().Be(FsStatus.NotFound);
        List().Should().BeEmpty();
        WriteAt(handle, 3, [4, 5]);
        ReadAt(handle, 0, 100).Should().Equal(1, 2, 3, 4, 5);
        Fs.Truncate(handle, 1).Should().Be(FsStatus.Ok);
        ReadAt(handle, 0, 100).Should().Equal(1);
        Fs.Sync(handle).Should().Be(FsStatus.Ok);
        Fs.Close(handle).Should().Be(FsStatus.Ok);

        Fs.Stat("f").Status.Should().Be(FsStatus.NotFound);
        MakeFile("f", [9]);
        ReadAll("f").Should().Equal(9);
    }

    [Fact]
    public void StatHandle_AfterTheLastNameIsGone_ShowsNoLinks()
    {
        // What "open, unlink, fstat" programs rely on, such as Python's tempfile.TemporaryFile followed by os.fstat.
        MakeFile("f", [1, 2, 3]);
        var handle = OpenOk("f", OpenMode.ReadWrite);

        Fs.Unlink("f").Should().Be(FsStatus.Ok);

        var stat = StatOk(handle);
        stat.LinkCount.Should().Be(0);
        stat.Size.Should().Be(3);
        Fs.Close(handle).Should().Be(FsStatus.Ok);
    }
}
