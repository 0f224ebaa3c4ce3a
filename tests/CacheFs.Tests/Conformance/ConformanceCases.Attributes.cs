using CacheFs.Nodes;

namespace CacheFs.Tests.Conformance;

/// <summary>stat, chmod, chown, utimens, and which operation moves which time (as ext4 does).</summary>
public abstract partial class ConformanceCases
{
    [Fact]
    public void Stat_Directory_HasTwoLinksPlusOnePerSubdirectory()
    {
        Fs.MakeDirectory("d", Mode("750")).Should().Be(FsStatus.Ok);
        var made = StatOk("d");
        made.Kind.Should().Be(NodeKind.Directory);
        made.Mode.Should().Be(Caller.Masked(Mode("750")));
        made.Uid.Should().Be(Caller.Uid);
        made.LinkCount.Should().Be(2);

        Fs.MakeDirectory("d/a").Should().Be(FsStatus.Ok);
        Fs.MakeDirectory("d/b").Should().Be(FsStatus.Ok);
        MakeFile("d/f");
        StatOk("d").LinkCount.Should().Be(4, "each subdirectory's \"..\" is a link; files are not");

        Fs.RemoveDirectory("d/a").Should().Be(FsStatus.Ok);
        StatOk("d").LinkCount.Should().Be(3);
    }

    [Fact]
    public void MakeDirectory_StickyBit_IsKept()
    {
        Fs.MakeDirectory("shared", Mode("1777")).Should().Be(FsStatus.Ok);

        StatOk("shared").Mode.Should().Be(Caller.Masked(Mode("1777")));
    }

    [Fact]
    public void StatHandle_OpenFile_AgreesWithStatOfThePath()
    {
        MakeFile("f", Bytes(1234));
        var handle = OpenOk("f", OpenMode.Read);

        StatOk(handle).Should().Be(StatOk("f"));

        Fs.Close(handle).Should().Be(FsStatus.Ok);
    }

    [Fact]
    public void Chmod_AnyBits_SetsExactlyThoseAndMovesCtimeOnly()
    {
        MakeFile("f", [1]);
        var before = Backdate("f");

        foreach (var mode in new[] { "0", "4750", "2711", "1777", "600" })
        {
            Fs.Chmod("f", Mode(mode)).Should().Be(FsStatus.Ok);
            StatOk("f").Mode.Should().Be(Mode(mode));
        }

        var after = StatOk("f");
        after.Kind.Should().Be(NodeKind.File);
        after.ModifyTime.Should().Be(before.ModifyTime);
        after.ChangeTime.Should().BeGreaterThan(before.ChangeTime);
    }

    [Fact]
    public void Chown_NewIds_ChangesThemAndCtime()
    {
        // The suite runs as root (scripts/setup.sh), which may give a file away.
        MakeFile("f");
        var before = Backdate("f");

        Fs.Chown("f", 1234, 5678).Should().Be(FsStatus.Ok);
        Fs.Chown("f", uint.MaxValue, 42).Should().Be(FsStatus.Ok);

        var after = StatOk("f");
        after.Uid.Should().Be(1234);
        after.Gid.Should().Be(42);
        after.ModifyTime.Should().Be(before.ModifyTime);
        after.ChangeTime.Should().BeGreaterThan(before.ChangeTime);
    }

    [Fact]
    public void SetTimes_ExplicitWithNanoseconds_RoundTrip()
    {
        MakeFile("f");
        var access = Timestamp.FromUnix(1_000_000_000, 123_456_789);
        var modify = Timestamp.FromUnix(1_300_000_000, 987_654_321);

        Fs.SetTimes("f", access, modify).Should().Be(FsStatus.Ok);

        var stat = StatOk("f");
        stat.AccessTime.Should().Be(access);
        stat.ModifyTime.Should().Be(modify);
    }

    [Fact]
    public void SetTimes_BeforeTheEpoch_RoundTrip()
    {
        MakeFile("f");
        var time = Timestamp.FromUnix(-1_500_000_000, 250_000_000);

        Fs.SetTimes("f", time, time).Should().Be(FsStatus.Ok);

        StatOk("f").ModifyTime.Should().Be(time);
        StatOk("f").AccessTime.Should().Be(time);
    }

