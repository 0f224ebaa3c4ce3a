using CacheFs.Nodes;
using CacheFs.Tests.Model;
using CacheFs.Volume;

namespace CacheFs.Tests.Concurrency;

/// <summary>
/// Random namespace and size changes from several threads on a tiny shared tree. No serial order is enumerated; the
/// journal must still be a tree that some order could produce: link counts equal names, no node without a name, no
/// name without a node, no content object without a file, and the same after a reopen.
/// </summary>
public sealed class NamespaceStressTests
{
    private const int Threads = 4;
    private const int OpsPerThread = 2000;
    private static readonly string[] Names = ["a", "b", "c"];

    [Fact]
    public void RandomOps_OnManyThreads_LeaveAConsistentJournal()
    {
        using var t = new TestVolume();
        Race.Run(Threads, thread =>
        {
            var random = new Random(thread);
            var held = new List<ulong>();
            for (var i = 0; i < OpsPerThread; i++)
                RandomOp(t, random, held);
            foreach (var handle in held)
                t.Volume.Release(handle).Should().Be(FsStatus.Ok);
        });

        var before = ExpectConsistent(t);
        t.Reopen();
        t.Volume.LastRecovery.Should().BeEquivalentTo(new RecoveryReport(0, 0, 0, 0, []), "a clean close leaves nothing to recover");
        ExpectConsistent(t).Should().Be(before, "the journal's tree survives a reopen");
    }

    private static void RandomOp(TestVolume t, Random random, List<ulong> held)
    {
        var (dir, name) = Place(t, random);
        var (dir2, name2) = Place(t, random);
        FsStatus status;
        switch (random.Next(10))
        {
            case 0 or 1:
                var created = t.Volume.Create(dir, name, TestVolume.Owner, OpenFlags.ReadWrite, exclusive: random.Next(2) == 0);
                status = created.Status;
                if (created.IsOk)
                {
                    t.Volume.Write(created.Value.Handle, random.Next(100), new byte[random.Next(1, 300)], toEndOfFile: random.Next(2) == 0);
                    if (held.Count < 3 && random.Next(3) == 0)
                        held.Add(created.Value.Handle);
                    else
                        t.Volume.Release(created.Value.Handle).Should().Be(FsStatus.Ok);
                }

                break;
            case 2:
                status = t.Volume.MakeDirectory(dir, name, TestVolume.DirOwner).Status;
                break;
            case 3:
                status = t.Volume.RemoveDirectory(dir, name);
                break;
            case 4:
                status = t.Volume.Unlink(dir, name);
                break;
            case 5 or 6:
                status = t.Volume.Rename(dir, name, dir2, name2, (RenameMode)random.Next(3));
                break;
            case 7:
                var source = t.Volume.Lookup(dir, name);
                status = source.IsOk ? t.Volume.Link(source.Value.Id, dir2, name2).Status : source.Status;
                break;
            case 8:
                var target = t.Volume.Lookup(dir, name);
                status = target.IsOk ? t.Volume.SetAttributes(target.Value.Id, new AttributeChanges { Size = random.Next(400) }).Status : target.Status;
                break;
            default:
                if (held.Count > 0)
                {
                    t.Volume.Release(held[^1]).Should().Be(FsStatus.Ok);
                    held.RemoveAt(held.Count - 1);
                }

                status = t.Volume.MakeSymlink(dir, name, "a/b", TestVolume.Owner).Status;
                break;
        }

        // Any refusal a serial file system could give; never an I/O error, never an exception.
        status.Should().BeOneOf(
            FsStatus.Ok,
            FsStatus.NotFound,
            FsStatus.Exists,
            FsStatus.NotEmpty,
            FsStatus.NotDirectory,
            FsStatus.IsDirectory,
            FsStatus.InvalidArgument,
            FsStatus.NotPermitted);
    }

    /// <summary>A directory (the root or one of its children, which may be gone or a file by now) and a name in it.</summary>
    private static (long Dir, string Name) Place(TestVolume t, Random random)
    {
        var name = Names[random.Next(Names.Length)];
        if (random.Next(2) == 0)
            return (NodeIds.Root, name);
        var parent = t.Volume.Lookup(NodeIds.Root, Names[random.Next(Names.Length)]);
        return (parent.IsOk ? parent.Value.Id : NodeIds.Root, name);
    }

    /// <summary>Checks the whole tree and returns it as a snapshot.</summary>
    private static string ExpectConsistent(TestVolume t)
    {
        var names = new Dictionary<long, int>();
        var nodes = new Dictionary<long, NodeAttributes>();
        var parents = new Dictionary<long, long>();
        Walk(t, NodeIds.Root, names, nodes, parents);
        uint Subdirectories(long dir) => (uint)parents.Values.Count(p => p == dir);
        foreach (var (id, node) in nodes)
        {
            var expected = node.IsDirectory ? 2 + Subdirectories(id) : (uint)names[id];
            node.LinkCount.Should().Be(expected, "node {0} ({1}) has {2} names", id, node.Kind, names[id]);
        }

        t.Volume.GetAttributes(NodeIds.Root).Value.LinkCount.Should().Be(2 + Subdirectories(NodeIds.Root));
        t.Volume.GetStatistics().Value.Nodes.Should().Be(nodes.Count + 1, "every node in the journal has a name (or is the root)");
        var files = nodes.Where(n => n.Value.Kind == NodeKind.File).Select(n => n.Key).ToHashSet();
        ContentObjects.NotIn(t.Directory, files).Should().BeEmpty("every content object belongs to a named file");
        return TreeSnapshot.Of(t.Volume, NodeIds.Root);
    }

    private static void Walk(TestVolume t, long dir, Dictionary<long, int> names, Dictionary<long, NodeAttributes> nodes, Dictionary<long, long> parents)
    {
        foreach (var entry in t.Volume.ReadDirectory(dir, 0, 10_000).Value)
        {
            var id = entry.Attributes.Id;
            names[id] = names.GetValueOrDefault(id) + 1;
            nodes[id] = entry.Attributes;
            if (!entry.Attributes.IsDirectory)
                continue;
            parents.TryAdd(id, dir).Should().BeTrue("directory {0} has one name and is not its own ancestor", id);
            Walk(t, id, names, nodes, parents);
        }
    }
}
