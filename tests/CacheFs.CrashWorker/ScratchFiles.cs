using CacheFs.Nodes;
using CacheFs.Volume;

namespace CacheFs.CrashWorker;

/// <summary>
/// Everything else a workload does, on files nobody promised anything about: positional writes with holes, appends,
/// truncates, fallocate, renames (replace, no-replace, exchange, folders too), unlinks of open files that go on being
/// written, hard links, xattrs, temporary folders. Their bytes are not checked after a crash; the journal and the
/// content store around them are.
/// </summary>
internal sealed class ScratchFiles(Namespace ns, Random random, Func<long, bool> isSealed)
{
    private const int MaxOpen = 4;
    private const int MaxOffset = 512 << 10;

    private readonly List<(ulong Handle, long Id)> _open = [];

    private CacheVolume V => ns.Volume;

    public int CountInTops() => Enumerable.Range(0, Namespace.TopCount).Sum(t => ns.ScratchFiles(ns.Top(t), isSealed).Count);

    public void Create()
    {
        var folder = ns.RandomScratchFolder();
        var name = ns.NewName("f");
        var flags = random.Next(3) == 0 ? OpenFlags.ReadWrite | OpenFlags.Append : OpenFlags.ReadWrite;
        var created = Expect.Ok(V.Create(folder, name, Namespace.FileOwner, flags, exclusive: random.Next(2) == 0), $"create {name}");
        if (random.Next(2) == 0)
            Write(created.Handle);
        Keep(created.Handle, created.Attributes.Id);
    }

    public void Open()
    {
        if (!TryPickFile(out var folder, out var entry))
            return;
        _ = folder;
        var flags = OpenFlags.ReadWrite;
        if (random.Next(4) == 0)
            flags |= OpenFlags.Append;
        if (random.Next(6) == 0)
            flags |= OpenFlags.Truncate;
        var opened = Expect.Ok(V.Open(entry.Attributes.Id, flags), $"open {entry.Name}");
        Keep(opened.Handle, entry.Attributes.Id);
    }

    public void WriteOpen()
    {
        if (_open.Count == 0)
        {
            Create();
            return;
        }

        Write(_open[random.Next(_open.Count)].Handle);
    }

    public void Truncate()
    {
        long id;
        if (_open.Count > 0 && random.Next(2) == 0)
        {
            id = _open[random.Next(_open.Count)].Id;
        }
        else if (TryPickFile(out _, out var entry))
        {
            id = entry.Attributes.Id;
        }
        else
        {
            return;
        }

        var size = random.Next(3) == 0 ? 0 : random.Next(MaxOffset / 2);
        Expect.Ok(V.SetAttributes(id, new AttributeChanges { Size = size }).Status, $"truncate {id} to {size}");
    }

    public void Allocate()
    {
        if (_open.Count == 0)
            return;
        var (handle, id) = _open[random.Next(_open.Count)];
        if (random.Next(4) == 0)
        {
            // Windows' SetFileSize(SetAllocationSize): below the size it truncates, above it reserves.
            Expect.Ok(V.SetAllocationSize(handle, random.Next(MaxOffset / 2)), $"set allocation size of {id}");
            return;
        }

        var mode = (AllocateMode)random.Next(3);
        Expect.Ok(V.Allocate(handle, random.Next(MaxOffset / 2), random.Next(1, 64 << 10), mode), $"fallocate {id} ({mode})");
    }

    public void Sync()
    {
        if (_open.Count == 0)
            return;
        var (handle, id) = _open[random.Next(_open.Count)];
        Expect.Ok(V.Sync(handle, dataOnly: random.Next(2) == 0), $"fsync {id}");
    }

    public void Close()
    {
        if (_open.Count == 0)
            return;
        var index = random.Next(_open.Count);
        var (handle, id) = _open[index];
        _open.RemoveAt(index);
        if (random.Next(2) == 0)
            Expect.Ok(V.Flush(handle), $"flush {id}");
        Expect.Ok(V.Release(handle), $"release {id}");
    }

    public void Rename()
    {
        if (!TryPickName(out var folder, out var source))
            return;
        var toFolder = ns.RandomScratchFolder();
        var toName = ns.NewName("f");
        var targets = ns.ScratchNames(toFolder, isSealed);
        if (targets.Count > 0 && random.Next(2) == 0)
            toName = targets[random.Next(targets.Count)].Name;
        var mode = (RenameMode)random.Next(3);
        Expect.Benign(V.Rename(folder, source.Name, toFolder, toName, mode), $"rename {source.Name} to {toName} ({mode})");
    }

    public void Unlink()
    {
        if (TryPickName(out var folder, out var entry))
            Expect.Benign(V.Unlink(folder, entry.Name), $"unlink {entry.Name}");
    }

    /// <summary>A symlink or a fifo: metadata only, but names and link counts all the same.</summary>
    public void MakeSpecial()
    {
        var folder = ns.RandomScratchFolder();
        var made = random.Next(2) == 0
            ? V.MakeSymlink(folder, ns.NewName("y"), "../" + ns.NewName("target"), Namespace.FileOwner)
            : V.MakeNode(folder, ns.NewName("p"), NodeKind.Fifo, Namespace.FileOwner);
        Expect.Ok(made.Status, "symlink or mknod");
    }

