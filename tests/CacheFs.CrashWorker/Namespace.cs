using CacheFs.Nodes;
using CacheFs.Volume;

namespace CacheFs.CrashWorker;

/// <summary>
/// The worker's view of the tree: a few fixed top folders (d0..d3) that hold sealed and scratch files, temporary
/// folders inside them that hold scratch files only, and picks at random among what is there right now.
/// </summary>
internal sealed class Namespace(CacheVolume volume, Random random, string tag)
{
    public const int TopCount = 4;
    public static readonly NewNode FileOwner = new(Convert.ToUInt32("644", 8), 1000, 1000);
    public static readonly NewNode FolderOwner = new(Convert.ToUInt32("755", 8), 1000, 1000);

    private readonly long[] _top = new long[TopCount];
    private int _next;

    public CacheVolume Volume => volume;

    public long Top(int index) => _top[index];

    public static string TopName(int index) => $"d{index}";

    /// <summary>Creates the fixed folders (and any other top-level folder) that a killed worker may not have made yet.</summary>
    public long EnsureFolders(string extra)
    {
        for (var i = 0; i < TopCount; i++)
            _top[i] = EnsureFolder(TopName(i));
        return EnsureFolder(extra);
    }

    public string NewName(string kind) => $"{kind}{tag}_{_next++}";

    public int RandomTopIndex() => random.Next(TopCount);

    /// <summary>A folder for scratch files: a top folder, or now and then one of its temporary folders.</summary>
    public long RandomScratchFolder()
    {
        var top = _top[RandomTopIndex()];
        if (random.Next(3) != 0)
            return top;
        var folders = Folders(top);
        return folders.Count == 0 ? top : folders[random.Next(folders.Count)].Attributes.Id;
    }

    public List<DirectoryEntry> Folders(long folder) => Expect.List(volume, folder).Where(e => e.Attributes.IsDirectory).ToList();

    /// <summary>Files in <paramref name="folder"/> that are not sealed: the workload may do anything to them.</summary>
    public List<DirectoryEntry> ScratchFiles(long folder, Func<long, bool> isSealed) =>
        Expect.List(volume, folder).Where(e => e.Attributes.Kind == NodeKind.File && !isSealed(e.Attributes.Id)).ToList();

    /// <summary>Scratch files and the metadata-only kinds beside them (symlinks, fifos): what renames and unlinks pick from.</summary>
    public List<DirectoryEntry> ScratchNames(long folder, Func<long, bool> isSealed) =>
        Expect.List(volume, folder).Where(e => !e.Attributes.IsDirectory && !isSealed(e.Attributes.Id)).ToList();

    private long EnsureFolder(string name)
    {
        var found = volume.Lookup(NodeIds.Root, name);
        if (found.IsOk)
            return found.Value.Id;
        return Expect.Ok(volume.MakeDirectory(NodeIds.Root, name, FolderOwner), $"mkdir {name}").Id;
    }
}
