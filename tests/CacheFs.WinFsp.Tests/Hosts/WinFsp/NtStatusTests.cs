using CacheFs.Hosts.WinFsp;
using Fsp;

namespace CacheFs.WinFsp.Tests.Hosts.WinFsp;

public sealed class NtStatusTests
{
    [Fact]
    public void Of_EveryFailure_IsAnErrorStatusAndOnlyOkIsSuccess()
    {
        foreach (var status in Enum.GetValues<FsStatus>())
        {
            var nt = NtStatus.Of(status);
            if (status == FsStatus.Ok)
                nt.Should().Be(FileSystemBase.STATUS_SUCCESS);
            else
                ((uint)nt >> 30).Should().Be(3, "{0} must be an error severity NTSTATUS", status);
        }
    }

    [Fact]
    public void Of_LeaseClash_SharingViolation() =>
        NtStatus.Of(FsStatus.Busy).Should().Be(FileSystemBase.STATUS_SHARING_VIOLATION);

    [Fact]
    public void OfLookup_MissingOnTheWay_PathNotFoundAndMissingLast_NameNotFound()
    {
        NtStatus.OfLookup(FsStatus.NotFound, inParent: true).Should().Be(FileSystemBase.STATUS_OBJECT_PATH_NOT_FOUND);
        NtStatus.OfLookup(FsStatus.NotDirectory, inParent: true).Should().Be(FileSystemBase.STATUS_OBJECT_PATH_NOT_FOUND);
        NtStatus.OfLookup(FsStatus.NotFound, inParent: false).Should().Be(FileSystemBase.STATUS_OBJECT_NAME_NOT_FOUND);
    }
}
