using System.Runtime.Versioning;
using System.Text;
using CacheFs.Nodes;
using CacheFs.Remote;
using CacheFs.Sync.Tests.Harness;

namespace CacheFs.Sync.Tests.Engine;

/// <summary>
/// Clashes between what a mirror did while cut off (its engine stopped: changes wait in the outbox) and what another
/// mirror did meanwhile. Each is settled without losing a version, and recorded.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class ReconcileTests : IAsyncLifetime
{
    private OriginHost _origin = null!;

    public async Task InitializeAsync() =>
        _origin = await OriginHost.StartAsync(root =>
        {
            File.WriteAllText(Path.Join(root, "report.txt"), "v1");
            Directory.CreateDirectory(Path.Join(root, "shots"));
            File.WriteAllText(Path.Join(root, "shots", "old.txt"), "old take");
        });

    public async Task DisposeAsync() => await _origin.DisposeAsync();

    [Fact]
    public async Task DeletedHere_EditedThere_TheirsIsKeptAndComesBack()
    {
        await using var a = await Mirror.StartAsync(_origin, "ws-a");
        await using var b = await Mirror.StartAsync(_origin, "ws-b");
        await DeletedOnAEditedOnBAsync(a, b);

        File.ReadAllText(_origin.Disk("report.txt")).Should().Be("v2 from B");
        Encoding.UTF8.GetString(a.ReadAll("report.txt")).Should().Be("v2 from B", "the dropped delete brings B's version back here");
        a.Volume.ListConflicts().Should().ContainSingle().Which.Kind.Should().Be(ConflictKind.DeletedHereEditedThere);
    }

    [Fact]
    public async Task EditedHere_DeletedThere_OursIsRestored()
    {
        await using var a = await Mirror.StartAsync(_origin, "ws-a");
        await using var b = await Mirror.StartAsync(_origin, "ws-b");
        _ = a.ReadAll("report.txt");
        await a.StopEngineAsync();
        a.Overwrite("report.txt", "v2 from A"u8.ToArray());

        b.Volume.Unlink(NodeIds.Root, "report.txt").Should().Be(FsStatus.Ok);
        await b.SyncedAsync();
        await ReconnectAsync(a);
        await b.CaughtUpAsync();

        File.ReadAllText(_origin.Disk("report.txt")).Should().Be("v2 from A");
        Encoding.UTF8.GetString(b.ReadAll("report.txt")).Should().Be("v2 from A");
        a.Volume.ListConflicts().Should().ContainSingle().Which.Kind.Should().Be(ConflictKind.EditedHereDeletedThere);
    }

    [Fact]
    public async Task NewFileHere_ItsDirectoryDeletedThere_TheDirectoryIsMadeAgainToHoldIt()
    {
        await using var a = await Mirror.StartAsync(_origin, "ws-a");
        await using var b = await Mirror.StartAsync(_origin, "ws-b");
        _ = a.At("shots/old.txt");
        await a.StopEngineAsync();
        a.Create("shots", "new.txt", "new take"u8.ToArray());

        var shots = b.At("shots").Id;
        b.Volume.Unlink(shots, "old.txt").Should().Be(FsStatus.Ok);
        b.Volume.RemoveDirectory(NodeIds.Root, "shots").Should().Be(FsStatus.Ok);
        await b.SyncedAsync();
        await ReconnectAsync(a);

        File.ReadAllText(_origin.Disk("shots/new.txt")).Should().Be("new take");
        File.Exists(_origin.Disk("shots/old.txt")).Should().BeFalse("B's delete of the other file stands");
        a.Volume.ListConflicts().Select(c => (c.Path, c.Kind)).Should().Equal(("shots", ConflictKind.DirectoryRecreated));
    }

    [Fact]
    public async Task EditedHereThenDeletedHere_NothingChangedThere_TheDeleteStandsWithoutAClash()
    {
        await using var a = await Mirror.StartAsync(_origin, "ws-a");
        _ = a.ReadAll("report.txt");
        await a.StopEngineAsync();
        a.Overwrite("report.txt", "v2 from A"u8.ToArray());
        a.Volume.Unlink(NodeIds.Root, "report.txt").Should().Be(FsStatus.Ok);

        await ReconnectAsync(a);

        File.Exists(_origin.Disk("report.txt")).Should().BeFalse("the upload queued before the delete moved the version the delete expects");
        a.Volume.ListConflicts().Should().BeEmpty();
    }

    [Fact]
    public async Task EditedHere_EditedThere_RecordedWithWhereOursWent()
    {
        await using var a = await Mirror.StartAsync(_origin, "ws-a");
        await using var b = await Mirror.StartAsync(_origin, "ws-b");
        await EditedOnBothAsync(a, b);

        var conflict = a.Volume.ListConflicts().Should().ContainSingle().Subject;
        conflict.Kind.Should().Be(ConflictKind.EditedBoth);
        conflict.KeptAs.Should().StartWith("report (conflict ws-a ");
        File.ReadAllText(_origin.Disk(conflict.KeptAs!)).Should().Be("v2 from A");
        File.ReadAllText(_origin.Disk("report.txt")).Should().Be("v2 from B");
    }

    [Fact]
    public async Task CreatedHere_CreatedThere_TheirsKeepsTheNameOursGoesBesideIt()
    {
        await using var a = await Mirror.StartAsync(_origin, "ws-a");
        await using var b = await Mirror.StartAsync(_origin, "ws-b");
        _ = a.At("report.txt");
        await a.StopEngineAsync();
        a.Create("", "plan.txt", "plan from A"u8.ToArray());
        b.Create("", "plan.txt", "plan from B"u8.ToArray());
        await b.SyncedAsync();

        await ReconnectAsync(a);

        File.ReadAllText(_origin.Disk("plan.txt")).Should().Be("plan from B");
        var conflict = a.Volume.ListConflicts().Should().ContainSingle().Subject;
        conflict.Kind.Should().Be(ConflictKind.CreatedBoth);
        File.ReadAllText(_origin.Disk(conflict.KeptAs!)).Should().Be("plan from A");
        Encoding.UTF8.GetString(a.ReadAll("plan.txt")).Should().Be("plan from B");
    }

    [Theory]
    [InlineData(ConflictChoice.Mine, "v2 from A", false)]
    [InlineData(ConflictChoice.Theirs, "v2 from B", false)]
    [InlineData(ConflictChoice.Both, "v2 from B", true)]
    public async Task Resolve_EditedBoth_TheChoiceReachesTheOrigin(ConflictChoice choice, string onTheName, bool copyStays)
    {
        await using var a = await Mirror.StartAsync(_origin, "ws-a");
        await using var b = await Mirror.StartAsync(_origin, "ws-b");
        await EditedOnBothAsync(a, b);
        var copy = a.Volume.ListConflicts().Single().KeptAs!;

        a.Volume.ResolveConflict("report.txt", choice).Status.Should().Be(FsStatus.Ok);
        await a.SyncedAsync();

        File.ReadAllText(_origin.Disk("report.txt")).Should().Be(onTheName);
        File.Exists(_origin.Disk(copy)).Should().Be(copyStays);
        a.Volume.ListConflicts().Should().BeEmpty("the clash is settled");
        a.Volume.ListConflicts(includeResolved: true).Should().ContainSingle().Which.Resolved.Should().BeTrue();
        a.Volume.ResolveConflict("report.txt", choice).Status.Should().Be(FsStatus.NotFound, "nothing is left to settle");
    }

    [Fact]
    public async Task Resolve_DeletedHereEditedThere_MineDeletesItAfterAll()
    {
        await using var a = await Mirror.StartAsync(_origin, "ws-a");
        await using var b = await Mirror.StartAsync(_origin, "ws-b");
        await DeletedOnAEditedOnBAsync(a, b);

        a.Volume.ResolveConflict("report.txt", ConflictChoice.Mine).Status.Should().Be(FsStatus.Ok);
        await a.SyncedAsync();

        File.Exists(_origin.Disk("report.txt")).Should().BeFalse();
    }

    /// <summary>A cut off mirror comes back: its outbox replays and it applies what changed meanwhile.</summary>
    private static async Task ReconnectAsync(Mirror mirror)
    {
        await mirror.StartEngineAsync();
        await mirror.SyncedAsync();
        await mirror.CaughtUpAsync();
    }

    /// <summary>A edits report.txt while cut off, B edits it meanwhile, then A comes back.</summary>
    private static async Task EditedOnBothAsync(Mirror a, Mirror b)
    {
        _ = a.ReadAll("report.txt");
        await a.StopEngineAsync();
        a.Overwrite("report.txt", "v2 from A"u8.ToArray());
        b.Overwrite("report.txt", "v2 from B"u8.ToArray());
        await b.SyncedAsync();
        await ReconnectAsync(a);
    }

    /// <summary>A deletes report.txt while cut off, B edits it meanwhile, then A comes back.</summary>
    private static async Task DeletedOnAEditedOnBAsync(Mirror a, Mirror b)
    {
        _ = a.ReadAll("report.txt");
        await a.StopEngineAsync();
        a.Volume.Unlink(NodeIds.Root, "report.txt").Should().Be(FsStatus.Ok);
        b.Overwrite("report.txt", "v2 from B"u8.ToArray());
        await b.SyncedAsync();
        await ReconnectAsync(a);
    }
}
