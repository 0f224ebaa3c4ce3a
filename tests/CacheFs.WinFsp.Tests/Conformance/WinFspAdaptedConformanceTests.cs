using CacheFs.Hosts.WinFsp;
using CacheFs.Nodes;
using CacheFs.Tests.Conformance;

namespace CacheFs.WinFsp.Tests.Conformance;

/// <summary>
/// Conformance cases whose call Windows has but answers otherwise than Linux, rewritten with Windows' answer and run
/// through the same <see cref="WinFspDriver"/>. Each case it adapts is skipped in <see cref="WinFspConformanceTests"/>
/// with a reason that names its test here (<see cref="WindowsSkips"/>). What is left of a case that also checked modes,
/// owners or link counts runs here without them.
/// </summary>
public sealed class WinFspAdaptedConformanceTests(WinFspVolumeFixture fx) : IClassFixture<WinFspVolumeFixture>, IDisposable
{
    private readonly WinFspDriver _fs = new(fx.FileSystem, fx.NewDirectory(), fx.Time);

    public void Dispose() => _fs.Dispose();

    [Fact]
    public void SetTimes_ExplicitWithNanoseconds_RoundTripTo100Nanoseconds()
    {
        MakeFile("f");

        _fs.SetTimes("f", Timestamp.FromUnix(1_000_000_000, 123_456_789), Timestamp.FromUnix(1_300_000_000, 987_654_321)).Should().Be(FsStatus.Ok);

        var stat = StatOk("f");
        stat.AccessTime.Should().Be(Timestamp.FromUnix(1_000_000_000, 123_456_700), "a FILETIME counts 100 ns");
        stat.ModifyTime.Should().Be(Timestamp.FromUnix(1_300_000_000, 987_654_300));
    }

    [Fact]
    public void SetTimes_OmitOne_LeavesItAlone()
    {
        MakeFile("f");
        var first = Timestamp.FromUnix(1_000_000_000, 100);
        var second = Timestamp.FromUnix(1_100_000_000, 200);
        _fs.SetTimes("f", first, first).Should().Be(FsStatus.Ok);

        _fs.SetTimes("f", null, second).Should().Be(FsStatus.Ok);
        StatOk("f").AccessTime.Should().Be(first);
        StatOk("f").ModifyTime.Should().Be(second);

        _fs.SetTimes("f", second, null).Should().Be(FsStatus.Ok);
        StatOk("f").AccessTime.Should().Be(second);
        StatOk("f").ModifyTime.Should().Be(second);
    }

    [Fact]
    public void CreateAndMakeDirectory_NameOf256Characters_NameInvalid()
    {
        // Windows has no "name too long": past MaxComponentLength a name is STATUS_OBJECT_NAME_INVALID.
        var name = new string('n', 256);

        _fs.Open(name, OpenMode.Write | OpenMode.Create | OpenMode.Exclusive).Status.Should().Be(FsStatus.InvalidName);
        _fs.MakeDirectory(name).Should().Be(FsStatus.InvalidName);
        List().Should().BeEmpty();
    }

    [Fact]
    public void Create_MultiByteName_LimitCountsUtf8Bytes()
    {
        // NTFS would take 86 '€' (86 UTF-16 units); the core's limit is 255 UTF-8 bytes (README, known limits).
        var fits = new string('€', 85);
        var tooLong = new string('€', 86);

        MakeFile(fits);
        _fs.MakeDirectory(tooLong).Should().Be(FsStatus.InvalidName);

        List().Should().Equal(fits);
    }

    [Fact]
    public void Create_UnderAFile_PathNotFound()
    {
        // A file on the way is a missing path on Windows (STATUS_OBJECT_PATH_NOT_FOUND; FileTests has the exact status).
        MakeFile("f");

        _fs.Open("f/g", OpenMode.Write | OpenMode.Create).Status.Should().Be(FsStatus.NotFound);
        _fs.MakeDirectory("f/d").Should().Be(FsStatus.NotFound);
        _fs.Stat("f/g").Status.Should().Be(FsStatus.NotFound);
        List().Should().Equal("f");
    }

