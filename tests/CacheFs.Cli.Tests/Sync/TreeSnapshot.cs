namespace CacheFs.Cli.Tests.Sync;

/// <summary>
/// Every name under a root with what it holds (a file's text, "&lt;dir&gt;", a link's target), so the trees of the
/// mounts and of the origin's folder compare with one equality. The origin's state directory is not part of its tree.
/// </summary>
internal static class TreeSnapshot
{
    private const string OriginState = ".cachefs-origin";

    public static SortedDictionary<string, string> Of(string root)
    {
        var tree = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Walk(root, "", tree);
        return tree;
    }

    /// <summary>The tree, or null when it cannot be read right now (a name vanished mid-walk while a change lands).</summary>
    public static SortedDictionary<string, string>? TryOf(string root)
    {
        try
        {
            return Of(root);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>True when every tree is readable and all are the same.</summary>
    public static bool AllEqual(params string[] roots)
    {
        var trees = roots.Select(TryOf).ToList();
        return trees.All(t => t is not null) && trees.Skip(1).All(t => t!.SequenceEqual(trees[0]!));
    }

    public static string Describe(string root) =>
        TryOf(root) is { } tree ? string.Join('\n', tree.Select(e => $"  {e.Key} = {Short(e.Value)}")) : "  (unreadable)";

    private static void Walk(string directory, string prefix, SortedDictionary<string, string> tree)
    {
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos())
        {
            var name = prefix + entry.Name;
            if (name == OriginState)
                continue;
            if (entry.LinkTarget is { } target)
                tree[name] = "-> " + target;
            else if (entry is DirectoryInfo sub)
            {
                tree[name] = "<dir>";
                Walk(sub.FullName, name + "/", tree);
            }
            else
                tree[name] = File.ReadAllText(entry.FullName);
        }
    }

    private static string Short(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
