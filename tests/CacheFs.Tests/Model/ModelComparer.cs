using CacheFs.Nodes;
using CacheFs.Volume;

namespace CacheFs.Tests.Model;

/// <summary>
/// Compares the real volume with the model: single nodes after each step, the whole tree periodically. Keeps the
/// pairing of model nodes with volume ids, which must stay one to one (hard links share an id, nothing else does).
/// </summary>
internal sealed class ModelComparer(Func<string> context)
{
    private readonly Dictionary<ModelNode, long> _ids = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<long, ModelNode> _nodes = [];

    public long? IdOf(ModelNode node) => _ids.TryGetValue(node, out var id) ? id : null;

    /// <summary>Records that <paramref name="node"/> is the volume's node <paramref name="id"/>, and checks it is the only pairing.</summary>
    public void Pair(ModelNode node, long id)
    {
        if (_ids.TryGetValue(node, out var known))
            id.Should().Be(known, "{0}: model node {1} was volume node {2} before", context(), node, known);
        if (_nodes.TryGetValue(id, out var other))
            other.Should().BeSameAs(node, "{0}: volume node {1} was model node {2} before", context(), id, other);
        _ids[node] = id;
        _nodes[id] = node;
    }

    public void Attributes(ModelNode node, NodeAttributes real)
    {
        Pair(node, real.Id);
        real.Kind.Should().Be(node.Kind, "{0}: kind of {1}", context(), node);
        real.Size.Should().Be(node.Size, "{0}: size of {1}", context(), node);
        real.LinkCount.Should().Be(node.LinkCount, "{0}: link count of {1}", context(), node);
    }

    /// <summary>Walks both trees from the root: names, kinds, sizes, link counts, contents, symlink targets, xattrs.</summary>
    public void Tree(TestVolume t, NamespaceModel model, int pageSize)
    {
        var root = t.Volume.GetAttributes(NodeIds.Root);
        root.Status.Should().Be(FsStatus.Ok, "{0}: the root", context());
        Attributes(model.Root, root.Value);
        Directory(t, model.Root, NodeIds.Root, "", pageSize);
    }

    /// <summary>With every handle closed, each content object under objects/ belongs to a file that has a name.</summary>
    public void NoOrphanObjects(TestVolume t, NamespaceModel model)
    {
        var files = new HashSet<long>();
        Collect(model.Root, files);
        var objects = ContentObjects.NotIn(t.Directory, files);
        objects.Should().BeEmpty("{0}: every content object must belong to a named file", context());
    }

    public void Content(TestVolume t, ModelNode node, long id)
    {
        var open = t.Volume.Open(id, OpenFlags.Read);
        open.Status.Should().Be(FsStatus.Ok, "{0}: opening {1} to compare its content", context(), node);
        try
        {
            var buffer = new byte[node.Data.Count + 8];
            var read = t.Volume.Read(open.Value.Handle, 0, buffer);
            read.Status.Should().Be(FsStatus.Ok, "{0}: reading {1}", context(), node);
            buffer[..read.Value].Should().Equal(node.Data, "{0}: content of {1}", context(), node);
        }
        finally
        {
            t.Volume.Release(open.Value.Handle).Should().Be(FsStatus.Ok);
        }
    }

    private void Directory(TestVolume t, ModelNode dir, long id, string path, int pageSize)
    {
        var entries = List(t, id, pageSize);
        entries.Select(e => e.Name).Order(StringComparer.Ordinal).Should().Equal(
            dir.Children.Values.Select(e => e.Name).Order(StringComparer.Ordinal),
            "{0}: names in '{1}/'",
            context(),
            path);
        var byName = dir.Children.Values.ToDictionary(e => e.Name, StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var node = byName[entry.Name].Node;
            var childPath = path + "/" + entry.Name;
            Attributes(node, entry.Attributes);
            Xattrs(t, node, entry.Attributes.Id, childPath);
            switch (node.Kind)
            {
                case NodeKind.Directory:
                    Directory(t, node, entry.Attributes.Id, childPath, pageSize);
                    break;
                case NodeKind.File:
                    Content(t, node, entry.Attributes.Id);
                    break;
                case NodeKind.Symlink:
                    t.Volume.ReadLink(entry.Attributes.Id).Value.Should().Be(node.Target, "{0}: target of '{1}'", context(), childPath);
                    break;
            }
        }
    }

    private void Xattrs(TestVolume t, ModelNode node, long id, string path)
    {
        var names = t.Volume.ListXattrs(id);
        names.Status.Should().Be(FsStatus.Ok, "{0}: listing xattrs of '{1}'", context(), path);
        names.Value.Should().Equal(node.Xattrs.Keys, "{0}: xattr names of '{1}'", context(), path);
        foreach (var (name, value) in node.Xattrs)
            t.Volume.GetXattr(id, name).Value.Should().Equal(value, "{0}: xattr {1} of '{2}'", context(), name, path);
    }

    private List<DirectoryEntry> List(TestVolume t, long id, int pageSize)
    {
        var all = new List<DirectoryEntry>();
        long cookie = 0;
        while (true)
        {
            var page = t.Volume.ReadDirectory(id, cookie, pageSize);
            page.Status.Should().Be(FsStatus.Ok, "{0}: listing directory {1}", context(), id);
            if (page.Value.Count == 0)
                return all;
            all.AddRange(page.Value);
            cookie = page.Value[^1].Cookie;
        }
    }

    private void Collect(ModelNode dir, HashSet<long> files)
    {
        foreach (var entry in dir.Children.Values)
        {
            if (entry.Node.IsDirectory)
                Collect(entry.Node, files);
            else if (IdOf(entry.Node) is { } id)
                files.Add(id);
        }
    }
}
