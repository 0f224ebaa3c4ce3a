using System.Text;
using CacheFs.Hosts.WinFsp;
using static CacheFs.WinFsp.Tests.Hosts.WinFsp.WinFspHarness;

namespace CacheFs.WinFsp.Tests.Hosts.WinFsp;

public sealed unsafe class FileTests : IDisposable
{
    private readonly WinFspHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public void Create_WriteThenReadThroughAnotherOpen_RoundTrips()
    {
        var file = _h.Create("\\report.txt");
        _h.Write(file, 0, Encoding.UTF8.GetBytes("hello, world")).Should().Be(12);
        _h.Close(file);

        var again = _h.Open("\\report.txt", ReadData);
        Encoding.UTF8.GetString(_h.ReadAll(again)).Should().Be("hello, world");
        _h.Info(again).FileSize.Should().Be(12);
        _h.Close(again);
    }

    [Fact]
    public void Create_ExistingName_NameCollision()
    {
        _h.Close(_h.Create("\\a.txt"));
        _h.CreateStatus("\\A.TXT", ReadWrite, out _).Should().Be(NtStatus.NameCollision);
    }

    [Fact]
    public void Create_UnderMissingDirectory_PathNotFound()
    {
        _h.CreateStatus("\\missing\\a.txt", ReadWrite, out _).Should().Be(Fsp.FileSystemBase.STATUS_OBJECT_PATH_NOT_FOUND);
        _h.OpenStatus("\\missing\\a.txt", ReadData, out _, out _).Should().Be(Fsp.FileSystemBase.STATUS_OBJECT_PATH_NOT_FOUND);
        _h.OpenStatus("\\missing", ReadData, out _, out _).Should().Be(Fsp.FileSystemBase.STATUS_OBJECT_NAME_NOT_FOUND);
    }

    [Fact]
    public void Create_UnderAFile_PathNotFound()
    {
        _h.Close(_h.Create("\\f"));
        _h.CreateStatus("\\f\\g", ReadWrite, out _).Should().Be(Fsp.FileSystemBase.STATUS_OBJECT_PATH_NOT_FOUND);
    }

    [Fact]
    public void Create_WithAllocationSize_ReservesWithoutChangingTheSize()
    {
        var file = _h.Create("\\big.bin", allocation: 1 << 20);
        _h.Info(file).FileSize.Should().Be(0);
        _h.Close(file);
    }

    [Fact]
    public void Write_ThroughAReadOnlyOpen_InvalidHandle()
    {
        _h.Close(_h.Create("\\a"));
        var reader = _h.Open("\\a", ReadData);
        fixed (byte* data = new byte[1])
            _h.Fs.Write(reader, reader, (nint)data, 0, 1, false, false, out _, out _).Should().Be(Fsp.FileSystemBase.STATUS_INVALID_HANDLE);
        _h.Close(reader);
    }

    [Fact]
    public void Calls_OnAnObjectThatIsNoOpen_ThrowForTheHostToMap()
    {
        var read = () => _h.Fs.GetFileInfo(new object(), null!, out _);
        read.Should().Throw<ArgumentException>();
        _h.Fs.ExceptionHandler(new ArgumentException("x")).Should().Be(NtStatus.UnexpectedIoError);
    }

    [Fact]
    public void Read_AtEndOfFile_EndOfFile()
    {
        var file = _h.Create("\\a.txt");
        _h.Write(file, 0, [1, 2, 3]);
        _h.ReadStatus(file, 3, new byte[10], out var read).Should().Be(NtStatus.EndOfFile);
        read.Should().Be(0);
        _h.ReadStatus(file, 1, new byte[10], out read).Should().Be(NtStatus.Success);
        read.Should().Be(2);
        _h.Close(file);
    }

    [Fact]
    public void Overwrite_ExistingFile_EmptiesItAndAddsAttributes()
    {
        var file = _h.Create("\\a.txt", attributes: FileInfoOf.Hidden);
        _h.Write(file, 0, new byte[5000]);
        _h.Fs.Overwrite(file, file, FileInfoOf.Archive, false, 0, out var info).Should().Be(NtStatus.Success);
        info.FileSize.Should().Be(0);
        info.FileAttributes.Should().Be(FileInfoOf.Hidden | FileInfoOf.Archive);
        _h.ReadStatus(file, 0, new byte[10], out _).Should().Be(NtStatus.EndOfFile);
        _h.Close(file);
    }

