using System.Text;
using CacheFs.Nodes;
using CacheFs.Tests.Model;
using CacheFs.Volume;

namespace CacheFs.Tests.Concurrency;

/// <summary>
/// A directory's whole subtree as one canonical string (names, kinds, link counts, contents, symlink targets), so the
/// real volume and the model can be compared by equality.
/// </summary>
internal static class TreeSnapshot
{
    public static string Of(CacheVolume volume, long directory)
    {
        var listing = volume.ReadDirectory(directory, 0, 10_000);
        listing.Status.Should().Be(FsStatus.Ok, "listing directory {0} for a snapshot", directory);
        var parts = new List<string>();
        foreach (var entry in listing.Value.OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            var node = entry.Attributes;
            var body = node.Kind switch
            {
                NodeKind.Directory => Of(volume, node.Id),
                NodeKind.File => Content(volume, node.Id),
                NodeKind.Symlink => volume.ReadLink(node.Id).Value,
                _ => "",
            };
            parts.Add(Entry(entry.Name, node.Kind, node.LinkCount, body));
        }

        return "{" + string.Join(", ", parts) + "}";
    }

    public static string Of(ModelNode directory)
    {
        var parts = new List<string>();
        foreach (var entry in directory.Children.Values.OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            var node = entry.Node;
            var body = node.Kind switch
            {
                NodeKind.Directory => Of(node),
                NodeKind.File => Encoding.UTF8.GetString(node.Data.ToArray()),
                NodeKind.Symlink => node.Target,
                _ => "",
            };
            parts.Add(Entry(entry.Name, node.Kind, node.LinkCount, body));
        }

        return "{" + string.Join(", ", parts) + "}";
    }

    private static string Entry(string name, NodeKind kind, uint links, string body) => $"{name}:{kind}x{links}={body}";

    private static string Content(CacheVolume volume, long id)
    {
        var open = volume.Open(id, OpenFlags.Read);
        open.Status.Should().Be(FsStatus.Ok, "opening node {0} for a snapshot", id);
        try
        {
            var buffer = new byte[open.Value.Attributes.Size + 1];
            var read = volume.Read(open.Value.Handle, 0, buffer);
            read.Status.Should().Be(FsStatus.Ok);
            return Encoding.UTF8.GetString(buffer, 0, read.Value);
        }
        finally
        {
            volume.Release(open.Value.Handle);
        }
    }
}
