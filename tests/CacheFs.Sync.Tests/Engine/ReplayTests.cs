using System.Globalization;
using System.Runtime.Versioning;
using System.Text;
using CacheFs.Nodes;
using CacheFs.Sync.Tests.Harness;
using CacheFs.Volume;

namespace CacheFs.Sync.Tests.Engine;

/// <summary>
/// Changes travelling through a real origin: the outbox replays a mirror's changes into the origin's folder, the event
/// stream carries them to another mirror, write leases keep two writers apart, and a clash keeps both versions.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class ReplayTests : IAsyncLifetime
{
    private static readonly byte[] Original = "v1 of the report"u8.ToArray();

    private OriginHost _origin = null!;

    public async Task InitializeAsync() =>
        _origin = await OriginHost.StartAsync(root => File.WriteAllBytes(Path.Join(root, "report.txt"), Original));

    public async Task DisposeAsync() => await _origin.DisposeAsync();

    [Fact]
    public async Task Outbox_ChangesOnAMirror_ReachTheOriginsFolder()
    {
        await using var a = await Mirror.StartAsync(_origin, "ws-a");
        var shots = a.Volume.MakeDirectory(NodeIds.Root, "shots", new NewNode(Convert.ToUInt32("750", 8), 1000, 1000));
        shots.Status.Should().Be(FsStatus.Ok);
        var take = a.Create("shots", "take1.txt", "take one"u8.ToArray());
        a.Volume.Rename(shots.Value.Id, "take1.txt", shots.Value.Id, "take.txt").Should().Be(FsStatus.Ok);
        a.Volume.SetXattr(take, "user.scene", "12"u8).Should().Be(FsStatus.Ok);
        a.Overwrite("report.txt", "v2, edited on A"u8.ToArray());

        await a.SyncedAsync();

        File.ReadAllText(_origin.Disk("shots/take.txt")).Should().Be("take one");
        File.Exists(_origin.Disk("shots/take1.txt")).Should().BeFalse();
        (await _origin.NodeAsync("shots")).Mode.Should().Be(Convert.ToUInt32("750", 8), "the origin keeps modes in its database");
        File.ReadAllText(_origin.Disk("report.txt")).Should().Be("v2, edited on A");
        var remote = await _origin.NodeAsync("shots/take.txt");
        remote.Xattrs.Should().ContainKey("user.scene").WhoseValue.Should().Equal("12"u8.ToArray());
        var local = a.Volume.Attr(take);
        local.OriginId.Should().Be(remote.Id);
        local.OriginVersion.Should().Be(remote.ContentVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
        local.Dirty.Should().BeFalse();
        a.At("report.txt").Dirty.Should().BeFalse();
        (await Eventually.TrueAsync(() => a.Sync.LeasesHeld == 0)).Should().BeTrue("the write lease goes back once the upload is through");
    }

    [Fact]
    public async Task Outbox_SavedThroughATempFileRenamedOverTheOriginal_TheOriginalHasTheNewBytes()
    {
        await using var a = await Mirror.StartAsync(_origin, "ws-a");
        a.ReadAll("report.txt").Should().Equal(Original);

        // Saved while the engine is away, so the replay meets the rename already done here.
        await a.StopEngineAsync();
        a.Create("", "report.txt.tmp", "saved by an editor"u8.ToArray());
        a.Volume.Rename(NodeIds.Root, "report.txt.tmp", NodeIds.Root, "report.txt").Should().Be(FsStatus.Ok);
        await a.StartEngineAsync();
        await a.SyncedAsync();

        Directory.GetFileSystemEntries(_origin.Root).Select(Path.GetFileName).Should().Equal(["report.txt"], "no conflict copy, no leftover");
        File.ReadAllText(_origin.Disk("report.txt")).Should().Be("saved by an editor");
        a.List().Should().Equal("report.txt");
        a.At("report.txt").Dirty.Should().BeFalse();
    }

    [Fact]
    public async Task Relist_AskedForBeforeTheEngineStopped_DoneOnceItRunsAgain()
    {
        await using var a = await Mirror.StartAsync(_origin, "ws-a");
        await using var b = await Mirror.StartAsync(_origin, "ws-b");
        a.List().Should().Equal("report.txt");
        b.List().Should().Equal("report.txt");
        await a.StopEngineAsync();
        b.Volume.Unlink(NodeIds.Root, "report.txt").Should().Be(FsStatus.Ok);
        await b.SyncedAsync();

        // A missed the removal (its cursor is past it, as when a queued change of A's held the event back), and the
        // journal holds the relisting asked for then ("/" is the root).
        a.Volume.WriteSetting("cursor", (await _origin.HeadAsync()).ToString(CultureInfo.InvariantCulture)).Should().Be(FsStatus.Ok);
        a.Volume.WriteSetting("relist", "/").Should().Be(FsStatus.Ok);
        await a.StartEngineAsync();

        (await Eventually.TrueAsync(() => a.List().Count == 0)).Should().BeTrue("the root is listed again once the engine runs");
        (await Eventually.TrueAsync(() => a.Volume.ReadSetting("relist") == "")).Should().BeTrue("done, so no longer asked for");
    }

    [Fact]
    public async Task Events_ChangesOnA_ReachBWithoutRelisting()
    {
        await using var a = await Mirror.StartAsync(_origin, "ws-a");
        await using var b = await Mirror.StartAsync(_origin, "ws-b");
        b.ReadAll("report.txt").Should().Equal(Original);
        b.At("report.txt").Content.Should().Be(ContentState.Complete);
        b.List().Should().Equal("report.txt");
        a.List().Should().Equal("report.txt");
        var listings = _origin.Relay.Count("GET", Protocol.Routes.List);

        a.Overwrite("report.txt", "v2 from A"u8.ToArray());
        a.Create("", "fresh.txt", "new on A"u8.ToArray());
        a.Volume.MakeDirectory(NodeIds.Root, "dir", Mirror.Owner).Status.Should().Be(FsStatus.Ok);
        await a.SyncedAsync();
        await b.CaughtUpAsync();

        b.At("report.txt").Content.Should().Be(ContentState.Placeholder, "B's copy of the old version is dropped");
        b.ReadAll("report.txt").Should().Equal("v2 from A"u8.ToArray());
        b.List().Should().BeEquivalentTo("report.txt", "fresh.txt", "dir");
        b.ReadAll("fresh.txt").Should().Equal("new on A"u8.ToArray());
        _origin.Relay.Count("GET", Protocol.Routes.List).Should().Be(listings, "B learnt the new names from the event stream");

        a.Volume.Rename(NodeIds.Root, "fresh.txt", a.At("dir").Id, "moved.txt").Should().Be(FsStatus.Ok);
        a.Volume.Unlink(NodeIds.Root, "report.txt").Should().Be(FsStatus.Ok);
        await a.SyncedAsync();
        await b.CaughtUpAsync();

        b.List().Should().Equal("dir");
        b.ReadAll("dir/moved.txt").Should().Equal("new on A"u8.ToArray());
    }

    [Fact]
    public async Task Events_RootAttributesChangedOnA_BFollowsWithoutAnEmptyName()
    {
        await using var a = await Mirror.StartAsync(_origin, "ws-a");
        await using var b = await Mirror.StartAsync(_origin, "ws-b");
        b.List().Should().Equal("report.txt");

        a.Volume.SetAttributes(NodeIds.Root, new AttributeChanges { Mode = Convert.ToUInt32("750", 8) }).Status.Should().Be(FsStatus.Ok);
        await a.SyncedAsync();
        await b.CaughtUpAsync();

        (await _origin.NodeAsync("")).Mode.Should().Be(Convert.ToUInt32("750", 8));
        b.List().Should().Equal(["report.txt"], "the root's own change is no entry in it");
    }

    [Fact]
    public async Task Open_ForWritingAFileAnotherMirrorWrites_BusyUntilItsLeaseGoesBack()
    {
        await using var a = await Mirror.StartAsync(_origin, "ws-a");
        await using var b = await Mirror.StartAsync(_origin, "ws-b");
        var onB = b.At("report.txt").Id;
        var writing = a.Open("report.txt", OpenFlags.ReadWrite);
        a.Volume.Write(writing, 0, "A's edit"u8).Status.Should().Be(FsStatus.Ok);

        b.Volume.Open(onB, OpenFlags.ReadWrite).Status.Should().Be(FsStatus.Busy, "A has bytes the origin has not seen");
        b.Volume.SetAttributes(onB, new AttributeChanges { Size = 0 }).Status.Should().Be(FsStatus.Busy);
        b.Volume.Unlink(NodeIds.Root, "report.txt").Should().Be(FsStatus.Busy);
        var reading = b.Open("report.txt", OpenFlags.Read);
        b.Read(reading, 0, 100).Should().Equal(Original, "readers are never refused");
        b.Volume.Release(reading).Should().Be(FsStatus.Ok);
        b.Volume.OutboxLength.Should().Be(0, "a refused change is not queued");

        a.Volume.Release(writing).Should().Be(FsStatus.Ok);

        ulong handle = 0;
        (await Eventually.TrueAsync(() =>
        {
            var opened = b.Volume.Open(onB, OpenFlags.ReadWrite);
            handle = opened.IsOk ? opened.Value.Handle : 0;
            return opened.IsOk;
        })).Should().BeTrue("A gave its lease back once its last writer closed and its bytes were uploaded");
        b.Volume.Release(handle).Should().Be(FsStatus.Ok);
    }

    /// <summary>
    /// A lease protects unsent bytes, not an open: a writer that has sent everything gives the lease up when another
    /// client asks, and takes it again at its next write (two machines sharing a file under byte-range locks need it).
    /// </summary>
    [Fact]
    public async Task Open_ForWritingAFileAnotherMirrorHasOpenWithNothingUnsent_TheLeaseMovesAndComesBackOnWrite()
    {
        await using var a = await Mirror.StartAsync(_origin, "ws-a");
        await using var b = await Mirror.StartAsync(_origin, "ws-b");
        var onA = a.Open("report.txt", OpenFlags.ReadWrite);

        var onB = b.Open("report.txt", OpenFlags.ReadWrite);
        b.Volume.Write(onB, 0, "B's edit"u8).Status.Should().Be(FsStatus.Ok);
        a.Volume.Write(onA, 0, "A's edit"u8).Status.Should().Be(FsStatus.Busy, "B holds the lease with bytes the origin has not seen");

        b.Volume.Release(onB).Should().Be(FsStatus.Ok);
        await b.SyncedAsync();
        await a.CaughtUpAsync();
        a.Volume.Write(onA, 0, "A's edit"u8).Status.Should().Be(FsStatus.Ok, "B's bytes went up, so the lease came back to A's writer");
        a.Volume.Release(onA).Should().Be(FsStatus.Ok);
        await a.SyncedAsync();
        File.ReadAllText(_origin.Disk("report.txt")).Should().StartWith("A's edit");
    }

    [Fact]
    public async Task Upload_VersionMovedOnTheOrigin_KeptAsAConflictCopyAndTheOriginalFollowsTheOrigin()
    {
        await using var a = await Mirror.StartAsync(_origin, "ws-a");
        await using var b = await Mirror.StartAsync(_origin, "ws-b");
        a.ReadAll("report.txt").Should().Equal(Original);
        await a.StopEngineAsync();
        a.Overwrite("report.txt", "A's edit, made offline"u8.ToArray());
        b.Overwrite("report.txt", "B's edit"u8.ToArray());
        await b.SyncedAsync();
        (await Eventually.TrueAsync(() => b.Sync.LeasesHeld == 0)).Should().BeTrue();

        await a.StartEngineAsync(time: new FrozenClock(new DateTimeOffset(2026, 11, 21, 14, 30, 5, TimeSpan.Zero)));
        await a.SyncedAsync();

        const string Conflict = "report (conflict ws-a 2026-11-21 143005).txt";
        File.ReadAllText(_origin.Disk("report.txt")).Should().Be("B's edit", "the origin keeps its version");
        File.ReadAllText(_origin.Disk(Conflict)).Should().Be("A's edit, made offline", "nothing A wrote is lost");
        var version = (await _origin.NodeAsync("report.txt")).ContentVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        (await Eventually.TrueAsync(() => a.At("report.txt").OriginVersion == version)).Should().BeTrue("the original follows the origin's version");
        a.List().Should().BeEquivalentTo("report.txt", Conflict);
        a.At("report.txt").Dirty.Should().BeFalse();
        a.ReadAll("report.txt").Should().Equal("B's edit"u8.ToArray());
        a.ReadAll(Conflict).Should().Equal("A's edit, made offline"u8.ToArray());
        await b.CaughtUpAsync();
        b.ReadAll(Conflict).Should().Equal("A's edit, made offline"u8.ToArray());
    }

    [Fact]
    public async Task Restart_ChangesMadeWhileTheEngineWasStopped_CaughtUp()
    {
        await using var a = await Mirror.StartAsync(_origin, "ws-a");
        await using var b = await Mirror.StartAsync(_origin, "ws-b");
        a.ReadAll("report.txt").Should().Equal(Original);
        await a.CaughtUpAsync();
        await a.StopEngineAsync();

        b.Overwrite("report.txt", "changed while A was away"u8.ToArray());
        await b.SyncedAsync();
        await a.StartEngineAsync();
        await a.CaughtUpAsync();

        Encoding.UTF8.GetString(a.ReadAll("report.txt")).Should().Be("changed while A was away", "the event stream resumes where it stopped, not at the new session's head");
    }

    [Fact]
    public async Task Restart_ReplayOfItsOwnEarlierChanges_NothingGoesBackInTime()
    {
        await using var a = await Mirror.StartAsync(_origin, "ws-a");
        var savedBeforeTheCrash = await _origin.HeadAsync();
        a.Create("", "new.txt", []);
        await a.SyncedAsync();
        await a.StopEngineAsync();

        // The mount dies with its cursor where a periodic save left it (every 256 changes, or at a reconnect), before
        // its own creation of new.txt; the remount uploads the bytes written before the crash.
        a.Volume.WriteSetting("cursor", savedBeforeTheCrash.ToString(System.Globalization.CultureInfo.InvariantCulture)).Should().Be(FsStatus.Ok);
        a.Overwrite("new.txt", "written before the crash"u8.ToArray());
        _origin.Relay.HoldEvents();
        await a.StartEngineAsync();
        await a.SyncedAsync();
        _origin.Relay.ReleaseEvents();
        await a.CaughtUpAsync();

        File.ReadAllText(_origin.Disk("new.txt")).Should().Be("written before the crash");
        a.At("new.txt").Size.Should().Be(24, "the replayed creation (an empty file) is older than what this mount uploaded since");
        Encoding.UTF8.GetString(a.ReadAll("new.txt")).Should().Be("written before the crash");
    }
}
