using CacheFs.Journal;
using CacheFs.Nodes;
using CacheFs.Tests.Model;
using CacheFs.Volume;

namespace CacheFs.Tests.Concurrency;

/// <summary>
/// Seed 001's delete racing undelete: unlink, rename over the name and a new hard link race on one file, sometimes while
/// a handle holds it open. The journal must end as some serial order, link counts must equal names, and once every
/// handle is closed no content object may be left behind.
/// </summary>
public sealed class DeleteRaceTests
{
    private const int Rounds = 40;
    private const int DirectoriesPerRound = 4;

    [Fact]
    public void Unlink_RacingRenameOverAndLink_EndsInASerialOutcome() =>
        RaceRounds(
            (t, dir) =>
            {
                RoundSetup.File(t, dir, "B", "from B");
            },
            r => r.File("B", r.Dir, "B", "from B"),
            [
                (t, dir, a) => t.Volume.Unlink(dir, "A"),
                (t, dir, a) => t.Volume.Rename(dir, "B", dir, "A"),
                (t, dir, a) => t.Volume.Link(a, dir, "C").Status,
            ],
            [
                r => r.Model.Unlink(r.Dir, "A"),
                r => r.Model.Rename(r.Dir, "B", r.Dir, "A", RenameMode.Replace),
                r => r.Model.Link(r.Nodes["A"], r.Dir, "C"),
            ]);

    [Fact]
    public void Unlink_RacingRenameAwayAndRelink_EndsInASerialOutcome() =>
        RaceRounds(
            (_, _) => { },
            _ => { },
            [
                // The second name is removed as it is made, the first is moved away and removed: every name may die.
                (t, dir, a) => t.Volume.Unlink(dir, "A"),
                (t, dir, a) => t.Volume.Rename(dir, "A", dir, "D", RenameMode.NoReplace),
                (t, dir, a) => t.Volume.Link(a, dir, "C").Status,
                (t, dir, a) => t.Volume.Unlink(dir, "C"),
            ],
            [
                r => r.Model.Unlink(r.Dir, "A"),
                r => r.Model.Rename(r.Dir, "A", r.Dir, "D", RenameMode.NoReplace),
                r => r.Model.Link(r.Nodes["A"], r.Dir, "C"),
                r => r.Model.Unlink(r.Dir, "C"),
            ]);

    [Fact]
    public void Open_HammeringFilesAsTheyAreUnlinked_NeverResurrectsOne()
    {
        using var t = new TestVolume();
        var dir = t.MakeDir("victims");
        var ids = Enumerable.Range(0, 300).Select(i => RoundSetup.File(t, dir, $"f{i}", "from A")).ToArray();
        var opened = 0;
        Race.Run(
            () =>
            {
                for (var i = 0; i < ids.Length; i++)
                    t.Volume.Unlink(dir, $"f{i}").Should().Be(FsStatus.Ok);
            },
            () =>
            {
                // Opens each file again and again until it is gone, so some open lands inside its unlink. No I/O: the
                // loop must not wait on the journal, or it would only ever run between transactions.
                foreach (var id in ids)
                {
                    while (t.Volume.Open(id, OpenFlags.ReadWrite) is { IsOk: true } open)
                    {
                        opened++;
                        t.Volume.GetAttributes(id).Status.Should().Be(FsStatus.Ok, "an open file is visible until its last close");
                        t.Volume.Release(open.Value.Handle).Should().Be(FsStatus.Ok);
                    }
                }
            });

        opened.Should().BePositive("the opener won some races");
        ids.Should().AllSatisfy(id => t.Volume.GetAttributes(id).Status.Should().Be(FsStatus.NotFound), "every unlinked file is gone");
        ExpectNoLeftovers(t, []);
    }

    /// <summary>
    /// An unlink of an open file marks it to be removed at its last close. If that unlink's transaction rolls back (the
    /// disk failed before the commit), the file keeps its name, and the last close must not remove it.
    /// </summary>
    [Fact]
    public void Release_AfterTheUnlinkOfAnOpenFileRolledBack_KeepsTheFile()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("kept", "from A"u8.ToArray());
        var open = t.Volume.Open(id, OpenFlags.Read);
        var journal = (MetadataJournal)typeof(CacheVolume)
            .GetField("_journal", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
            .GetValue(t.Volume)!;

        // What Unlink does inside its transaction, then the rollback a failed commit leaves.
        var writer = journal.BeginWrite();
        t.Volume.DropLinkInTransaction(writer, writer.GetNode(id)!, t.Volume.Now());
        writer.End();

        t.Volume.Release(open.Value.Handle).Should().Be(FsStatus.Ok);
        t.Volume.Lookup(NodeIds.Root, "kept").Status.Should().Be(FsStatus.Ok, "the name was never removed");
        t.ReadAll(id).Should().Equal("from A"u8.ToArray());
        t.Reopen();
        t.Volume.Lookup(NodeIds.Root, "kept").Status.Should().Be(FsStatus.Ok);
        t.Volume.LastRecovery.UnlinkedNodesRemoved.Should().Be(0);
    }

