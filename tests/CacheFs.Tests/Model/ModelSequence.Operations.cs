using CacheFs.Nodes;
using CacheFs.Volume;

namespace CacheFs.Tests.Model;

/// <summary>The operations of a sequence: each applies one call to the volume and to the model and compares the outcomes.</summary>
internal sealed partial class ModelSequence
{
    private void CreateFile()
    {
        if (Parent() is not { } parent)
            return;
        var name = Name();
        var exclusive = _random.Next(2) == 0;
        var flags = RandomFlags(forCreate: true);
        Log($"create {parent.Model}/{name} exclusive={exclusive} {flags}");
        var existed = _model.Lookup(parent.Model, name).IsOk;
        var model = _model.Create(parent.Model, name, flags, exclusive);
        var real = _t.Volume.Create(parent.Id, name, TestVolume.Owner, flags, exclusive);
        Expect(real.Status, model.Status, "create");
        if (!model.IsOk)
            return;
        real.Value.Created.Should().Be(!existed, "{0}: created flag", Context());
        _compare.Attributes(model.Value.Node, real.Value.Attributes);
        Remember(model.Value.Node);
        if (_random.Next(2) == 0)
            WriteThrough(model.Value, real.Value.Handle, 0, Bytes(24), toEndOfFile: false);
        Keep(model.Value, real.Value.Handle, _random.Next(3) == 0);
    }

    private void MakeDirectory()
    {
        if (Parent() is not { } parent)
            return;
        var name = Name();
        Log($"mkdir {parent.Model}/{name}");
        var model = _model.MakeDirectory(parent.Model, name);
        var real = _t.Volume.MakeDirectory(parent.Id, name, TestVolume.DirOwner);
        Expect(real.Status, model, "mkdir");
        if (real.IsOk)
            _compare.Attributes(_model.Lookup(parent.Model, name).Value, real.Value);
    }

    private void MakeSymlinkOrNode()
    {
        if (Parent() is not { } parent)
            return;
        var name = Name();
        if (_random.Next(5) == 0)
        {
            var kind = _random.Next(8) == 0 ? NodeKind.Symlink : NodeKind.Fifo;
            Log($"mknod {parent.Model}/{name} {kind}");
            var made = _t.Volume.MakeNode(parent.Id, name, kind, TestVolume.Owner);
            Expect(made.Status, _model.MakeNode(parent.Model, name, kind), "mknod");
            if (made.IsOk)
                _compare.Attributes(_model.Lookup(parent.Model, name).Value, made.Value);
            return;
        }

        var target = _random.Next(20) == 0 ? "" : Path(3);
        Log($"symlink {parent.Model}/{name} -> '{target}'");
        var model = _model.MakeSymlink(parent.Model, name, target);
        var real = _t.Volume.MakeSymlink(parent.Id, name, target, TestVolume.Owner);
        Expect(real.Status, model, "symlink");
        if (real.IsOk)
            _compare.Attributes(_model.Lookup(parent.Model, name).Value, real.Value);
    }

    private void RemoveDirectory()
    {
        if (Parent() is not { } parent)
            return;
        var name = Name(parent.Model);
        Log($"rmdir {parent.Model}/{name}");
        Expect(_t.Volume.RemoveDirectory(parent.Id, name), _model.RemoveDirectory(parent.Model, name), "rmdir");
    }

    private void Unlink()
    {
        if (Parent() is not { } parent)
            return;
        var name = Name(parent.Model);
        Log($"unlink {parent.Model}/{name}");
        Expect(_t.Volume.Unlink(parent.Id, name), _model.Unlink(parent.Model, name), "unlink");
    }

    private void Rename()
    {
        if (Parent() is not { } from || Parent() is not { } to)
            return;
        var name = Name(from.Model);
        var newName = Name(to.Model);
        var mode = _random.Next(10) switch
        {
            < 6 => RenameMode.Replace,
            < 8 => RenameMode.NoReplace,
            _ => RenameMode.Exchange,
        };
        Log($"rename {from.Model}/{name} -> {to.Model}/{newName} {mode}");
        Expect(
            _t.Volume.Rename(from.Id, name, to.Id, newName, mode),
            _model.Rename(from.Model, name, to.Model, newName, mode),
            "rename");
    }

    private void Link()
    {
        if (Target() is not { } node || Parent() is not { } parent)
            return;
        var name = Name();
        Log($"link {node.Model} -> {parent.Model}/{name}");
        var model = _model.Link(node.Model, parent.Model, name);
        var real = _t.Volume.Link(node.Id, parent.Id, name);
        Expect(real.Status, model, "link");
        if (real.IsOk)
            _compare.Attributes(node.Model, real.Value);
    }

