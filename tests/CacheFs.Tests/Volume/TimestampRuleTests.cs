using CacheFs.Nodes;
using CacheFs.Volume;

namespace CacheFs.Tests.Volume;

/// <summary>Which operations move which times, on a clock the test controls.</summary>
public sealed class TimestampRuleTests
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(10);

    [Fact]
    public void Open_TruncateOfEmptyFile_MovesModifyAndChangeTime()
    {
        var clock = new ManualTime(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero));
        using var t = new TestVolume(time: clock);
        var id = t.MakeFile("empty");
        clock.Advance(Step);

        var open = t.Volume.Open(id, OpenFlags.Write | OpenFlags.Truncate);
        open.Status.Should().Be(FsStatus.Ok);
        t.Volume.Release(open.Value.Handle);

        var now = Timestamp.FromDateTimeOffset(clock.GetUtcNow());
        var node = t.Volume.GetAttributes(id).Value;
        node.ModifyTime.Should().Be(now);
        node.ChangeTime.Should().Be(now);
        node.Size.Should().Be(0);
    }

    [Fact]
    public void Rename_CaseOnlyOnInsensitiveVolume_MovesChangeTimeOfTheFile()
    {
        var clock = new ManualTime(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero));
        using var t = new TestVolume(caseSensitive: false, time: clock);
        var id = t.MakeFile("report.doc");
        var before = t.Volume.GetAttributes(id).Value.ChangeTime;
        clock.Advance(Step);

        t.Volume.Rename(NodeIds.Root, "report.doc", NodeIds.Root, "Report.doc").Should().Be(FsStatus.Ok);

        t.List().Should().Equal("Report.doc");
        t.Volume.GetAttributes(id).Value.ChangeTime.Should().BeGreaterThan(before);
    }

    [Fact]
    public void Write_MovesModifyAndChangeTime_NotAccessTime()
    {
        var clock = new ManualTime(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero));
        using var t = new TestVolume(time: clock);
        var id = t.MakeFile("f", [1, 2, 3]);
        var created = t.Volume.GetAttributes(id).Value;
        clock.Advance(Step);

        var open = t.Volume.Open(id, OpenFlags.ReadWrite).Value;
        t.Volume.Write(open.Handle, 3, new byte[] { 4 }).Status.Should().Be(FsStatus.Ok);
        t.Volume.Release(open.Handle);

        var node = t.Volume.GetAttributes(id).Value;
        node.ModifyTime.Should().Be(Timestamp.FromDateTimeOffset(clock.GetUtcNow()));
        node.ChangeTime.Should().Be(node.ModifyTime);
        node.AccessTime.Should().Be(created.AccessTime, "reads and writes do not move atime (noatime)");
    }
}