    [Fact]
    public void Create_NamesDifferingOnlyInCase_AreOneFile()
    {
        // On a case-insensitive volume they are one file, spelled as it was created.
        MakeFile("Readme", [1]);

        _fs.Open("README", OpenMode.Write | OpenMode.Create | OpenMode.Exclusive).Status.Should().Be(FsStatus.Exists);
        _fs.MakeDirectory("readme").Should().Be(FsStatus.Exists);

        List().Should().Equal("Readme");
        ReadAll("README").Should().Equal(1);
    }

    [Fact]
    public void Create_New_IsAnEmptyFile()
    {
        var handle = _fs.Open("f", OpenMode.ReadWrite | OpenMode.Create | OpenMode.Exclusive);
        handle.Status.Should().Be(FsStatus.Ok);
        _fs.Close(handle.Value).Should().Be(FsStatus.Ok);

        var stat = StatOk("f");
        stat.Kind.Should().Be(NodeKind.File);
        stat.Size.Should().Be(0);
        stat.ModifyTime.Should().Be(stat.ChangeTime);
    }

    [Fact]
    public void Create_NonExclusiveOnExistingFile_OpensItAsItIs()
    {
        MakeFile("f", [1, 2, 3]);
        var before = StatOk("f");

        var handle = _fs.Open("f", OpenMode.ReadWrite | OpenMode.Create);
        handle.Status.Should().Be(FsStatus.Ok);
        _fs.Close(handle.Value).Should().Be(FsStatus.Ok);

        StatOk("f").Inode.Should().Be(before.Inode);
        ReadAll("f").Should().Equal(1, 2, 3);
    }

    [Fact]
    public void RemoveDirectory_Empty_RemovesIt()
    {
        _fs.MakeDirectory("p").Should().Be(FsStatus.Ok);
        _fs.MakeDirectory("p/d").Should().Be(FsStatus.Ok);

        _fs.RemoveDirectory("p/d").Should().Be(FsStatus.Ok);

        _fs.Stat("p/d").Status.Should().Be(FsStatus.NotFound);
        List("p").Should().BeEmpty();
    }

    [Fact]
    public void Rename_DirectoryAcrossParents_MovesItWithItsContent()
    {
        _fs.MakeDirectory("p").Should().Be(FsStatus.Ok);
        _fs.MakeDirectory("q").Should().Be(FsStatus.Ok);
        _fs.MakeDirectory("p/d").Should().Be(FsStatus.Ok);
        MakeFile("p/d/inside", [5]);

        _fs.Rename("p/d", "q/d").Should().Be(FsStatus.Ok);

        List("p").Should().BeEmpty();
        List("q").Should().Equal("d");
        ReadAll("q/d/inside").Should().Equal(5);
    }

    [Fact]
    public void Rename_FileOntoDirectory_AccessDenied()
    {
        // NTFS replaces no directory by rename (STATUS_ACCESS_DENIED), whatever is renamed onto it.
        MakeFile("f", [1]);
        _fs.MakeDirectory("d").Should().Be(FsStatus.Ok);

        _fs.Rename("f", "d").Should().Be(FsStatus.AccessDenied);

        StatOk("d").Kind.Should().Be(NodeKind.Directory);
        ReadAll("f").Should().Equal(1);
    }

    [Fact]
    public void Rename_DirectoryOntoEmptyDirectory_AccessDenied()
    {
        _fs.MakeDirectory("a").Should().Be(FsStatus.Ok);
        MakeFile("a/inside");
        _fs.MakeDirectory("b").Should().Be(FsStatus.Ok);

        _fs.Rename("a", "b").Should().Be(FsStatus.AccessDenied);

        List().Should().Equal("a", "b");
        List("a").Should().Equal("inside");
    }

