using CacheFs.Hosts.WinFsp;
using CacheFs.Nodes;
using CacheFs.Tests;
using Fsp;
using static CacheFs.WinFsp.Tests.Hosts.WinFsp.WinFspHarness;

namespace CacheFs.WinFsp.Tests.Hosts.WinFsp;

/// <summary>Symlinks and fifos a Linux client made: listed, looked at, renamed and deleted from Windows, never read.</summary>
public sealed class LinuxKindTests : IDisposable
{
    private readonly WinFspHarness _h = new();

    public LinuxKindTests()
    {
        _h.Volume.Volume.MakeSymlink(NodeIds.Root, "link", "target/file", TestVolume.Owner).Status.Should().Be(FsStatus.Ok);
        _h.Volume.Volume.MakeNode(NodeIds.Root, "pipe", NodeKind.Fifo, TestVolume.Owner).Status.Should().Be(FsStatus.Ok);
    }

    public void Dispose() => _h.Dispose();

    [Fact]
    public void Open_SymlinkForReadingAttributes_WorksButItsDataIsRefused()
    {
        var root = _h.Open("\\", ReadData);
        _h.List(root).Should().Equal("link", "pipe");
        _h.Close(root);

        var link = _h.Open("\\LINK", ReadData | 0x80);
        _h.Info(link).FileSize.Should().Be((ulong)"target/file".Length);
        _h.ReadStatus(link, 0, new byte[4], out _).Should().Be(NtStatus.AccessDenied);
        _h.Close(link);
    }

    [Fact]
    public void Open_SymlinkForWriting_OpensForItsReparsePointButItsDataIsRefused()
    {
        var link = _h.Open("\\link", WriteData);

        _h.Fs.Write(link, link, 0, 0, 1, false, false, out _, out _).Should().Be(NtStatus.AccessDenied);

        _h.Close(link);
    }

    [Fact]
    public void Open_FifoForWriting_AccessDenied() =>
        _h.OpenStatus("\\pipe", WriteData, out _, out _).Should().Be(NtStatus.AccessDenied);

    [Fact]
    public void RenameAndDeleteOnClose_Symlink_Work()
    {
        var link = _h.Open("\\link", 0x10000);
        _h.Fs.Rename(link, link, "\\link", "\\renamed", false).Should().Be(NtStatus.Success);
        _h.Fs.CanDelete(link, link, "\\renamed").Should().Be(NtStatus.Success);
        _h.Close(link, "\\renamed", FileSystemBase.CleanupDelete);
        _h.OpenStatus("\\renamed", ReadData, out _, out _).Should().Be(FileSystemBase.STATUS_OBJECT_NAME_NOT_FOUND);
        _h.Volume.Volume.Resolve("renamed").Status.Should().Be(FsStatus.NotFound);
    }
}