    private void OpenNode()
    {
        if (Target() is not { } node)
            return;
        var flags = RandomFlags(forCreate: false);
        Log($"open {node.Model} {flags}");
        var model = _model.Open(node.Model, flags);
        var real = _t.Volume.Open(node.Id, flags);
        Expect(real.Status, model.Status, "open");
        if (!model.IsOk)
            return;
        _compare.Attributes(node.Model, real.Value.Attributes);
        Keep(model.Value, real.Value.Handle, mayKeep: true);
    }

    private void Write(bool append)
    {
        if (AnyHandle() is not { } handle)
            return;
        var size = handle.Model.Node.Size;
        var offset = _random.Next(10) == 0 ? -1 : _random.NextInt64(size + 12);
        WriteThrough(handle.Model, handle.Real, offset, Bytes(16), toEndOfFile: append && _random.Next(2) == 0);
    }

    private void WriteThrough(ModelHandle model, ulong real, long offset, byte[] data, bool toEndOfFile)
    {
        Log($"write h{real} {model.Node} @{offset} {Show(data)} toEnd={toEndOfFile} {model.Flags}");
        var expected = _model.Write(model, offset, data, toEndOfFile);
        var actual = _t.Volume.Write(real, offset, data, toEndOfFile);
        Expect(actual.Status, expected.Status, "write");
        if (!expected.IsOk)
            return;
        actual.Value.Should().Be(new WriteResult(data.Length, expected.Value.Offset, expected.Value.Size), "{0}: write result", Context());
    }

    private void Allocate()
    {
        if (AnyHandle() is not { } handle)
            return;
        var size = handle.Model.Node.Size;
        var offset = _random.Next(12) == 0 ? -1 : _random.NextInt64(size + 8);
        var length = _random.Next(12) == 0 ? 0 : _random.NextInt64(1, 24);
        var mode = (AllocateMode)_random.Next(3);
        Log($"fallocate h{handle.Real} {handle.Model.Node} @{offset} x{length} {mode}");
        Expect(_t.Volume.Allocate(handle.Real, offset, length, mode), _model.Allocate(handle.Model, offset, length, mode), "fallocate");
    }

    private void Read()
    {
        if (AnyHandle() is not { } handle)
            return;
        var offset = _random.Next(12) == 0 ? -1 : _random.NextInt64(handle.Model.Node.Size + 6);
        var length = _random.Next(20);
        Log($"read h{handle.Real} {handle.Model.Node} @{offset} x{length}");
        var expected = _model.Read(handle.Model, offset, length);
        var buffer = new byte[length];
        var actual = _t.Volume.Read(handle.Real, offset, buffer);
        Expect(actual.Status, expected.Status, "read");
        if (expected.IsOk)
            buffer[..actual.Value].Should().Equal(expected.Value, "{0}: bytes read", Context());
    }

    private void Release()
    {
        if (AnyHandle() is not { } handle)
            return;
        Log($"release h{handle.Real} {handle.Model.Node}");
        if (handle.Model.Released)
            Expect(_t.Volume.Release(handle.Real), _model.Release(handle.Model), "release of a closed handle");
        else
            ReleaseHandle(handle.Model, handle.Real);
    }

    private void Truncate()
    {
        if (Target() is not { } node)
            return;
        var size = _random.Next(15) == 0 ? -1 : _random.NextInt64(node.Model.Size + 20);
        Log($"truncate {node.Model} to {size}");
        var model = _model.SetSize(node.Model, size);
        var real = _t.Volume.SetAttributes(node.Id, new AttributeChanges { Size = size });
        Expect(real.Status, model, "truncate");
        if (real.IsOk)
            _compare.Attributes(node.Model, real.Value);
    }

    private void Xattr()
    {
        if (Target() is not { } node)
            return;
        var name = _random.Next(30) == 0 ? "" : XattrNames[_random.Next(XattrNames.Length)];
        switch (_random.Next(4))
        {
            case 0:
                Log($"removexattr {node.Model} {name}");
                Expect(_t.Volume.RemoveXattr(node.Id, name), _model.RemoveXattr(node.Model, name), "removexattr");
                break;
            case 1:
                Log($"getxattr {node.Model} {name}");
                var expected = _model.GetXattr(node.Model, name);
                var actual = _t.Volume.GetXattr(node.Id, name);
                Expect(actual.Status, expected.Status, "getxattr");
                if (expected.IsOk)
                    actual.Value.Should().Equal(expected.Value, "{0}: xattr value", Context());
                break;
            default:
                var value = Bytes(12);
                var mode = (XattrSetMode)_random.Next(3);
                Log($"setxattr {node.Model} {name}={Show(value)} {mode}");
                Expect(_t.Volume.SetXattr(node.Id, name, value, mode), _model.SetXattr(node.Model, name, value, mode), "setxattr");
                break;
        }
    }

    private void GetAttributes()
    {
        if (Target() is not { } node)
            return;
        Log($"getattr {node.Model}");
        var model = _model.GetAttributes(node.Model);
        var real = _t.Volume.GetAttributes(node.Id);
        Expect(real.Status, model.Status, "getattr");
        if (real.IsOk)
            _compare.Attributes(node.Model, real.Value);
    }