    /// <summary>
    /// Each round makes several directories holding file A ("from A") and whatever the scenario adds; in half of them a
    /// handle holds A open across the race. One thread per operation walks the directories applying its operation while
    /// another opens, reads and rewrites A; then each directory must show a serial outcome.
    /// </summary>
    private static void RaceRounds(
        Action<TestVolume, long> setup,
        Action<ModelRound> modelSetup,
        Func<TestVolume, long, long, FsStatus>[] operations,
        Func<ModelRound, FsStatus>[] modelOperations)
    {
        using var t = new TestVolume();
        var possible = SerialOutcomes.Of(
            caseSensitive: true,
            r =>
            {
                r.File("A", r.Dir, "A", "from A");
                modelSetup(r);
            },
            modelOperations);
        var observed = new List<(long Dir, string Tree)>();
        for (var round = 0; round < Rounds; round++)
        {
            var dirs = new long[DirectoriesPerRound];
            var files = new long[DirectoriesPerRound];
            var held = new ulong?[DirectoriesPerRound];
            for (var i = 0; i < DirectoriesPerRound; i++)
            {
                dirs[i] = RoundSetup.Directory(t, NodeIds.Root, $"round{round}-{i}");
                files[i] = RoundSetup.File(t, dirs[i], "A", "from A");
                setup(t, dirs[i]);
                held[i] = (round + i) % 2 == 0 ? t.Volume.Open(files[i], OpenFlags.ReadWrite).Value.Handle : null;
            }

            var statuses = new FsStatus[DirectoriesPerRound, operations.Length];
            Race.Run(operations.Length + 1, op =>
            {
                for (var step = 0; step < DirectoriesPerRound; step++)
                {
                    // Odd threads walk backwards on odd rounds, so the threads meet in different orders.
                    var i = (op + round) % 2 == 1 ? DirectoriesPerRound - 1 - step : step;
                    if (op == operations.Length)
                        _ = OpenReadRelease(t, files[i], round);
                    else
                        statuses[i, op] = operations[op](t, dirs[i], files[i]);
                }
            });

            for (var i = 0; i < DirectoriesPerRound; i++)
            {
                var mine = Enumerable.Range(0, operations.Length).Select(op => statuses[i, op]).ToArray();
                possible.Should().Contain(
                    SerialOutcomes.Describe(mine, t.Volume, dirs[i]),
                    "round {0}, directory {1}: the racing operations end as one of their serial orders",
                    round,
                    i);
                ExpectHeldFile(t, dirs[i], files[i], held[i], round);
                observed.Add((dirs[i], TreeSnapshot.Of(t.Volume, dirs[i])));
            }
        }

        ExpectNoLeftovers(t, observed);
    }

    /// <summary>An open racing the removal either fails with NotFound or gets the whole file, which stays readable.</summary>
    private static bool OpenReadRelease(TestVolume t, long id, int round)
    {
        var open = t.Volume.Open(id, OpenFlags.ReadWrite);
        open.Status.Should().BeOneOf([FsStatus.Ok, FsStatus.NotFound], "round {0}: an open racing an unlink", round);
        if (!open.IsOk)
            return false;
        var buffer = new byte[16];
        var read = t.Volume.Read(open.Value.Handle, 0, buffer);
        buffer[..read.Value].Should().Equal("from A"u8.ToArray(), "round {0}: an open that won the race reads the file", round);

        // The same bytes again: invisible to the outcome, but a write to a file the race removed would leave an object.
        t.Volume.Write(open.Value.Handle, 0, "from A"u8).Status.Should().Be(FsStatus.Ok);
        t.Volume.Release(open.Value.Handle).Should().Be(FsStatus.Ok);
        return true;
    }

    /// <summary>A handle open across the race still reads the file, and the file's link count is its number of names.</summary>
    private static void ExpectHeldFile(TestVolume t, long dir, long id, ulong? held, int round)
    {
        var names = t.List(dir).Count(name => t.Volume.Lookup(dir, name).Value.Id == id);
        var attributes = t.Volume.GetAttributes(id);
        if (held is not { } handle)
        {
            if (names == 0)
                attributes.Status.Should().Be(FsStatus.NotFound, "round {0}: a file with no name and no handle is gone", round);
            else
                attributes.Value.LinkCount.Should().Be((uint)names, "round {0}: link count equals names", round);
            return;
        }

        attributes.Status.Should().Be(FsStatus.Ok, "round {0}: an open file stays until its last close", round);
        attributes.Value.LinkCount.Should().Be((uint)names, "round {0}: link count equals names", round);
        var buffer = new byte[16];
        var read = t.Volume.Read(handle, 0, buffer);
        read.Status.Should().Be(FsStatus.Ok);
        buffer[..read.Value].Should().Equal("from A"u8.ToArray(), "round {0}: the open handle still reads the file", round);
        t.Volume.Release(handle).Should().Be(FsStatus.Ok);
        if (names == 0)
            t.Volume.GetAttributes(id).Status.Should().Be(FsStatus.NotFound, "round {0}: the last close removes an unlinked file", round);
    }

    /// <summary>With every handle closed: no orphan objects, nothing for recovery to do, the same trees after a reopen.</summary>
    private static void ExpectNoLeftovers(TestVolume t, List<(long Dir, string Tree)> observed)
    {
        var files = new HashSet<long>();
        CollectFiles(t, NodeIds.Root, files);
        ContentObjects.NotIn(t.Directory, files).Should().BeEmpty("every content object belongs to a file that still has a name");

        t.Reopen();
        t.Volume.LastRecovery.Should().BeEquivalentTo(new RecoveryReport(0, 0, 0, 0, []), "a clean close leaves nothing to recover");
        foreach (var (dir, tree) in observed)
            TreeSnapshot.Of(t.Volume, dir).Should().Be(tree, "the journal's final tree survives a reopen");
    }

    private static void CollectFiles(TestVolume t, long dir, HashSet<long> files)
    {
        foreach (var entry in t.Volume.ReadDirectory(dir, 0, 100_000).Value)
        {
            if (entry.Attributes.IsDirectory)
                CollectFiles(t, entry.Attributes.Id, files);
            else if (entry.Attributes.Kind == NodeKind.File)
                files.Add(entry.Attributes.Id);
        }
    }
}