    public void Link()
    {
        if (TryPickName(out _, out var entry))
            Expect.Benign(V.Link(entry.Attributes.Id, ns.RandomScratchFolder(), ns.NewName("h")).Status, $"link {entry.Name}");
    }

    public void ChangeXattr()
    {
        if (!TryPickFile(out _, out var entry))
            return;
        var name = $"user.k{random.Next(4)}";
        if (random.Next(3) == 0)
        {
            Expect.Benign(V.RemoveXattr(entry.Attributes.Id, name), $"removexattr {entry.Name} {name}");
            return;
        }

        var value = new byte[random.Next(0, 512)];
        random.NextBytes(value);
        Expect.Ok(V.SetXattr(entry.Attributes.Id, name, value), $"setxattr {entry.Name} {name}");
    }

    public void MakeFolder() =>
        Expect.Ok(V.MakeDirectory(ns.Top(ns.RandomTopIndex()), ns.NewName("t"), Namespace.FolderOwner).Status, "mkdir");

    /// <summary>rmdir of a temporary folder; now and then its files are unlinked first so it really goes.</summary>
    public void RemoveFolder()
    {
        var top = ns.Top(ns.RandomTopIndex());
        var folders = ns.Folders(top);
        if (folders.Count == 0)
            return;
        var folder = folders[random.Next(folders.Count)];
        if (random.Next(2) == 0)
        {
            foreach (var entry in Expect.List(V, folder.Attributes.Id).ToList())
                Expect.Benign(V.Unlink(folder.Attributes.Id, entry.Name), $"unlink {entry.Name}");
        }

        Expect.Benign(V.RemoveDirectory(top, folder.Name), $"rmdir {folder.Name}");
    }

    /// <summary>A temporary folder moves to another top folder: to a new name, over another one (if empty), or by exchange.</summary>
    public void RenameFolder()
    {
        var top = ns.Top(ns.RandomTopIndex());
        var folders = ns.Folders(top);
        if (folders.Count == 0)
            return;
        var folder = folders[random.Next(folders.Count)];
        var toTop = ns.Top(ns.RandomTopIndex());
        var toName = ns.NewName("t");
        var targets = ns.Folders(toTop);
        if (targets.Count > 0 && random.Next(2) == 0)
            toName = targets[random.Next(targets.Count)].Name;
        var mode = (RenameMode)random.Next(3);
        Expect.Benign(V.Rename(top, folder.Name, toTop, toName, mode), $"rename folder {folder.Name} to {toName} ({mode})");
    }

    /// <summary>The POSIX idiom: create, unlink while open, keep writing, fsync, read back through the handle.</summary>
    public void OpenUnlinkWrite()
    {
        var folder = ns.RandomScratchFolder();
        var name = ns.NewName("u");
        var created = Expect.Ok(V.Create(folder, name, Namespace.FileOwner, OpenFlags.ReadWrite, exclusive: true), $"create {name}");
        var handle = created.Handle;
        var first = new byte[random.Next(0, 32 << 10)];
        var second = new byte[random.Next(1, 32 << 10)];
        random.NextBytes(first);
        random.NextBytes(second);
        if (first.Length > 0)
            Expect.Ok(V.Write(handle, 0, first), $"write {name}");
        Expect.Ok(V.Unlink(folder, name), $"unlink open {name}");
        Expect.Ok(V.Write(handle, first.Length, second), $"write unlinked {name}");
        if (random.Next(2) == 0)
            Expect.Ok(V.Sync(handle), $"fsync unlinked {name}");
        var back = new byte[first.Length + second.Length];
        var read = Expect.Ok(V.Read(handle, 0, back), $"read unlinked {name}");
        if (read != back.Length || !back.AsSpan(0, first.Length).SequenceEqual(first) || !back.AsSpan(first.Length).SequenceEqual(second))
            throw new WorkerFailureException($"the unlinked file {name} reads back wrong");
        Keep(handle, created.Attributes.Id);
    }

    public void SyncVolume() => Expect.Ok(V.SyncVolume(), "syncfs");

    private void Write(ulong handle)
    {
        var data = new byte[random.Next(1, 16 << 10)];
        random.NextBytes(data);
        var written = Expect.Ok(V.Write(handle, random.Next(MaxOffset), data, toEndOfFile: random.Next(4) == 0), $"write handle {handle}");
        if (written.Written != data.Length)
            throw new WorkerFailureException($"write on handle {handle} wrote {written.Written} of {data.Length} bytes");
    }

    /// <summary>Keeps a handle open for later writes, closing the oldest when too many are open.</summary>
    private void Keep(ulong handle, long id)
    {
        _open.Add((handle, id));
        if (_open.Count <= MaxOpen)
            return;
        var (oldest, oldestId) = _open[0];
        _open.RemoveAt(0);
        Expect.Ok(V.Release(oldest), $"release {oldestId}");
    }

    private bool TryPickFile(out long folder, out DirectoryEntry entry) => TryPick(ns.ScratchFiles, out folder, out entry);

    private bool TryPickName(out long folder, out DirectoryEntry entry) => TryPick(ns.ScratchNames, out folder, out entry);

    private bool TryPick(Func<long, Func<long, bool>, List<DirectoryEntry>> list, out long folder, out DirectoryEntry entry)
    {
        folder = ns.RandomScratchFolder();
        var entries = list(folder, isSealed);
        entry = entries.Count > 0 ? entries[random.Next(entries.Count)] : null!;
        return entries.Count > 0;
    }
}