    [Fact]
    public void Rename_DirectoryOntoNonEmptyDirectory_AccessDenied()
    {
        _fs.MakeDirectory("a").Should().Be(FsStatus.Ok);
        _fs.MakeDirectory("b").Should().Be(FsStatus.Ok);
        MakeFile("b/keep");

        _fs.Rename("a", "b").Should().Be(FsStatus.AccessDenied);

        List("b").Should().Equal("keep");
        StatOk("a").Kind.Should().Be(NodeKind.Directory);
    }

    [Fact]
    public void Rename_DirectoryIntoItsOwnSubtree_InvalidArgumentAndOntoItsChildAccessDenied()
    {
        _fs.MakeDirectory("a").Should().Be(FsStatus.Ok);
        _fs.MakeDirectory("a/b").Should().Be(FsStatus.Ok);

        _fs.Rename("a", "a/b/c").Should().Be(FsStatus.InvalidArgument);
        _fs.Rename("a", "a/c").Should().Be(FsStatus.InvalidArgument);
        _fs.Rename("a", "a/b").Should().Be(FsStatus.AccessDenied, "an existing directory is never replaced");

        List().Should().Equal("a");
        List("a").Should().Equal("b");
    }

    [Fact]
    public void ListXattrs_AfterSetsAndARemove_ListsTheLiveNamesUpperCased()
    {
        MakeFile("f");
        _fs.ListXattrs("f").Value.Should().BeEmpty();

        foreach (var name in new[] { "user.one", "user.two", "user.three" })
            _fs.SetXattr("f", name, [1]).Should().Be(FsStatus.Ok);
        _fs.RemoveXattr("f", "user.two").Should().Be(FsStatus.Ok);

        _fs.ListXattrs("f").Value.Should().BeEquivalentTo("user.ONE", "user.THREE");
        _fs.GetXattr("f", "user.one").Value.Should().Equal(1);
    }

    [Fact]
    public void RemoveXattr_ThenAgain_IsNoError()
    {
        MakeFile("f");
        _fs.SetXattr("f", "user.a", [1]).Should().Be(FsStatus.Ok);

        _fs.RemoveXattr("f", "user.a").Should().Be(FsStatus.Ok);

        _fs.GetXattr("f", "user.a").Status.Should().Be(FsStatus.NoAttribute);
        _fs.RemoveXattr("f", "user.a").Should().Be(FsStatus.Ok, "NtSetEaFile deletes a missing EA without complaint");
    }

    [Fact]
    public void SetXattr_ValueAtTheHostsListLimit_RoundTripsAndOneMoreByteIsTooLarge()
    {
        // One entry is 8 bytes of header, the name and its NUL, and the value, within EaNames.MaxList.
        MakeFile("f");
        var largest = Enumerable.Range(0, EaNames.MaxList - 12).Select(i => (byte)(i * 7)).ToArray();

        _fs.SetXattr("f", "user.big", largest).Should().Be(FsStatus.Ok);
        _fs.SetXattr("f", "user.bigger", [.. largest, 1]).Should().Be(FsStatus.ValueTooLarge);

        _fs.GetXattr("f", "user.big").Value.Should().Equal(largest);
        _fs.ListXattrs("f").Value.Should().Equal("user.BIG");
    }

    [Fact]
    public void SetXattr_NameOver250BytesAfterTheUserPrefix_InvalidName()
    {
        MakeFile("f");
        var longest = "user." + new string('n', 250);

        _fs.SetXattr("f", longest, [1]).Should().Be(FsStatus.Ok);
        _fs.SetXattr("f", longest + "n", [1]).Should().Be(FsStatus.InvalidName);

        _fs.ListXattrs("f").Value.Should().Equal("user." + new string('N', 250));
    }

    [Fact]
    public void Symlink_Target_RoundTripsAndStatsAsASymlink()
    {
        const string target = "../somewhere/ünïcødé file";

        _fs.Symlink(target, "link").Should().Be(FsStatus.Ok);

        _fs.ReadLink("link").Value.Should().Be(target);
        var stat = StatOk("link");
        stat.Kind.Should().Be(NodeKind.Symlink);
        stat.Size.Should().Be(System.Text.Encoding.UTF8.GetByteCount(target));
    }

