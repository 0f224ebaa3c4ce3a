using System.Text;
using CacheFs.Nodes;
using CacheFs.Volume;

namespace CacheFs.Tests.Concurrency;

/// <summary>Concurrent creates of one name with O_EXCL semantics: exactly one wins, every other gets Exists.</summary>
public sealed class ExclusiveCreateRaceTests
{
    private const int Rounds = 200;
    private const int Threads = 4;

    [Fact]
    public void Create_SameNameExclusiveOnManyThreads_ExactlyOneSucceeds()
    {
        using var t = new TestVolume();
        for (var round = 0; round < Rounds; round++)
        {
            var name = $"file{round}";
            var results = new FsResult<OpenResult>[Threads];
            Race.Run(Threads, i =>
            {
                results[i] = t.Volume.Create(NodeIds.Root, name, TestVolume.Owner, OpenFlags.ReadWrite, exclusive: true);
                if (results[i].IsOk)
                {
                    t.Volume.Write(results[i].Value.Handle, 0, Encoding.UTF8.GetBytes($"winner {i}"));
                    t.Volume.Release(results[i].Value.Handle);
                }
            });

            ExpectOneWinner(results.Select(r => r.Status), round);
            var winner = Array.FindIndex(results, r => r.IsOk);
            results[winner].Value.Created.Should().BeTrue();
            var id = t.Volume.Lookup(NodeIds.Root, name).Value.Id;
            id.Should().Be(results[winner].Value.Attributes.Id, "the name points at the winner's file");
            t.ReadAll(id).Should().Equal(Encoding.UTF8.GetBytes($"winner {winner}"), "round {0}: only the winner wrote", round);
        }
    }

    [Fact]
    public void Create_SameNameInOtherCasesOnCaseInsensitiveVolume_ExactlyOneSucceeds()
    {
        using var t = new TestVolume(caseSensitive: false);
        string[] spellings = ["report", "REPORT", "Report", "rEpOrT"];
        for (var round = 0; round < Rounds; round++)
        {
            var dir = RoundSetup.Round(t, round);
            var statuses = new FsStatus[Threads];
            Race.Run(Threads, i =>
            {
                var created = t.Volume.Create(dir, spellings[i], TestVolume.Owner, OpenFlags.ReadWrite, exclusive: true);
                statuses[i] = created.Status;
                if (created.IsOk)
                    t.Volume.Release(created.Value.Handle);
            });

            ExpectOneWinner(statuses, round);
            t.List(dir).Should().Equal([spellings[Array.IndexOf(statuses, FsStatus.Ok)]], "round {0}: one entry, spelled as its creator did", round);
        }
    }

    [Fact]
    public void Create_FileDirectorySymlinkAndLinkOfOneName_ExactlyOneSucceeds()
    {
        using var t = new TestVolume();
        var source = t.MakeFile("source", "linked"u8.ToArray());
        for (var round = 0; round < Rounds; round++)
        {
            var dir = RoundSetup.Round(t, round);
            var statuses = new FsStatus[4];
            Race.Run(
                () =>
                {
                    var created = t.Volume.Create(dir, "name", TestVolume.Owner, OpenFlags.ReadWrite, exclusive: true);
                    statuses[0] = created.Status;
                    if (created.IsOk)
                        t.Volume.Release(created.Value.Handle);
                },
                () => statuses[1] = t.Volume.MakeDirectory(dir, "name", TestVolume.DirOwner).Status,
                () => statuses[2] = t.Volume.MakeSymlink(dir, "name", "target", TestVolume.Owner).Status,
                () => statuses[3] = t.Volume.Link(source, dir, "name").Status);

            ExpectOneWinner(statuses, round);
            var kinds = new[] { NodeKind.File, NodeKind.Directory, NodeKind.Symlink, NodeKind.File };
            var winner = Array.IndexOf(statuses, FsStatus.Ok);
            var node = t.Volume.Lookup(dir, "name").Value;
            node.Kind.Should().Be(kinds[winner], "round {0}: the name is what the winner made", round);
            if (winner == 3)
                node.Id.Should().Be(source);
        }

        t.Volume.GetAttributes(source).Value.LinkCount.Should().Be(
            1 + (uint)Enumerable.Range(0, Rounds).Count(r => t.Volume.Resolve($"round{r}/name").Value.Id == source),
            "the source's link count is its number of names");
    }

    private static void ExpectOneWinner(IEnumerable<FsStatus> statuses, int round)
    {
        var all = statuses.ToList();
        all.Count(s => s == FsStatus.Ok).Should().Be(1, "round {0}: exactly one create wins ({1})", round, string.Join(",", all));
        all.Where(s => s != FsStatus.Ok).Should().AllSatisfy(s => s.Should().Be(FsStatus.Exists), "the others find the name taken");
    }
}
