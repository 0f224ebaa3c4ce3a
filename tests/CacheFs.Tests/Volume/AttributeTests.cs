using CacheFs.Nodes;
using CacheFs.Volume;

namespace CacheFs.Tests.Volume;

public sealed class AttributeTests
{
    private const long Root = NodeIds.Root;
    private static readonly Timestamp When = Timestamp.FromUnix(1_600_000_000, 987_654_321);

    [Fact]
    public void SetAttributes_Mode_ChangesModeAndCtimeOnly()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", [1, 2]);
        t.Volume.Backdate(id);
        var before = t.Volume.Now();

        var changed = t.Volume.SetAttributes(id, new AttributeChanges { Mode = Convert.ToUInt32("600", 8) });

        changed.Status.Should().Be(FsStatus.Ok);
        changed.Value.Mode.Should().Be(Convert.ToUInt32("600", 8));
        changed.Value.ChangeTime.Should().BeGreaterThanOrEqualTo(before);
        changed.Value.ModifyTime.Should().Be(VolumeTestExtensions.Past);
        changed.Value.AccessTime.Should().Be(VolumeTestExtensions.Past);
        changed.Value.Size.Should().Be(2);
        changed.Value.Uid.Should().Be(TestVolume.Owner.Uid);
    }

    [Fact]
    public void SetAttributes_ModeWithFileTypeBits_KeepsPermissionAndSpecialBits()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f");

        var changed = t.Volume.SetAttributes(id, new AttributeChanges { Mode = Convert.ToUInt32("106775", 8) });

        changed.Value.Mode.Should().Be(Convert.ToUInt32("6775", 8));
        changed.Value.Kind.Should().Be(NodeKind.File);
    }

    [Fact]
    public void SetAttributes_Owner_ChangesUidGid()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f");

        var changed = t.Volume.SetAttributes(id, new AttributeChanges { Uid = 0, Gid = 50 });

        changed.Value.Uid.Should().Be(0);
        changed.Value.Gid.Should().Be(50);
        changed.Value.Mode.Should().Be(TestVolume.Owner.Mode);
    }

    [Fact]
    public void SetAttributes_OnlyGid_KeepsUid()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f");

        var changed = t.Volume.SetAttributes(id, new AttributeChanges { Gid = 77 });

        changed.Value.Uid.Should().Be(TestVolume.Owner.Uid);
        changed.Value.Gid.Should().Be(77);
    }

    [Fact]
    public void SetAttributes_Times_SetExactlyWithNanoseconds()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f");
        var atime = Timestamp.FromUnix(1_000_000_000, 1);
        var btime = Timestamp.FromUnix(900_000_000, 999_999_999);

        var changed = t.Volume.SetAttributes(id, new AttributeChanges { AccessTime = atime, ModifyTime = When, BirthTime = btime });

        changed.Value.AccessTime.Should().Be(atime);
        changed.Value.ModifyTime.Should().Be(When);
        changed.Value.BirthTime.Should().Be(btime);
        t.Reopen();
        var back = t.Volume.Attr(id);
        back.AccessTime.Should().Be(atime);
        back.ModifyTime.Should().Be(When);
        back.BirthTime.Should().Be(btime);
    }

    [Fact]
    public void SetAttributes_TimesBeforeEpoch_Kept()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f");
        var old = Timestamp.FromUnix(-86_400, 500);

        t.Volume.SetAttributes(id, new AttributeChanges { ModifyTime = old }).Value.ModifyTime.Should().Be(old);
        t.Reopen();
        t.Volume.Attr(id).ModifyTime.Should().Be(old);
    }

    [Fact]
    public void SetAttributes_ExplicitTimes_CtimeIsNow()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f");
        var before = t.Volume.Now();

        var changed = t.Volume.SetAttributes(id, new AttributeChanges { ModifyTime = When });

        changed.Value.ChangeTime.Should().BeGreaterThanOrEqualTo(before, "utimes changes the inode, so ctime moves");
    }

    [Fact]
    public void SetAttributes_ExplicitChangeTime_Kept()
    {
        using var t = new TestVolume(caseSensitive: false);
        var id = t.MakeFile("f");

        var changed = t.Volume.SetAttributes(id, new AttributeChanges { ChangeTime = When });

        changed.Value.ChangeTime.Should().Be(When);
    }

    [Fact]
    public void SetAttributes_WindowsAttributes_Stored()
    {
        using var t = new TestVolume(caseSensitive: false);
        var id = t.MakeFile("f");

        t.Volume.SetAttributes(id, new AttributeChanges { WindowsAttributes = 0x1 | 0x20 }).Value.WindowsAttributes.Should().Be(0x21u);

        t.Reopen();
        t.Volume.Attr(id).WindowsAttributes.Should().Be(0x21u);
    }

    [Fact]
    public void SetAttributes_NothingSet_OnlyCtimeMoves()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", [1]);
        t.Volume.Backdate(id);
        var before = t.Volume.Attr(id);

        var after = t.Volume.SetAttributes(id, default).Value;

        after.Should().BeEquivalentTo(before, o => o.Excluding(a => a.ChangeTime).Excluding(a => a.LastAccess));
        after.ChangeTime.Should().BeGreaterThan(VolumeTestExtensions.Past);
    }

    [Fact]
    public void SetAttributes_SizeAndModeTogether_BothApplied()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", [1, 2, 3, 4]);

        var changed = t.Volume.SetAttributes(id, new AttributeChanges { Size = 2, Mode = Convert.ToUInt32("400", 8), Uid = 9 });

        changed.Value.Size.Should().Be(2);
        changed.Value.Mode.Should().Be(Convert.ToUInt32("400", 8));
        changed.Value.Uid.Should().Be(9);
        t.ReadAll(id).Should().Equal(1, 2);
    }

    [Fact]
    public void SetAttributes_Directory_ModeOwnerTimes()
    {
        using var t = new TestVolume();
        var d = t.MakeDir("d");

        var changed = t.Volume.SetAttributes(d, new AttributeChanges { Mode = Convert.ToUInt32("700", 8), Uid = 1, ModifyTime = When });

        changed.Value.Mode.Should().Be(Convert.ToUInt32("700", 8));
        changed.Value.Uid.Should().Be(1);
        changed.Value.ModifyTime.Should().Be(When);
        changed.Value.LinkCount.Should().Be(2);
    }

    [Fact]
    public void SetAttributes_Root_ModeAndOwner()
    {
        using var t = new TestVolume();

        t.Volume.SetAttributes(Root, new AttributeChanges { Mode = Convert.ToUInt32("1777", 8), Uid = 1000 }).Status.Should().Be(FsStatus.Ok);

        t.Reopen();
        t.Volume.Attr(Root).Mode.Should().Be(Convert.ToUInt32("1777", 8));
        t.Volume.Attr(Root).Uid.Should().Be(1000);
    }

    [Fact]
    public void SetAttributes_SymlinkOwner_Changes()
    {
        using var t = new TestVolume();
        var l = t.Volume.MakeSymlink(Root, "l", "target", TestVolume.Owner).Value;

        var changed = t.Volume.SetAttributes(l.Id, new AttributeChanges { Uid = 3, Gid = 4, ModifyTime = When });

        changed.Value.Uid.Should().Be(3);
        changed.Value.ModifyTime.Should().Be(When);
        changed.Value.Size.Should().Be(6);
        t.Volume.ReadLink(l.Id).Value.Should().Be("target");
    }

    [Fact]
    public void SetAttributes_MissingNode_NotFound()
    {
        using var t = new TestVolume();

        t.Volume.SetAttributes(9999, new AttributeChanges { Mode = 0 }).Status.Should().Be(FsStatus.NotFound);
    }

    [Fact]
    public void SetAttributes_UnlinkedClosedFile_NotFound()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f");
        t.Volume.Unlink(Root, "f").Ok();

        t.Volume.SetAttributes(id, new AttributeChanges { Mode = 0 }).Status.Should().Be(FsStatus.NotFound);
    }

    [Fact]
    public void SetAttributes_UnlinkedOpenFile_WorksThroughLiveState()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", [1, 2, 3]);
        var h = t.Volume.OpenHandle(id);
        t.Volume.Unlink(Root, "f").Ok();

        var changed = t.Volume.SetAttributes(id, new AttributeChanges { Size = 1, Mode = Convert.ToUInt32("600", 8) });

        changed.Value.Size.Should().Be(1);
        changed.Value.Mode.Should().Be(Convert.ToUInt32("600", 8));
        t.Volume.ReadAt(h, 0, 10).Should().Equal(1);
        t.Volume.Release(h).Ok();
        t.Volume.GetAttributes(id).Status.Should().Be(FsStatus.NotFound);
    }

    [Fact]
    public void SetAttributes_OnOpenFileWithUnflushedWrites_KeepsSizeAndContent()
    {
        using var t = new TestVolume();
        var (id, h) = t.CreateOpen("f");
        t.Volume.WriteAt(h, 0, [1]);
        t.Volume.WriteAt(h, 1, [2, 3, 4, 5]);

        var changed = t.Volume.SetAttributes(id, new AttributeChanges { Mode = Convert.ToUInt32("444", 8) });

        changed.Value.Size.Should().Be(5);
        t.Volume.Release(h).Ok();
        t.Reopen();
        t.Volume.Attr(id).Size.Should().Be(5);
        t.Volume.Attr(id).Mode.Should().Be(Convert.ToUInt32("444", 8));
        t.ReadAll(id).Should().Equal(1, 2, 3, 4, 5);
    }

    [Fact]
    public void SetAttributes_ModifyTimeThenWrite_WriteMovesItAgain()
    {
        using var t = new TestVolume();
        var (id, h) = t.CreateOpen("f");
        t.Volume.SetAttributes(id, new AttributeChanges { ModifyTime = When }).Status.Should().Be(FsStatus.Ok);
        t.Volume.Attr(id).ModifyTime.Should().Be(When);
        var before = t.Volume.Now();

        t.Volume.WriteAt(h, 0, [1]);

        t.Volume.Attr(id).ModifyTime.Should().BeGreaterThanOrEqualTo(before);
        t.Volume.Release(h).Ok();
    }

    [Fact]
    public void SetAttributes_ModifyTimeAfterWrite_ExplicitTimeSurvivesRelease()
    {
        using var t = new TestVolume();
        var (id, h) = t.CreateOpen("f");
        t.Volume.WriteAt(h, 0, [1]);
        t.Volume.WriteAt(h, 1, [2]);

        t.Volume.SetAttributes(id, new AttributeChanges { ModifyTime = When, AccessTime = When }).Status.Should().Be(FsStatus.Ok);
        t.Volume.ReadAt(h, 0, 2);
        t.Volume.Release(h).Ok();

        t.Volume.Attr(id).ModifyTime.Should().Be(When, "touch -m after writing, as cp -p and tar do, must stick");
        t.Reopen();
        var back = t.Volume.Attr(id);
        back.ModifyTime.Should().Be(When);
        back.AccessTime.Should().Be(When);
        back.Size.Should().Be(2);
    }

    [Fact]
    public void Create_NewFile_AllTimesEqual()
    {
        using var t = new TestVolume();

        var a = t.Volume.Attr(t.MakeFile("f"));

        a.AccessTime.Should().Be(a.ModifyTime);
        a.ChangeTime.Should().Be(a.ModifyTime);
        a.BirthTime.Should().Be(a.ModifyTime);
    }

    [Fact]
    public void GetAttributes_AfterReopen_SameAsBefore()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", [1, 2, 3]);
        t.Volume.SetAttributes(id, new AttributeChanges { Mode = Convert.ToUInt32("640", 8), Uid = 12, Gid = 34, ModifyTime = When }).Status.Should().Be(FsStatus.Ok);
        var before = t.Volume.Attr(id);

        t.Reopen();

        t.Volume.Attr(id).Should().BeEquivalentTo(before);
    }
}
