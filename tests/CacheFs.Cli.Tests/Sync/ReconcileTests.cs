using System.Text.Json;
using CacheFs.Cli.Tests.Mount;

namespace CacheFs.Cli.Tests.Sync;

/// <summary>
/// Every clash of the offline issue, through separate processes: A is cut off (offline by hand), B acts and syncs, the
/// origin is killed, A acts, the origin comes back and A reconnects. Then the trees of A, B and the origin are the
/// same, every version written is under its name or a conflict name, and `cachefs conflicts` lists the clash.
/// </summary>
[Collection(nameof(TeamTests))]
public sealed class ReconcileTests
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task EditedHere_EditedThere_TheirsKeepsTheNameOursGoesBesideIt()
    {
        await using var team = await Team.StartAsync(mounts: 2, seed: root => File.WriteAllText(Path.Combine(root, "cut.edl"), "v1"));

        await ClashAsync(
            team,
            b => File.WriteAllText(Path.Combine(b, "cut.edl"), "v2 from B"),
            a => File.WriteAllText(Path.Combine(a, "cut.edl"), "v2 from A, offline"));

        var tree = await SettledTreeAsync(team);
        tree["cut.edl"].Should().Be("v2 from B", "the origin's version keeps the name");
        var copy = tree.Keys.Should().ContainSingle(k => k.StartsWith("cut (conflict ws-0 ", StringComparison.Ordinal) && k.EndsWith(").edl", StringComparison.Ordinal)).Which;
        tree[copy].Should().Be("v2 from A, offline");
        (await ConflictsAsync(team, 0)).Should().ContainSingle(c => c.Path == "cut.edl" && c.Kind == "EditedBoth" && c.KeptAs == copy);
    }

    [Fact]
    public async Task EditedHere_DeletedThere_OursIsRestored()
    {
        await using var team = await Team.StartAsync(mounts: 2, seed: root => File.WriteAllText(Path.Combine(root, "model.dwg"), "v1"));

        await ClashAsync(
            team,
            b => File.Delete(Path.Combine(b, "model.dwg")),
            a => File.WriteAllText(Path.Combine(a, "model.dwg"), "v2 from A, offline"));

        var tree = await SettledTreeAsync(team);
        tree.Should().Equal(new Dictionary<string, string> { ["model.dwg"] = "v2 from A, offline" });
        (await ConflictsAsync(team, 0)).Should().ContainSingle(c => c.Path == "model.dwg" && c.Kind == "EditedHereDeletedThere");
    }

    [Fact]
    public async Task DeletedHere_EditedThere_TheirsIsKeptAndTheDeleteDropped()
    {
        await using var team = await Team.StartAsync(mounts: 2, seed: root => File.WriteAllText(Path.Combine(root, "shot.mov"), "v1"));

        await ClashAsync(
            team,
            b => File.WriteAllText(Path.Combine(b, "shot.mov"), "v2 from B"),
            a => File.Delete(Path.Combine(a, "shot.mov")));

        var tree = await SettledTreeAsync(team);
        tree.Should().Equal(new Dictionary<string, string> { ["shot.mov"] = "v2 from B" });
        (await ConflictsAsync(team, 0)).Should().ContainSingle(c => c.Path == "shot.mov" && c.Kind == "DeletedHereEditedThere");
    }

    [Fact]
    public async Task CreatedHere_CreatedThere_BothKeptOursUnderAConflictName()
    {
        await using var team = await Team.StartAsync(mounts: 2);

        await ClashAsync(
            team,
            b => File.WriteAllText(Path.Combine(b, "notes.txt"), "B's notes"),
            a => File.WriteAllText(Path.Combine(a, "notes.txt"), "A's notes, offline"));

        var tree = await SettledTreeAsync(team);
        tree["notes.txt"].Should().Be("B's notes");
        var copy = tree.Keys.Should().ContainSingle(k => k.StartsWith("notes (conflict ws-0 ", StringComparison.Ordinal) && k.EndsWith(").txt", StringComparison.Ordinal)).Which;
        tree[copy].Should().Be("A's notes, offline");
        tree.Should().HaveCount(2);
        (await ConflictsAsync(team, 0)).Should().ContainSingle(c => c.Path == "notes.txt" && c.Kind == "CreatedBoth" && c.KeptAs == copy);
    }

    [Fact]
    public async Task CreatedAndRenamedHere_CreatedThereUnderTheFirstName_EachEndsWhereItsOwnerPutIt()
    {
        await using var team = await Team.StartAsync(mounts: 2);

        await ClashAsync(
            team,
            b => File.WriteAllText(Path.Combine(b, "take.mov"), "B's take"),
            a =>
            {
                File.WriteAllText(Path.Combine(a, "take.mov"), "A's take");
                File.Move(Path.Combine(a, "take.mov"), Path.Combine(a, "final.mov"));
            });

        var tree = await SettledTreeAsync(team);
        tree.Should().Equal(new Dictionary<string, string> { ["take.mov"] = "B's take", ["final.mov"] = "A's take" }, "A's rename moves A's file, never B's");
        (await ConflictsAsync(team, 0)).Should().ContainSingle(c => c.Path == "take.mov" && c.Kind == "CreatedBoth");
    }

    [Fact]
    public async Task RenamedHere_EditedThere_TheRenameCarriesTheNewVersion()
    {
        await using var team = await Team.StartAsync(mounts: 2, seed: root => File.WriteAllText(Path.Combine(root, "draft.doc"), "v1"));

        await ClashAsync(
            team,
            b => File.WriteAllText(Path.Combine(b, "draft.doc"), "v2 from B"),
            a => File.Move(Path.Combine(a, "draft.doc"), Path.Combine(a, "final.doc")));

        var tree = await SettledTreeAsync(team);
        tree.Should().Equal(new Dictionary<string, string> { ["final.doc"] = "v2 from B" });
    }

    [Fact]
    public async Task NewFilesHere_TheirDirectoryDeletedThere_TheDirectoryIsMadeAgainToHoldThem()
    {
        await using var team = await Team.StartAsync(mounts: 2, seed: root =>
        {
            Directory.CreateDirectory(Path.Combine(root, "assets"));
            File.WriteAllText(Path.Combine(root, "assets", "old.png"), "old");
        });

        await ClashAsync(
            team,
            b => Directory.Delete(Path.Combine(b, "assets"), recursive: true),
            a =>
            {
                File.WriteAllText(Path.Combine(a, "assets", "new1.png"), "new 1, offline");
                File.WriteAllText(Path.Combine(a, "assets", "new2.png"), "new 2, offline");
            });

        var tree = await SettledTreeAsync(team);
        tree.Should().Equal(new Dictionary<string, string>
        {
            ["assets"] = "<dir>",
            ["assets/new1.png"] = "new 1, offline",
            ["assets/new2.png"] = "new 2, offline",
        });
        (await ConflictsAsync(team, 0)).Should().Contain(c => c.Path == "assets" && c.Kind == "DirectoryRecreated");
    }

    [Fact]
    public async Task RenamedHere_RenamedThere_TheFirstToReachTheOriginWinsAndTheOtherIsRecorded()
    {
        await using var team = await Team.StartAsync(mounts: 2, seed: root => File.WriteAllText(Path.Combine(root, "take.mov"), "v1"));

        await ClashAsync(
            team,
            b => File.Move(Path.Combine(b, "take.mov"), Path.Combine(b, "take-b.mov")),
            a => File.Move(Path.Combine(a, "take.mov"), Path.Combine(a, "take-a.mov")));

        var tree = await SettledTreeAsync(team);
        tree.Should().Equal(new Dictionary<string, string> { ["take-b.mov"] = "v1" });
        (await ConflictsAsync(team, 0)).Should().ContainSingle(c => c.Path == "take-a.mov" && c.Kind == "RenamedBoth" && c.KeptAs == "take-b.mov");
    }

    [Fact]
    public async Task RenamedHere_OntoANameCreatedThere_TheirsKeepsTheNameOursGoesBesideIt()
    {
        await using var team = await Team.StartAsync(mounts: 2, seed: root => File.WriteAllText(Path.Combine(root, "a.txt"), "A's file"));

        await ClashAsync(
            team,
            b => File.WriteAllText(Path.Combine(b, "b.txt"), "B's new file"),
            a => File.Move(Path.Combine(a, "a.txt"), Path.Combine(a, "b.txt")));

        var tree = await SettledTreeAsync(team);
        tree["b.txt"].Should().Be("B's new file");
        var copy = tree.Keys.Should().ContainSingle(k => k.StartsWith("b (conflict ws-0 ", StringComparison.Ordinal)).Which;
        tree[copy].Should().Be("A's file");
        tree.Should().HaveCount(2);
        (await ConflictsAsync(team, 0)).Should().ContainSingle(c => c.Path == "b.txt" && c.Kind == "CreatedBoth" && c.KeptAs == copy);
    }

    [Fact]
    public async Task RenamedOverHere_EditedThere_TheirsKeepsTheNameOursGoesBesideIt()
    {
        await using var team = await Team.StartAsync(mounts: 2, seed: root =>
        {
            File.WriteAllText(Path.Combine(root, "scene.blend"), "v1");
            File.WriteAllText(Path.Combine(root, "draft.blend"), "A's draft");
        });

        await ClashAsync(
            team,
            b => File.WriteAllText(Path.Combine(b, "scene.blend"), "v2 from B"),
            a =>
            {
                File.Move(Path.Combine(a, "draft.blend"), Path.Combine(a, "scene.blend"), overwrite: true);
                File.WriteAllText(Path.Combine(a, "scene.blend"), "A's draft, saved again");
            });

        var tree = await SettledTreeAsync(team);
        tree["scene.blend"].Should().Be("v2 from B", "a rename over a file replaces only the version A saw");
        var copy = tree.Keys.Should().ContainSingle(k => k.StartsWith("scene (conflict ws-0 ", StringComparison.Ordinal)).Which;
        tree[copy].Should().Be("A's draft, saved again", "what A wrote after the rename follows its file to the conflict name");
        tree.Should().HaveCount(2);
        (await ConflictsAsync(team, 0)).Should().ContainSingle(c => c.Path == "scene.blend" && c.Kind == "DeletedHereEditedThere" && c.KeptAs == copy);
    }

    /// <summary>
    /// A goes offline by hand; B acts and its change reaches the origin; the origin is killed; A acts while it cannot
    /// know; the origin restarts on the same port and A comes back online and sends what it queued.
    /// </summary>
    private static async Task ClashAsync(Team team, Action<string> onB, Action<string> onA)
    {
        var a = team.MountPoint(0);
        var b = team.MountPoint(1);
        _ = TreeSnapshot.Of(a); // A has seen (and cached) every file before it is cut off
        _ = TreeSnapshot.Of(b);
        await team.SetOfflineAsync(0, offline: true);

        onB(b);
        await team.SyncAsync(1);
        await team.StopOriginAsync(kill: true);

        onA(a);
        await team.RestartOriginAsync();
        await team.SetOfflineAsync(0, offline: false);
        await team.SyncAsync(0);
    }

    /// <summary>Waits until A, B and the origin's folder hold the same tree, and returns it.</summary>
    private static async Task<SortedDictionary<string, string>> SettledTreeAsync(Team team)
    {
        var a = team.MountPoint(0);
        var b = team.MountPoint(1);
        var agreed = await Eventually.TrueAsync(() => TreeSnapshot.AllEqual(a, b, team.OriginRoot), Settle);
        agreed.Should().BeTrue(
            $"A, B and the origin agree;\nA:\n{TreeSnapshot.Describe(a)}\nB:\n{TreeSnapshot.Describe(b)}\norigin:\n{TreeSnapshot.Describe(team.OriginRoot)}\n--- A's log:\n{team.Mounts[0].Log}");
        return TreeSnapshot.Of(team.OriginRoot);
    }

    private static async Task<IReadOnlyList<(string Path, string Kind, string? KeptAs)>> ConflictsAsync(Team team, int i)
    {
        var result = await Cachefs.RunAsync("conflicts", "--mount", team.MountPoint(i), "--json");
        result.ExitCode.Should().Be(0, result.Error);
        using var json = JsonDocument.Parse(result.Output);
        var list = json.RootElement.ValueKind == JsonValueKind.Array ? json.RootElement : json.RootElement.GetProperty("conflicts");
        return [.. list.EnumerateArray().Select(c => (
            c.GetProperty("path").GetString()!,
            c.GetProperty("kind").GetString()!,
            c.TryGetProperty("keptAs", out var kept) && kept.ValueKind == JsonValueKind.String ? kept.GetString() : null))];
    }
}
