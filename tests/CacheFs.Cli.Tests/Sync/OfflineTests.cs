using System.Diagnostics;
using System.Text.Json;
using CacheFs.Cli.Tests.Mount;

namespace CacheFs.Cli.Tests.Sync;

/// <summary>
/// A mount without its origin, as separate processes: it starts from its journal with the origin down, serves what
/// it has cached, fails at once on what it has not, queues every change, and sends them when the origin is back;
/// `cachefs offline` and `cachefs online` do the same by hand.
/// </summary>
[Collection(nameof(TeamTests))]
public sealed class OfflineTests
{
    private const int EHOSTUNREACH = 113;

    [Fact]
    public async Task Mount_WithTheOriginDown_StartsOfflineServesTheCacheAndFailsFastOnTheRest()
    {
        await using var team = await Team.StartAsync(mounts: 1, seed: root =>
        {
            File.WriteAllText(Path.Combine(root, "cached.txt"), "read before the outage");
            File.WriteAllText(Path.Combine(root, "uncached.txt"), "never read here");
        });
        var a = team.MountPoint(0);
        File.ReadAllText(Path.Combine(a, "cached.txt")).Should().Be("read before the outage");
        (await team.Mounts[0].StopAsync()).Should().Be(0);
        await team.StopOriginAsync(kill: true);

        var mount = await team.MountAsync(0);

        (await StatusAsync(team, 0)).GetProperty("online").GetBoolean().Should().BeFalse();
        File.ReadAllText(Path.Combine(a, "cached.txt")).Should().Be("read before the outage", "the journal and the cache need no origin");
        var clock = Stopwatch.StartNew();
        var read = () => File.ReadAllText(Path.Combine(a, "uncached.txt"));
        read.Should().Throw<IOException>().Where(e => (e.HResult & 0xFFFF) == EHOSTUNREACH, "the bytes are on the unreachable origin");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2), "an offline read fails fast, it does not hang");
        (await Eventually.TrueAsync(() => mount.Log.Contains("uncached.txt", StringComparison.Ordinal), TimeSpan.FromSeconds(10))).Should().BeTrue("the failure is logged:\n" + mount.Log);

        Directory.CreateDirectory(Path.Combine(a, "offline"));
        await File.WriteAllTextAsync(Path.Combine(a, "offline", "notes.txt"), "written offline");
        await File.WriteAllTextAsync(Path.Combine(a, "cached.txt"), "edited offline, longer");
        var queued = await StatusAsync(team, 0);
        queued.GetProperty("queuedChanges").GetInt64().Should().BeGreaterThanOrEqualTo(3);
        queued.GetProperty("queuedBytes").GetInt64().Should().Be("written offline".Length + "edited offline, longer".Length);

        await team.RestartOriginAsync();
        await team.SyncAsync(0);

        File.ReadAllText(Path.Combine(team.OriginRoot, "offline", "notes.txt")).Should().Be("written offline");
        File.ReadAllText(Path.Combine(team.OriginRoot, "cached.txt")).Should().Be("edited offline, longer");
        File.ReadAllText(Path.Combine(a, "uncached.txt")).Should().Be("never read here", "the origin is back");
        var settled = await StatusAsync(team, 0);
        settled.GetProperty("online").GetBoolean().Should().BeTrue();
        settled.GetProperty("queuedBytes").GetInt64().Should().Be(0);
    }

    [Fact]
    public async Task OfflineByHand_ChangesWaitUntilOnline_ThenReachTheOriginAndTheOtherMount()
    {
        await using var team = await Team.StartAsync(mounts: 2, seed: root => File.WriteAllText(Path.Combine(root, "plan.txt"), "v1"));
        var a = team.MountPoint(0);
        var b = team.MountPoint(1);
        File.ReadAllText(Path.Combine(a, "plan.txt")).Should().Be("v1");

        await team.SetOfflineAsync(0, offline: true);
        var status = await StatusAsync(team, 0);
        status.GetProperty("online").GetBoolean().Should().BeFalse();
        status.GetProperty("offlineByHand").GetBoolean().Should().BeTrue();

        await File.WriteAllTextAsync(Path.Combine(a, "plan.txt"), "v2 from the train");
        await File.WriteAllTextAsync(Path.Combine(a, "new.txt"), "new on the train");
        var sync = await Cachefs.RunAsync("sync", "--mount", a, "--timeout", "1");
        sync.ExitCode.Should().NotBe(0, "nothing can reach the origin while offline by hand");
        File.ReadAllText(Path.Combine(team.OriginRoot, "plan.txt")).Should().Be("v1");
        File.Exists(Path.Combine(team.OriginRoot, "new.txt")).Should().BeFalse();
        File.ReadAllText(Path.Combine(a, "plan.txt")).Should().Be("v2 from the train", "offline work goes on locally");

        await team.SetOfflineAsync(0, offline: false);
        await team.SyncAsync(0);

        File.ReadAllText(Path.Combine(team.OriginRoot, "plan.txt")).Should().Be("v2 from the train");
        (await Eventually.TrueAsync(() => TreeSnapshot.AllEqual(a, b, team.OriginRoot), TimeSpan.FromSeconds(30)))
            .Should().BeTrue($"all three trees agree;\nA:\n{TreeSnapshot.Describe(a)}\nB:\n{TreeSnapshot.Describe(b)}");
        (await StatusAsync(team, 0)).GetProperty("offlineByHand").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task OfflineByHand_Remounted_StaysOfflineUntilOnline()
    {
        await using var team = await Team.StartAsync(mounts: 1, seed: root => File.WriteAllText(Path.Combine(root, "plan.txt"), "v1"));
        var a = team.MountPoint(0);
        File.ReadAllText(Path.Combine(a, "plan.txt")).Should().Be("v1");
        await team.SetOfflineAsync(0, offline: true);

        (await team.Mounts[0].StopAsync()).Should().Be(0);
        team.Mounts[0].Dispose();
        await team.MountAsync(0);
        var status = await StatusAsync(team, 0);
        status.GetProperty("offlineByHand").GetBoolean().Should().BeTrue("offline by hand lasts until `cachefs online`, across a remount");
        await File.WriteAllTextAsync(Path.Combine(a, "plan.txt"), "v2 after the remount");
        File.ReadAllText(Path.Combine(team.OriginRoot, "plan.txt")).Should().Be("v1");
        team.Mounts[0].Log.Should().NotContain("unreachable", "going offline by hand is no outage to warn about");

        await team.SetOfflineAsync(0, offline: false);
        await team.SyncAsync(0);
        File.ReadAllText(Path.Combine(team.OriginRoot, "plan.txt")).Should().Be("v2 after the remount");
    }

    [Fact]
    public async Task OfflineCommands_OnALocalMount_SayThereIsNoOrigin()
    {
        using var scratch = new Scratch();
        using var mount = await MountProcess.StartAsync(scratch.MountPoint, scratch.Cache, "--local");

        var result = await Cachefs.RunAsync("offline", "--mount", scratch.MountPoint);

        result.ExitCode.Should().NotBe(0);
        result.Error.Should().Contain("no origin");
    }

    private static async Task<JsonElement> StatusAsync(Team team, int i)
    {
        var result = await Cachefs.RunAsync("status", "--mount", team.MountPoint(i), "--json");
        result.ExitCode.Should().Be(0, result.Error);
        return JsonDocument.Parse(result.Output).RootElement.Clone();
    }
}