    [Fact]
    public void SetLength_ThroughASymlink_ChangesItsTarget()
    {
        MakeFile("target", [1, 2, 3]);
        _fs.Symlink("target", "link").Should().Be(FsStatus.Ok);

        _fs.SetLength("link", 1).Should().Be(FsStatus.Ok);

        ReadAll("target").Should().Equal(1);
        StatOk("link").Kind.Should().Be(NodeKind.Symlink);
    }

    [Fact]
    public void SetTimes_OnASymlink_ChangesTheLinkNotItsTarget()
    {
        MakeFile("target");
        _fs.Symlink("target", "link").Should().Be(FsStatus.Ok);
        var target = StatOk("target");
        var time = Timestamp.FromUnix(1_200_000_000, 4200);

        _fs.SetTimes("link", time, time).Should().Be(FsStatus.Ok);

        StatOk("link").ModifyTime.Should().Be(time);
        StatOk("target").ModifyTime.Should().Be(target.ModifyTime);
    }

    [Fact]
    public void Symlink_EmptyTarget_InvalidArgumentAndNothingLeft()
    {
        _fs.Symlink("", "link").Should().Be(FsStatus.InvalidArgument);

        List().Should().BeEmpty();
    }

    [Fact]
    public void Walk_SymlinkToDirectoryOnTheWay_IsFollowed()
    {
        _fs.MakeDirectory("real").Should().Be(FsStatus.Ok);
        _fs.Symlink("real", "link").Should().Be(FsStatus.Ok);
        _fs.Symlink("../real/f", "real/back").Should().Be(FsStatus.Ok);

        MakeFile("link/f", [7]);

        List("real").Should().BeEquivalentTo("back", "f");
        List("link").Should().BeEquivalentTo("back", "f");
        StatOk("link").Kind.Should().Be(NodeKind.Symlink);
        ReadAll("link/back").Should().Equal(7);
    }

    [Fact]
    public void SetXattr_OnASymlink_AccessDenied()
    {
        // Linux refuses user.* xattrs on a symlink (EPERM); the host refuses its EAs alike.
        _fs.Symlink("target", "link").Should().Be(FsStatus.Ok);

        _fs.SetXattr("link", "user.a", [1]).Should().Be(FsStatus.AccessDenied);
        _fs.GetXattr("link", "user.a").Status.Should().Be(FsStatus.NoAttribute);
        _fs.ListXattrs("link").Value.Should().BeEmpty();
    }

    private void MakeFile(string path, byte[]? content = null)
    {
        var handle = _fs.Open(path, OpenMode.Write | OpenMode.Create | OpenMode.Exclusive);
        handle.Status.Should().Be(FsStatus.Ok, "creating {0} should work", path);
        if (content is not null)
            _fs.Write(handle.Value, 0, content).Value.Should().Be(content.Length);
        _fs.Close(handle.Value).Should().Be(FsStatus.Ok);
    }

    private FileStat StatOk(string path)
    {
        var stat = _fs.Stat(path);
        stat.Status.Should().Be(FsStatus.Ok, "{0} should exist", path);
        return stat.Value;
    }

    private IReadOnlyList<string> List(string path = "")
    {
        var names = _fs.ReadDirectory(path);
        names.Status.Should().Be(FsStatus.Ok);
        return names.Value;
    }

    private byte[] ReadAll(string path)
    {
        var handle = _fs.Open(path, OpenMode.Read);
        handle.Status.Should().Be(FsStatus.Ok);
        var buffer = new byte[(int)_fs.StatHandle(handle.Value).Value.Size];
        _fs.Read(handle.Value, 0, buffer).Value.Should().Be(buffer.Length);
        _fs.Close(handle.Value).Should().Be(FsStatus.Ok);
        return buffer;
    }
}
