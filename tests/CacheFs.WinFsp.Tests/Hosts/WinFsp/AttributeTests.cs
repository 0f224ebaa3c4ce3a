using CacheFs.Tests;
using CacheFs.Hosts.WinFsp;
using CacheFs.Nodes;
using Fsp;
using static CacheFs.WinFsp.Tests.Hosts.WinFsp.WinFspHarness;

namespace CacheFs.WinFsp.Tests.Hosts.WinFsp;

public sealed class AttributeTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly ManualTime _time = new(Start);
    private readonly WinFspHarness _h;

    public AttributeTests() => _h = new WinFspHarness(time: _time);

    public void Dispose() => _h.Dispose();

    [Fact]
    public void SetBasicInfo_AttributesAndFourTimes_RoundTripThroughANewOpen()
    {
        var file = _h.Create("\\a.txt");
        var created = (ulong)Timestamp.FromDateTimeOffset(new DateTimeOffset(2020, 1, 2, 3, 4, 5, TimeSpan.Zero)).ToFileTime() + 1234;
        _h.Fs.SetBasicInfo(file, file, FileInfoOf.Hidden | FileInfoOf.ReadOnly, created, created + 10, created + 20, created + 30, out var info)
            .Should().Be(NtStatus.Success);
        _h.Close(file);

        var again = _h.Open("\\A.TXT", ReadData);
        info = _h.Info(again);
        info.FileAttributes.Should().Be(FileInfoOf.Hidden | FileInfoOf.ReadOnly);
        info.CreationTime.Should().Be(created);
        info.LastAccessTime.Should().Be(created + 10);
        info.LastWriteTime.Should().Be(created + 20);
        info.ChangeTime.Should().Be(created + 30);
        _h.Close(again);
    }

    [Fact]
    public void SetBasicInfo_ZeroAndMinusOne_LeaveEverythingAndNormalClears()
    {
        var file = _h.Create("\\a.txt", attributes: FileInfoOf.System);
        var before = _h.Info(file);
        _time.Advance(TimeSpan.FromMinutes(5));
        _h.Fs.SetBasicInfo(file, file, 0, 0, ulong.MaxValue, 0, 0, out var info).Should().Be(NtStatus.Success);
        info.FileAttributes.Should().Be(FileInfoOf.System);
        info.LastWriteTime.Should().Be(before.LastWriteTime);
        info.LastAccessTime.Should().Be(before.LastAccessTime);
        _h.Fs.SetBasicInfo(file, file, FileInfoOf.Normal, 0, 0, 0, 0, out info).Should().Be(NtStatus.Success);
        info.FileAttributes.Should().Be(FileInfoOf.Normal);
        _h.Close(file);
    }

    [Fact]
    public void Create_DirectoryWithAttributes_KeepsThemBesideTheDirectoryBit()
    {
        _h.CreateStatus("\\d", ReadData, out var dir, DirectoryFile, FileInfoOf.Hidden).Should().Be(NtStatus.Success);
        _h.Info(dir).FileAttributes.Should().Be(FileInfoOf.Directory | FileInfoOf.Hidden);
        _h.Close(dir);
    }

    [Fact]
    public void Cleanup_ModifiedFile_SetsArchiveBitAndTheClockTimes()
    {
        var file = _h.Create("\\a.txt");
        _h.Write(file, 0, [1]);
        _time.Advance(TimeSpan.FromHours(1));
        _h.Close(file, "\\a.txt", FileSystemBase.CleanupSetArchiveBit | FileSystemBase.CleanupSetLastWriteTime | FileSystemBase.CleanupSetChangeTime);

        var again = _h.Open("\\a.txt", ReadData);
        var info = _h.Info(again);
        info.FileAttributes.Should().Be(FileInfoOf.Archive);
        TimeOf(info.LastWriteTime).Should().Be(Timestamp.FromDateTimeOffset(Start.AddHours(1)));
        TimeOf(info.ChangeTime).Should().Be(Timestamp.FromDateTimeOffset(Start.AddHours(1)));
        _h.Close(again);
    }

    [Fact]
    public void GetFileInfo_NewFile_TimesFromTheVolumeClockAndIndexIsTheNode()
    {
        var file = _h.Create("\\a.txt");
        var info = _h.Info(file);
        TimeOf(info.CreationTime).Should().Be(Timestamp.FromDateTimeOffset(Start));
        TimeOf(info.LastWriteTime).Should().Be(Timestamp.FromDateTimeOffset(Start));
        info.IndexNumber.Should().Be((ulong)_h.Volume.Volume.Resolve("a.txt").Value.Id);
        _h.Close(file);
    }
}
