using System.Text;
using CacheFs.Nodes;
using CacheFs.Volume;

namespace CacheFs.Tests.Model;

/// <summary>One node of <see cref="NamespaceModel"/>: a directory, a file with its bytes, or a symlink.</summary>
internal sealed class ModelNode(int serial, NodeKind kind, string target = "")
{
    public int Serial { get; } = serial;

    public NodeKind Kind { get; } = kind;

    public List<byte> Data { get; } = [];

    public string Target { get; } = target;

    public SortedDictionary<string, byte[]> Xattrs { get; } = new(StringComparer.Ordinal);

    /// <summary>A directory's names, keyed by their folded spelling.</summary>
    public Dictionary<string, ModelEntry> Children { get; } = new(StringComparer.Ordinal);

    /// <summary>The directory holding this directory (directories have exactly one name).</summary>
    public ModelNode? Parent { get; set; }

    /// <summary>How many names a file or symlink has.</summary>
    public int Names { get; set; }

    public int OpenCount { get; set; }

    /// <summary>A directory that rmdir or a rename over it removed.</summary>
    public bool Removed { get; set; }

    public bool IsDirectory => Kind == NodeKind.Directory;

    /// <summary>Still known to the volume: a directory not removed, or a file with a name or an open handle.</summary>
    public bool Visible => IsDirectory ? !Removed : Names > 0 || OpenCount > 0;

    public long Size => Kind switch
    {
        NodeKind.File => Data.Count,
        NodeKind.Symlink => Encoding.UTF8.GetByteCount(Target),
        _ => 0,
    };

    /// <summary>POSIX st_nlink: names for a file, 2 plus subdirectories for a directory.</summary>
    public uint LinkCount => IsDirectory ? 2u + (uint)Children.Values.Count(e => e.Node.IsDirectory) : (uint)Names;

    public override string ToString() => $"{Kind}#{Serial}";
}

/// <summary>A name in a model directory; the spelling is kept as given (case-preserving).</summary>
internal sealed class ModelEntry(string name, ModelNode node)
{
    public string Name { get; set; } = name;

    public ModelNode Node { get; set; } = node;
}

/// <summary>An open of a model node.</summary>
internal sealed class ModelHandle(ModelNode node, OpenFlags flags)
{
    public ModelNode Node { get; } = node;

    public OpenFlags Flags { get; } = flags;

    public bool Released { get; set; }
}
