using CacheFs.Hosts.WinFsp;
using CacheFs.Volume;
using Fsp.Interop;

namespace CacheFs.WinFsp.Tests.Hosts.WinFsp;

public sealed class ChangeNoticeTests
{
    private static readonly Dictionary<long, string> Paths = new() { [1] = "", [5] = "Projects", [9] = "Projects/Plan.DOCX" };

    [Fact]
    public void Of_NameAdded_AddedUnderItsParentsSpelling()
    {
        var notices = ChangeNotices.Of(VolumeChange.Entry(5, "New.txt"), Path);
        notices.Should().ContainSingle().Which.Should().Be(new NotifyInfo
        {
            FileName = "\\Projects\\New.txt",
            Action = NotifyAction.Added,
            Filter = NotifyFilter.ChangeName,
        });
    }

    [Fact]
    public void Of_NameRemovedAtTheRoot_RemovedOnly()
    {
        var notices = ChangeNotices.Of(VolumeChange.Removed(1, "old.bin", 12), Path);
        notices.Should().ContainSingle().Which.Should().Be(new NotifyInfo
        {
            FileName = "\\old.bin",
            Action = NotifyAction.Removed,
            Filter = NotifyFilter.ChangeName,
        });
    }

    [Fact]
    public void Of_ContentChanged_ModifiedWithSize()
    {
        var notice = ChangeNotices.Of(VolumeChange.Content(9), Path).Should().ContainSingle().Subject;
        notice.FileName.Should().Be("\\Projects\\Plan.DOCX");
        notice.Action.Should().Be(NotifyAction.Modified);
        notice.Filter.Should().HaveFlag(NotifyFilter.ChangeSize).And.HaveFlag(NotifyFilter.ChangeLastWrite);
    }

    [Fact]
    public void Of_NodeWithoutAName_NothingToSay()
    {
        ChangeNotices.Of(VolumeChange.Attributes(77), Path).Should().BeEmpty();
        ChangeNotices.Of(VolumeChange.Attributes(1), Path).Should().BeEmpty("the root has no name to notify");
    }

    private static string? Path(long id) => Paths.GetValueOrDefault(id);
}
