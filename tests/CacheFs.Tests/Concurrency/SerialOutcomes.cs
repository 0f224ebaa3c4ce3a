using System.Text;
using CacheFs.Nodes;
using CacheFs.Tests.Model;
using CacheFs.Volume;

namespace CacheFs.Tests.Concurrency;

/// <summary>Named model nodes a racing scenario's operations refer to (the round's directory is "dir").</summary>
internal sealed class ModelRound(NamespaceModel model)
{
    public NamespaceModel Model { get; } = model;

    public Dictionary<string, ModelNode> Nodes { get; } = new(StringComparer.Ordinal);

    public ModelNode Dir => Nodes["dir"];

    public ModelNode Directory(string key, ModelNode parent, string name)
    {
        Model.MakeDirectory(parent, name).Should().Be(FsStatus.Ok);
        return Nodes[key] = Model.Lookup(parent, name).Value;
    }

    public ModelNode File(string key, ModelNode parent, string name, string content)
    {
        var created = Model.Create(parent, name, OpenFlags.ReadWrite, exclusive: true);
        created.Status.Should().Be(FsStatus.Ok);
        Model.Write(created.Value, 0, Encoding.UTF8.GetBytes(content), toEndOfFile: false).Status.Should().Be(FsStatus.Ok);
        Model.Release(created.Value);
        return Nodes[key] = created.Value.Node;
    }
}

/// <summary>
/// Every outcome racing namespace operations may end in: the journal is the order of effect, so the result must be what
/// some serial order of the operations gives. Each order is applied to a fresh model; an outcome is the operations'
/// statuses plus a snapshot of the round's directory.
/// </summary>
internal static class SerialOutcomes
{
    public static HashSet<string> Of(bool caseSensitive, Action<ModelRound> setup, params Func<ModelRound, FsStatus>[] operations)
    {
        var outcomes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var order in Permutations(operations.Length))
        {
            var round = new ModelRound(new NamespaceModel(caseSensitive));
            round.Nodes["dir"] = round.Model.Root;
            setup(round);
            var statuses = new FsStatus[operations.Length];
            foreach (var i in order)
                statuses[i] = operations[i](round);
            outcomes.Add(Describe(statuses, TreeSnapshot.Of(round.Dir)));
        }

        return outcomes;
    }

    public static string Describe(IReadOnlyList<FsStatus> statuses, string tree) => $"[{string.Join(",", statuses)}] {tree}";

    /// <summary>The real outcome: statuses as the threads saw them and the directory as the volume has it.</summary>
    public static string Describe(IReadOnlyList<FsStatus> statuses, CacheVolume volume, long directory) =>
        Describe(statuses, TreeSnapshot.Of(volume, directory));

    private static IEnumerable<int[]> Permutations(int count)
    {
        if (count == 0)
        {
            yield return [];
            yield break;
        }

        foreach (var rest in Permutations(count - 1))
        {
            for (var at = 0; at <= rest.Length; at++)
                yield return [.. rest[..at], count - 1, .. rest[at..]];
        }
    }
}

/// <summary>Shorthands for building a round on the real volume.</summary>
internal static class RoundSetup
{
    public static long File(TestVolume t, long parent, string name, string content) =>
        t.MakeFile(name, Encoding.UTF8.GetBytes(content), parent);

    public static long Directory(TestVolume t, long parent, string name) => t.MakeDir(name, parent);

    public static long Round(TestVolume t, int round) => t.MakeDir($"round{round}", NodeIds.Root);
}
