using System.Globalization;
using CacheFs.CrashWorker;
using Xunit.Abstractions;

namespace CacheFs.Tests.Crash;

/// <summary>
/// DESIGN invariants 5 and 6 under SIGKILL: a worker process runs a random workload with fsyncs and is killed at random
/// moments; after each kill the cache must reopen with a sound journal, every fsynced byte exact, no orphan object and
/// no row pointing at missing content. Rounds share one cache, so recovery also runs on what earlier recoveries left.
/// </summary>
public sealed class CrashTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Kill_AtRandomMoments_KeepsEveryFsyncedByteAndAConsistentCache()
    {
        using var rounds = new CrashRounds(output);
        await rounds.RunAsync(Rounds(50), "mixed", random => new KillMoment(random.Next(50, 801)));
    }

    [Fact]
    public async Task Kill_RightAfterOpenOrDuringStart_RecoversAConsistentCache()
    {
        using var rounds = new CrashRounds(output);
        await rounds.RunAsync(
            16,
            "mixed",
            random => random.Next(4) switch
            {
                0 => new KillMoment(random.Next(100, 600)), // some state to recover from
                1 => new KillMoment(random.Next(0, 400), AfterReady: false),
                _ => new KillMoment(random.Next(0, 15)),
            });
    }

    [Fact]
    public async Task Kill_DuringFsyncHeavyAppends_KeepsEverySyncedPrefix()
    {
        using var rounds = new CrashRounds(output);
        await rounds.RunAsync(15, "appends", random => new KillMoment(random.Next(50, 801)));
    }

    [Fact]
    public async Task Kill_WithOpenUnlinkedFilesAndUnsyncedTails_RecoveryRemovesThemAndCutsTheTails()
    {
        using var rounds = new CrashRounds(output);

        var result = await rounds.RunHeldAsync(cache =>
        {
            // What a kill between a commit and the object's deletion leaves: objects no row owns.
            Directory.CreateDirectory(Path.Combine(cache, "objects", "ff"));
            File.WriteAllBytes(Path.Combine(cache, "objects", "ff", "987647"), new byte[123]);
            File.WriteAllBytes(Path.Combine(cache, "objects", "ff", "not-an-id"), []);
        });

        result.Recovery.UnlinkedNodesRemoved.Should().Be(HeldScenario.UnlinkedNodes);
        result.Recovery.OrphanObjectsRemoved.Should().Be(2);
        result.Recovery.ObjectsResized.Should().Be(HeldScenario.LongerObjects);
        result.SealedFiles.Should().Be(1);
    }

    /// <summary>CACHEFS_CRASH_ROUNDS raises the round count (CI runs at least the default).</summary>
    private static int Rounds(int byDefault) =>
        Environment.GetEnvironmentVariable("CACHEFS_CRASH_ROUNDS") is { Length: > 0 } text
            ? Math.Max(1, int.Parse(text, CultureInfo.InvariantCulture))
            : byDefault;
}