    [Fact]
    public void Overwrite_Supersede_ReplacesAttributes()
    {
        var file = _h.Create("\\a.txt", attributes: FileInfoOf.Hidden);
        _h.Write(file, 0, new byte[10]);
        _h.Fs.Overwrite(file, file, FileInfoOf.System, true, 8192, out var info).Should().Be(NtStatus.Success);
        info.FileAttributes.Should().Be(FileInfoOf.System);
        info.FileSize.Should().Be(0, "an allocation size reserves space, it does not change the end of file");
        _h.Close(file);
    }

    [Fact]
    public void Write_ToEndOfFileFromSeveralThreads_LosesNothing()
    {
        var file = _h.Create("\\log.txt", AppendData);
        const int threads = 4, each = 250;
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            for (var i = 0; i < each; i++)
                _h.Write(file, 0, Encoding.ASCII.GetBytes($"{t:D2}-{i:D4}\n"), toEnd: true);
        });
        _h.Close(file);

        var reader = _h.Open("\\log.txt", ReadData);
        var lines = Encoding.ASCII.GetString(_h.ReadAll(reader)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        _h.Close(reader);
        lines.Should().HaveCount(threads * each).And.OnlyHaveUniqueItems();
        for (var t = 0; t < threads; t++)
            lines.Where(l => l.StartsWith($"{t:D2}-", StringComparison.Ordinal)).Should().HaveCount(each).And.BeInAscendingOrder();
    }

    [Fact]
    public void Write_AppendOnlyAccess_GoesToTheEndWhateverTheOffset()
    {
        var file = _h.Create("\\a.txt");
        _h.Write(file, 0, [1, 2, 3]);
        _h.Close(file);
        var appender = _h.Open("\\a.txt", AppendData);
        _h.Write(appender, 0, [4]);
        _h.Close(appender);
        var reader = _h.Open("\\a.txt", ReadData);
        _h.ReadAll(reader).Should().Equal(1, 2, 3, 4);
        _h.Close(reader);
    }

    [Fact]
    public void Write_ConstrainedIo_NeverExtendsTheFile()
    {
        var file = _h.Create("\\mapped.bin");
        _h.Write(file, 0, new byte[10]);
        _h.Write(file, 8, [1, 2, 3, 4], constrained: true).Should().Be(2);
        _h.Write(file, 10, [1], constrained: true).Should().Be(0);
        _h.Info(file).FileSize.Should().Be(10);
        _h.ReadAll(file)[8..].Should().Equal(1, 2);
        _h.Close(file);
    }

    [Fact]
    public void SetFileSize_EndOfFileVersusAllocation_OnlyEndOfFileGrowsTheFile()
    {
        var file = _h.Create("\\a.bin");
        _h.Write(file, 0, new byte[100]);

        _h.Fs.SetFileSize(file, file, 1 << 20, true, out var info).Should().Be(NtStatus.Success);
        info.FileSize.Should().Be(100, "a larger allocation keeps the end of file");
        _h.Fs.SetFileSize(file, file, 50, true, out info).Should().Be(NtStatus.Success);
        info.FileSize.Should().Be(50, "an allocation below the end of file truncates, as on NTFS");
        _h.Fs.SetFileSize(file, file, 4096, false, out info).Should().Be(NtStatus.Success);
        info.FileSize.Should().Be(4096);
        info.AllocationSize.Should().Be(4096);
        _h.ReadAll(file)[50..].Should().OnlyContain(b => b == 0);
        _h.Close(file);
    }

    [Fact]
    public void Flush_FileAndVolume_Succeed()
    {
        var file = _h.Create("\\a.bin");
        _h.Write(file, 0, [1]);
        _h.Fs.Flush(file, file, out var info).Should().Be(NtStatus.Success);
        info.FileSize.Should().Be(1);
        _h.Fs.Flush(null!, null!, out _).Should().Be(NtStatus.Success);
        _h.Close(file);
    }

    [Fact]
    public void GetVolumeInfo_ReportsSpaceAndLabel()
    {
        _h.Fs.GetVolumeInfo(out var volume).Should().Be(NtStatus.Success);
        volume.TotalSize.Should().BeGreaterThan(0);
        volume.FreeSize.Should().BeLessThanOrEqualTo(volume.TotalSize);
    }
}
