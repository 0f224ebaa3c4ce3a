using CacheFs.Nodes;
using CacheFs.Volume;

namespace CacheFs.CrashWorker;

/// <summary>
/// Files written once, fsynced, and never written again: their exact bytes are the durability promise the crash test
/// checks. They can still be renamed (also over other files and by exchange), linked, unlinked and given xattrs, each
/// recorded in the ledger around the call so the ledger never promises a name the journal may not have.
/// </summary>
/// <remarks>Only the workload's thread touches sealed files and the sealed part of the ledger state.</remarks>
internal sealed class SealedFiles(Namespace ns, LedgerWriter ledger, Random random)
{
    private const int MaxNames = 3;

    private CacheVolume V => ns.Volume;

    private Dictionary<long, SealedFile> Sealed => ledger.State.Sealed;

    public int Count => Sealed.Count;

    public bool IsSealed(long id) => Sealed.ContainsKey(id);

    /// <summary>A Link that returned just before the last kill left a name the ledger never heard of: promise it now.</summary>
    public void Adopt()
    {
        for (var top = 0; top < Namespace.TopCount; top++)
        {
            foreach (var entry in Expect.List(V, ns.Top(top)).ToList())
            {
                var path = $"{Namespace.TopName(top)}/{entry.Name}";
                if (Sealed.TryGetValue(entry.Attributes.Id, out var file) && !file.Slots.Any(s => s.Contains(path, StringComparer.Ordinal)))
                    ledger.Record($"link {file.Id} {path}");
            }
        }
    }

    public void Create()
    {
        var top = ns.RandomTopIndex();
        var name = ns.NewName("s");
        var path = $"{Namespace.TopName(top)}/{name}";
        var content = new byte[random.Next(8) == 0 ? random.Next(64 << 10, 512 << 10) : random.Next(0, 64 << 10)];
        random.NextBytes(content);
        var created = Expect.Ok(V.Create(ns.Top(top), name, Namespace.FileOwner, OpenFlags.ReadWrite, exclusive: true), $"create {path}");
        Fill(created.Handle, created.Attributes.Id, content, path);
        if (random.Next(4) == 0)
            Expect.Ok(V.Flush(created.Handle), $"flush {path}");
        Expect.Ok(V.Sync(created.Handle, dataOnly: random.Next(2) == 0), $"fsync {path}");
        ledger.Record($"seal {created.Attributes.Id} {content.Length} {Expect.Hash(content)} {path}");
        Expect.Ok(V.Release(created.Handle), $"release {path}");
    }

    /// <summary>Moves one name of a sealed file: to a new name, over a scratch file, over another sealed file, or by exchange.</summary>
    public void Rename()
    {
        if (!TryPick(out var file, out var from))
            return;
        var toTop = ns.RandomTopIndex();
        var toName = ns.NewName("s");
        var mode = random.Next(4) == 0 ? RenameMode.NoReplace : RenameMode.Replace;
        var roll = random.Next(10);
        if (roll >= 4)
        {
            var entries = Expect.List(V, ns.Top(toTop)).Where(e => e.Attributes.Kind == NodeKind.File && e.Attributes.Id != file.Id).ToList();
            var others = entries.Where(e => roll >= 8 == IsSealed(e.Attributes.Id)).ToList();
            if (others.Count > 0)
            {
                var target = others[random.Next(others.Count)];
                toName = target.Name;
                mode = roll >= 8 || random.Next(3) != 0 ? RenameMode.Replace : RenameMode.Exchange;
                if (IsSealed(target.Attributes.Id))
                    ledger.Record($"retire {target.Attributes.Id} {Namespace.TopName(toTop)}/{toName}");
            }
        }

        var to = $"{Namespace.TopName(toTop)}/{toName}";
        ledger.Record($"move {file.Id} {from} {to}");
        var (fromTop, fromName) = Split(from);
        Expect.Ok(V.Rename(ns.Top(fromTop), fromName, ns.Top(toTop), toName, mode), $"rename {from} to {to} ({mode})");
        ledger.Record($"moved {file.Id} {from} {to}");
    }

    public void Link()
    {
        if (!TryPick(out var file, out _) || file.Slots.Count >= MaxNames)
            return;
        var top = ns.RandomTopIndex();
        var name = ns.NewName("h");
        Expect.Ok(V.Link(file.Id, ns.Top(top), name), $"link {file.Id} as {Namespace.TopName(top)}/{name}");
        ledger.Record($"link {file.Id} {Namespace.TopName(top)}/{name}");
    }