    [Fact]
    public void SetTimes_OmitOne_LeavesItAlone()
    {
        MakeFile("f");
        var first = Timestamp.FromUnix(1_000_000_000, 1);
        var second = Timestamp.FromUnix(1_100_000_000, 2);
        Fs.SetTimes("f", first, first).Should().Be(FsStatus.Ok);

        Fs.SetTimes("f", null, second).Should().Be(FsStatus.Ok);
        StatOk("f").AccessTime.Should().Be(first);
        StatOk("f").ModifyTime.Should().Be(second);

        Fs.SetTimes("f", second, null).Should().Be(FsStatus.Ok);
        StatOk("f").AccessTime.Should().Be(second);
        StatOk("f").ModifyTime.Should().Be(second);
    }

    [Fact]
    public void SetTimesToNow_BothTimes_TakeTheClock()
    {
        MakeFile("f");
        var before = Backdate("f");

        Fs.SetTimesToNow("f").Should().Be(FsStatus.Ok);

        var after = StatOk("f");
        after.ModifyTime.Should().BeGreaterThan(before.ChangeTime, "the clock has moved since the backdating stamped ctime");
        after.AccessTime.Should().Be(after.ModifyTime);
        after.ChangeTime.Should().BeGreaterThan(before.ChangeTime);
    }

    [Fact]
    public void Write_MovesMtimeAndCtime()
    {
        MakeFile("f", [1]);
        var before = Backdate("f");
        var handle = OpenOk("f", OpenMode.Write);

        WriteAt(handle, 1, [2]);

        var during = StatOk(handle);
        during.ModifyTime.Should().BeGreaterThan(before.ModifyTime);
        during.ChangeTime.Should().BeGreaterThan(before.ChangeTime);
        Fs.Close(handle).Should().Be(FsStatus.Ok);
        StatOk("f").ModifyTime.Should().Be(during.ModifyTime);
    }

    [Fact]
    public void Truncate_ChangingTheSize_MovesMtimeAndCtime()
    {
        MakeFile("f", Bytes(100));
        var before = Backdate("f");
        var handle = OpenOk("f", OpenMode.Write);

        Fs.Truncate(handle, 10).Should().Be(FsStatus.Ok);
        Fs.Close(handle).Should().Be(FsStatus.Ok);

        var after = StatOk("f");
        after.ModifyTime.Should().BeGreaterThan(before.ModifyTime);
        after.ChangeTime.Should().BeGreaterThan(before.ChangeTime);
    }

    [Fact]
    public void CreateAndRemove_InADirectory_MoveItsMtimeAndCtime()
    {
        Fs.MakeDirectory("d").Should().Be(FsStatus.Ok);
        var before = Backdate("d");

        MakeFile("d/f");
        var created = StatOk("d");
        created.ModifyTime.Should().BeGreaterThan(before.ModifyTime);
        created.ChangeTime.Should().BeGreaterThan(before.ChangeTime);

        Fs.LetTimePass();
        Fs.Unlink("d/f").Should().Be(FsStatus.Ok);
        var removed = StatOk("d");
        removed.ModifyTime.Should().BeGreaterThan(created.ModifyTime);
        removed.ChangeTime.Should().BeGreaterThan(created.ChangeTime);
    }

    [Fact]
    public void Rename_MovesCtimeOfTheNodeButNotItsMtime()
    {
        Fs.MakeDirectory("from").Should().Be(FsStatus.Ok);
        Fs.MakeDirectory("to").Should().Be(FsStatus.Ok);
        MakeFile("from/f", [1]);
        var file = Backdate("from/f");
        var from = Backdate("from");
        var to = Backdate("to");

        Fs.Rename("from/f", "to/g").Should().Be(FsStatus.Ok);

        var moved = StatOk("to/g");
        moved.ModifyTime.Should().Be(file.ModifyTime);
        moved.ChangeTime.Should().BeGreaterThan(file.ChangeTime);
        StatOk("from").ModifyTime.Should().BeGreaterThan(from.ModifyTime);
        StatOk("to").ModifyTime.Should().BeGreaterThan(to.ModifyTime);
    }

    [Fact]
    public void Link_MovesCtimeOfTheNodeButNotItsMtime()
    {
        MakeFile("f", [1]);
        var before = Backdate("f");

        Fs.Link("f", "g").Should().Be(FsStatus.Ok);

        var after = StatOk("g");
        after.ModifyTime.Should().Be(before.ModifyTime);
        after.ChangeTime.Should().BeGreaterThan(before.ChangeTime);
    }

    [Fact]
    public void SetXattr_MovesCtimeButNotMtime()
    {
        MakeFile("f");
        var before = Backdate("f");

        Fs.SetXattr("f", "user.tag", [1]).Should().Be(FsStatus.Ok);

        var after = StatOk("f");
        after.ModifyTime.Should().Be(before.ModifyTime);
        after.ChangeTime.Should().BeGreaterThan(before.ChangeTime);
    }
}
