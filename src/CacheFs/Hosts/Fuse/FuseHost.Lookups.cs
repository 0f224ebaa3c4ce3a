using System.Runtime.InteropServices;
using CacheFs.Hosts.Fuse.Native;
using CacheFs.Nodes;

namespace CacheFs.Hosts.Fuse;

/// <summary>lookup, forget, forget_multi, and the entry answers every call that makes a name shares.</summary>
internal sealed unsafe partial class FuseHost
{
    [UnmanagedCallersOnly]
    private static void OnLookup(nint request, ulong parent, byte* name)
    {
        try
        {
            Finish(request, Of(request).Lookup(request, parent, name));
        }
        catch (Exception e)
        {
            Crashed(request, e);
        }
    }

    [UnmanagedCallersOnly]
    private static void OnForget(nint request, ulong inode, ulong count)
    {
        try
        {
            Of(request)._inodes.Forget((long)inode, (long)count);
        }
        catch (Exception e)
        {
            LogCrash(request, e, nameof(OnForget));
        }

        LibFuse.ReplyNone(request);
    }

    [UnmanagedCallersOnly]
    private static void OnForgetMulti(nint request, nuint count, FuseForgetData* forgets)
    {
        try
        {
            var inodes = Of(request)._inodes;
            for (nuint i = 0; i < count; i++)
                inodes.Forget((long)forgets[i].Inode, (long)forgets[i].LookupCount);
        }
        catch (Exception e)
        {
            LogCrash(request, e, nameof(OnForgetMulti));
        }

        LibFuse.ReplyNone(request);
    }

    private int Lookup(nint request, ulong parent, byte* name)
    {
        var decoded = FuseName.Decode(name);
        if (!decoded.IsOk)
            return Errno.Of(decoded.Status);
        if (decoded.Value is "." or "..")
            return LookupDots(request, (long)parent, decoded.Value);
        var node = _volume.Lookup((long)parent, decoded.Value);
        if (node.Status == FsStatus.NotFound && _options.NegativeTimeout > TimeSpan.Zero)
            return ReplyNegativeEntry(request);
        return node.IsOk ? ReplyEntry(request, node.Value) : Errno.Of(node.Status);
    }

    /// <summary>
    /// With export support the kernel looks up "." to find an inode it knows only by number (open_by_handle_at, NFS
    /// after a remount) and ".." to find a directory's parent. Ids outlive mounts, so both work across remounts.
    /// </summary>
    private int LookupDots(nint request, long inode, string dots)
    {
        var node = _volume.GetAttributes(inode);
        if (node.IsOk && dots == "..")
        {
            if (!node.Value.IsDirectory)
                return Errno.ENOTDIR;
            node = _volume.GetAttributes(inode == NodeIds.Root ? NodeIds.Root : node.Value.Parent);
        }

        return node.IsOk ? ReplyEntry(request, node.Value) : Errno.Of(node.Status);
    }

    /// <summary>Answers with a name of <paramref name="node"/>; the kernel then holds one more lookup of it.</summary>
    private int ReplyEntry(nint request, NodeAttributes node)
    {
        FuseEntryParam entry;
        FillEntry(&entry, node);
        _inodes.Looked(node.Id);
        if (LibFuse.ReplyEntry(request, &entry) != 0)
            _inodes.Forget(node.Id, 1);
        return Replied;
    }

    /// <summary>"No such name", which the kernel may remember for the negative timeout (an inode of 0).</summary>
    private int ReplyNegativeEntry(nint request)
    {
        var entry = new FuseEntryParam { EntryTimeout = _options.NegativeTimeout.TotalSeconds };
        _ = LibFuse.ReplyEntry(request, &entry);
        return Replied;
    }

    private void FillEntry(FuseEntryParam* entry, NodeAttributes node)
    {
        *entry = default;
        entry->Inode = (ulong)node.Id;
        entry->Generation = Generation;
        Fill(&entry->Attributes, node);
        entry->AttributeTimeout = _options.AttributeTimeout.TotalSeconds;
        entry->EntryTimeout = _options.EntryTimeout.TotalSeconds;
    }
}