    private void Lookup()
    {
        if (Parent() is not { } parent)
            return;
        var name = Name(parent.Model);
        Log($"lookup {parent.Model}/{name}");
        var model = _model.Lookup(parent.Model, name);
        var real = _t.Volume.Lookup(parent.Id, name);
        Expect(real.Status, model.Status, "lookup");
        if (real.IsOk)
            _compare.Attributes(model.Value, real.Value);
    }

    /// <summary>
    /// readdir across changes: a listing started before namespace changes and finished after them shows every name
    /// that stayed put exactly once. POSIX leaves open whether names that came or went appear, so a name replaced by a
    /// rename may show twice (once per file).
    /// </summary>
    private void InterleavedListing()
    {
        var path = _random.Next(3) == 0 ? null : Existing(n => n.IsDirectory);
        if ((path is null ? (_model.Root, NodeIds.Root) : ResolveBoth(path)) is not { } dir)
            return;
        Log($"readdir {dir.Model} across changes");
        var before = dir.Model.Children.Values.Select(e => (Entry: e, e.Name)).ToList();
        var first = _t.Volume.ReadDirectory(dir.Id, 0, 1 + _random.Next(2));
        Expect(first.Status, FsStatus.Ok, "readdir, first page");
        var names = first.Value.Select(e => e.Name).ToList();
        var cookie = first.Value.Count > 0 ? first.Value[^1].Cookie : 0;
        for (var changes = 1 + _random.Next(3); changes > 0; changes--)
        {
            switch (_random.Next(6))
            {
                case 0: CreateFile(); break;
                case 1: MakeDirectory(); break;
                case 2: Unlink(); break;
                case 3: Link(); break;
                default: Rename(); break;
            }
        }

        Log($"readdir {dir.Model} continued after cookie {cookie}");
        while (true)
        {
            var page = _t.Volume.ReadDirectory(dir.Id, cookie, 1 + _random.Next(3));
            Expect(page.Status, dir.Model.Visible ? FsStatus.Ok : FsStatus.NotFound, "readdir, next page");
            if (!page.IsOk || page.Value.Count == 0)
                break;
            names.AddRange(page.Value.Select(e => e.Name));
            cookie = page.Value[^1].Cookie;
        }

        if (!dir.Model.Visible)
            return;
        var stayed = before.Where(b => b.Entry.Name == b.Name && dir.Model.Children.ContainsValue(b.Entry)).Select(b => b.Name).ToList();
        stayed.Where(name => names.Count(n => n == name) != 1).Should().BeEmpty(
            "{0}: a listing shows every name that stayed put exactly once (got {1})",
            Context(),
            string.Join(",", names));
    }

    /// <summary>The classic: open a file, remove its last name, keep reading and writing it, close it; then it is gone.</summary>
    private void OpenUnlinkReadRelease()
    {
        var path = Existing(n => n.Kind == NodeKind.File) ?? Path(2);
        if (ResolveBoth(path) is not { } node || node.Model.Kind != NodeKind.File)
            return;
        Log($"open-unlink-read-release '{path}' {node.Model}");
        var model = _model.Open(node.Model, OpenFlags.ReadWrite);
        var real = _t.Volume.Open(node.Id, OpenFlags.ReadWrite);
        Expect(real.Status, model.Status, "open before unlink");
        var slash = path.LastIndexOf('/');
        var parent = slash < 0 ? (_model.Root, NodeIds.Root) : ResolveBoth(path[..slash])!.Value;
        var name = path[(slash + 1)..];
        Expect(_t.Volume.Unlink(parent.Item2, name), _model.Unlink(parent.Item1, name), "unlink while open");
        _compare.Content(_t, node.Model, node.Id);
        WriteThrough(model.Value, real.Value.Handle, _random.Next(8), Bytes(8), toEndOfFile: false);
        var attributes = _t.Volume.GetAttributes(node.Id);
        Expect(attributes.Status, FsStatus.Ok, "getattr of an open, unlinked file");
        _compare.Attributes(node.Model, attributes.Value);
        if (_open.Count < MaxOpenHandles && _random.Next(2) == 0)
        {
            _open.Add((model.Value, real.Value.Handle));
            return;
        }

        ReleaseHandle(model.Value, real.Value.Handle);
        Expect(_t.Volume.GetAttributes(node.Id).Status, _model.GetAttributes(node.Model).Status, "getattr after the last close");
    }

    private void Reopen()
    {
        Log("reopen");
        _model.ReleaseAll();
        _open.Clear();
        _closed.Clear();
        _t.Reopen();
        var recovery = _t.Volume.LastRecovery;
        recovery.Should().BeEquivalentTo(new RecoveryReport(0, 0, 0, 0, []), "{0}: a clean close leaves nothing to recover", Context());
    }
}
