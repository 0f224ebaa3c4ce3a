using CacheFs.Hosts.WinFsp;
using CacheFs.Tests.Hosts.Fuse;
using Fsp;
using static CacheFs.WinFsp.Tests.Hosts.WinFsp.WinFspHarness;

namespace CacheFs.WinFsp.Tests.Hosts.WinFsp;

/// <summary>Another client holds the origin's write lease: Windows programs see a sharing violation.</summary>
public sealed class LeaseTests : IDisposable
{
    private readonly WinFspHarness _h = new();
    private readonly RefusingLeases _leases = new();

    public LeaseTests()
    {
        new FakeOrigin().Put(_h.Volume.Volume, "shared.docx", [1, 2, 3], originId: 42);
        _h.Volume.Volume.Leases = _leases;
    }

    public void Dispose() => _h.Dispose();

    [Fact]
    public void Open_ForWritingWhileAnotherClientHoldsTheLease_SharingViolation()
    {
        _h.OpenStatus("\\shared.docx", WriteData, out _, out _).Should().Be(FileSystemBase.STATUS_SHARING_VIOLATION);
        _leases.Refused.Should().Be(1);
    }

    [Fact]
    public void Open_ForReadingOnly_NeedsNoLease()
    {
        _h.OpenStatus("\\shared.docx", ReadData | 0x80, out var file, out _).Should().Be(NtStatus.Success);
        _h.Close(file);
        _leases.Refused.Should().Be(0);
    }

    [Fact]
    public void CanDelete_WhileAnotherClientHoldsTheLease_SharingViolation()
    {
        var file = _h.Open("\\shared.docx", 0x10000);
        _h.Fs.CanDelete(file, file, "\\shared.docx").Should().Be(FileSystemBase.STATUS_SHARING_VIOLATION);
        _h.Close(file);
    }
}