    public void Unlink()
    {
        if (!TryPick(out var file, out var path))
            return;
        ledger.Record($"retire {file.Id} {path}");
        var (top, name) = Split(path);
        Expect.Ok(V.Unlink(ns.Top(top), name), $"unlink {path}");
    }

    public void ChangeXattr()
    {
        if (!TryPick(out var file, out _))
            return;
        if (file.Xattrs.Count > 0 && random.Next(3) == 0)
        {
            var name = file.Xattrs.Keys.ElementAt(random.Next(file.Xattrs.Count));
            ledger.Record($"unxattr {file.Id} {name}");
            Expect.Ok(V.RemoveXattr(file.Id, name), $"removexattr {file.Id} {name}");
            return;
        }

        var added = "user." + ns.NewName("x");
        var value = new byte[random.Next(1, 200)];
        random.NextBytes(value);
        Expect.Ok(V.SetXattr(file.Id, added, value, XattrSetMode.CreateOnly), $"setxattr {file.Id} {added}");
        ledger.Record($"xattr {file.Id} {added} {Convert.ToHexStringLower(value)}");
    }

    /// <summary>Reads a sealed file back in this process: a wrong byte here is a bug before any crash.</summary>
    public void Verify()
    {
        if (!TryPick(out var file, out var path))
            return;
        var found = Expect.Ok(V.Resolve(path), $"resolve {path}");
        if (found.Id != file.Id)
            throw new WorkerFailureException($"{path} is node {found.Id}, not sealed file {file.Id}");
        var hash = Expect.Hash(Expect.ReadAll(V, file.Id));
        if (hash != file.Hash)
            throw new WorkerFailureException($"sealed file {path} reads back with hash {hash}, not {file.Hash}");
    }

    private void Fill(ulong handle, long id, byte[] content, string path)
    {
        switch (random.Next(5))
        {
            case 0:
                WriteChunks(handle, content, path, shuffled: false);
                break;
            case 1:
                WriteChunks(handle, content, path, shuffled: true);
                break;
            case 2:
                // The size first, then the bytes into the sparse extension.
                if (content.Length > 0)
                    Expect.Ok(V.SetAttributes(id, new AttributeChanges { Size = content.Length }).Status, $"extend {path}");
                WriteChunks(handle, content, path, shuffled: true);
                break;
            case 3:
                // Bytes past the end that a truncate then takes back.
                WriteChunks(handle, content, path, shuffled: false);
                var tail = new byte[random.Next(1, 8192)];
                random.NextBytes(tail);
                Expect.Ok(V.Write(handle, content.Length + random.Next(4096), tail), $"write past the end of {path}");
                Expect.Ok(V.SetAttributes(id, new AttributeChanges { Size = content.Length }).Status, $"truncate {path}");
                break;
            default:
                if (content.Length > 0)
                    Expect.Ok(V.Allocate(handle, 0, content.Length, AllocateMode.Extend), $"fallocate {path}");
                WriteChunks(handle, content, path, shuffled: true);
                break;
        }
    }

    private void WriteChunks(ulong handle, byte[] content, string path, bool shuffled)
    {
        var chunks = new List<(int Offset, int Length)>();
        for (var at = 0; at < content.Length;)
        {
            var length = Math.Min(content.Length - at, random.Next(1, 16 << 10));
            chunks.Add((at, length));
            at += length;
        }

        if (shuffled)
            random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(chunks));
        foreach (var (offset, length) in chunks)
        {
            var written = Expect.Ok(V.Write(handle, offset, content.AsSpan(offset, length)), $"write {path} at {offset}");
            if (written.Written != length)
                throw new WorkerFailureException($"write {path} at {offset} wrote {written.Written} of {length} bytes");
        }
    }

    private bool TryPick(out SealedFile file, out string path)
    {
        file = null!;
        path = "";
        if (Sealed.Count == 0)
            return false;
        file = Sealed.Values.ElementAt(random.Next(Sealed.Count));
        path = file.Slots[random.Next(file.Slots.Count)][0];
        return true;
    }

    private static (int Top, string Name) Split(string path)
    {
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        return (int.Parse(path.AsSpan(1, slash - 1), System.Globalization.CultureInfo.InvariantCulture), path[(slash + 1)..]);
    }
}
