using CacheFs.Nodes;
using CacheFs.Volume;
using Xunit.Abstractions;

namespace CacheFs.Tests.Concurrency;

/// <summary>
/// Seed 001's first race: thread A renames X to Y while thread B renames Y to Z. Whatever order the threads finish in,
/// the volume must end in the state one serial order produces, and keep it across a reopen.
/// </summary>
public sealed class RenameRaceTests(ITestOutputHelper output)
{
    private const int Rounds = 240;
    private const int PairsPerRound = 8;

    [Fact]
    public void Rename_XToYRacingYToZ_EndsInASerialOutcome()
    {
        using var t = new TestVolume();
        var observed = new List<(long Dir, string Tree)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var round = 0; round < 2 * Rounds / PairsPerRound; round++)
        {
            // Several directories per round, each raced once: the two threads meet in each at a different moment.
            var dirs = new long[PairsPerRound];
            for (var pair = 0; pair < PairsPerRound; pair++)
            {
                var (withY, withZ) = Variant(pair);
                dirs[pair] = RoundSetup.Directory(t, NodeIds.Root, $"round{round}-{pair}");
                RoundSetup.File(t, dirs[pair], "X", "from X");
                if (withY)
                    RoundSetup.File(t, dirs[pair], "Y", "from Y");
                if (withZ)
                    RoundSetup.File(t, dirs[pair], "Z", "from Z");
            }

            var statuses = new FsStatus[PairsPerRound, 2];
            Race.Run(
                () =>
                {
                    for (var pair = 0; pair < PairsPerRound; pair++)
                        statuses[pair, 0] = t.Volume.Rename(dirs[pair], "X", dirs[pair], "Y");
                },
                () =>
                {
                    // Every other round B walks the directories backwards, so the threads cross instead of trailing.
                    for (var i = 0; i < PairsPerRound; i++)
                    {
                        var pair = round % 2 == 0 ? i : PairsPerRound - 1 - i;
                        statuses[pair, 1] = t.Volume.Rename(dirs[pair], "Y", dirs[pair], "Z");
                    }
                });

            for (var pair = 0; pair < PairsPerRound; pair++)
            {
                var (withY, withZ) = Variant(pair);
                var actual = SerialOutcomes.Describe([statuses[pair, 0], statuses[pair, 1]], t.Volume, dirs[pair]);
                var possible = SerialOutcomes.Of(
                    caseSensitive: true,
                    r =>
                    {
                        r.File("X", r.Dir, "X", "from X");
                        if (withY)
                            r.File("Y", r.Dir, "Y", "from Y");
                        if (withZ)
                            r.File("Z", r.Dir, "Z", "from Z");
                    },
                    r => r.Model.Rename(r.Dir, "X", r.Dir, "Y", RenameMode.Replace),
                    r => r.Model.Rename(r.Dir, "Y", r.Dir, "Z", RenameMode.Replace));
                possible.Should().Contain(actual, "round {0}, pair {1} must end as X→Y then Y→Z, or Y→Z then X→Y", round, pair);
                seen.Add(actual);
                observed.Add((dirs[pair], TreeSnapshot.Of(t.Volume, dirs[pair])));
            }
        }

        output.WriteLine($"{seen.Count} distinct outcomes seen: {string.Join(" | ", seen)}");
        ExpectSameAfterReopen(t, observed);
    }

    /// <summary>Which of Y and Z exist before the race: it changes who can win and what is replaced.</summary>
    private static (bool WithY, bool WithZ) Variant(int pair) => (pair % 4 is 0 or 1, pair % 4 is 0 or 2);

    [Fact]
    public void Rename_ThreeWayCycleAcrossDirectories_EndsInASerialOutcome()
    {
        using var t = new TestVolume();
        var observed = new List<(long Dir, string Tree)>();
        for (var round = 0; round < Rounds / 2; round++)
        {
            var dir = RoundSetup.Round(t, round);
            var left = RoundSetup.Directory(t, dir, "left");
            var right = RoundSetup.Directory(t, dir, "right");
            RoundSetup.File(t, left, "X", "from X");
            RoundSetup.File(t, right, "Y", "from Y");
            RoundSetup.File(t, left, "Z", "from Z");
            var mode = round % 3 == 0 ? RenameMode.NoReplace : RenameMode.Replace;

            var statuses = new FsStatus[3];
            Race.Run(
                () => statuses[0] = t.Volume.Rename(left, "X", right, "Y", mode),
                () => statuses[1] = t.Volume.Rename(right, "Y", left, "Z", mode),
                () => statuses[2] = t.Volume.Rename(left, "Z", left, "X", mode));

            var actual = SerialOutcomes.Describe(statuses, t.Volume, dir);
            var possible = SerialOutcomes.Of(
                caseSensitive: true,
                r =>
                {
                    r.Directory("left", r.Dir, "left");
                    r.Directory("right", r.Dir, "right");
                    r.File("X", r.Nodes["left"], "X", "from X");
                    r.File("Y", r.Nodes["right"], "Y", "from Y");
                    r.File("Z", r.Nodes["left"], "Z", "from Z");
                },
                r => r.Model.Rename(r.Nodes["left"], "X", r.Nodes["right"], "Y", mode),
                r => r.Model.Rename(r.Nodes["right"], "Y", r.Nodes["left"], "Z", mode),
                r => r.Model.Rename(r.Nodes["left"], "Z", r.Nodes["left"], "X", mode));
            possible.Should().Contain(actual, "round {0} ({1}) must end as one of the six serial orders", round, mode);
            observed.Add((dir, TreeSnapshot.Of(t.Volume, dir)));
        }

        ExpectSameAfterReopen(t, observed);
    }

    [Fact]
    public void Rename_DirectoriesIntoEachOther_NeverMakesALoop()
    {
        using var t = new TestVolume();
        for (var round = 0; round < Rounds; round++)
        {
            var dir = RoundSetup.Round(t, round);
            var a = RoundSetup.Directory(t, dir, "a");
            var b = RoundSetup.Directory(t, dir, "b");

            // Each move alone is legal; both together would hang a and b below each other, cut off from the root.
            var statuses = new FsStatus[2];
            Race.Run(
                () => statuses[0] = t.Volume.Rename(dir, "a", b, "a"),
                () => statuses[1] = t.Volume.Rename(dir, "b", a, "b"));

            var actual = SerialOutcomes.Describe(statuses, t.Volume, dir);
            var possible = SerialOutcomes.Of(
                caseSensitive: true,
                r =>
                {
                    r.Directory("a", r.Dir, "a");
                    r.Directory("b", r.Dir, "b");
                },
                r => r.Model.Rename(r.Dir, "a", r.Nodes["b"], "a", RenameMode.Replace),
                r => r.Model.Rename(r.Dir, "b", r.Nodes["a"], "b", RenameMode.Replace));
            possible.Should().Contain(actual, "round {0}: one move wins, the other is refused as a move into its own subtree", round);
        }
    }

    private static void ExpectSameAfterReopen(TestVolume t, List<(long Dir, string Tree)> observed)
    {
        t.Reopen();
        foreach (var (dir, tree) in observed)
            TreeSnapshot.Of(t.Volume, dir).Should().Be(tree, "the order the journal committed is the order after a reopen");
    }
}
