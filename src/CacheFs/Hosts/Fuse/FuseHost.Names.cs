using System.Runtime.InteropServices;
using System.Text;
using CacheFs.Hosts.Fuse.Native;
using CacheFs.Nodes;
using CacheFs.Volume;

namespace CacheFs.Hosts.Fuse;

/// <summary>mknod, mkdir, unlink, rmdir, symlink, readlink, rename, link: a directory's inode and a name, straight to the core.</summary>
internal sealed unsafe partial class FuseHost
{
    [UnmanagedCallersOnly]
    private static void OnMknod(nint request, ulong parent, byte* name, uint mode, ulong device)
    {
        try
        {
            Finish(request, Of(request).Mknod(request, parent, name, mode, device));
        }
        catch (Exception e)
        {
            Crashed(request, e);
        }
    }

    [UnmanagedCallersOnly]
    private static void OnMkdir(nint request, ulong parent, byte* name, uint mode)
    {
        try
        {
            Finish(request, Of(request).Mkdir(request, parent, name, mode));
        }
        catch (Exception e)
        {
            Crashed(request, e);
        }
    }

    [UnmanagedCallersOnly]
    private static void OnUnlink(nint request, ulong parent, byte* name)
    {
        try
        {
            Finish(request, Of(request).Remove(parent, name, directory: false));
        }
        catch (Exception e)
        {
            Crashed(request, e);
        }
    }

    [UnmanagedCallersOnly]
    private static void OnRmdir(nint request, ulong parent, byte* name)
    {
        try
        {
            Finish(request, Of(request).Remove(parent, name, directory: true));
        }
        catch (Exception e)
        {
            Crashed(request, e);
        }
    }

    [UnmanagedCallersOnly]
    private static void OnSymlink(nint request, byte* target, ulong parent, byte* name)
    {
        try
        {
            Finish(request, Of(request).Symlink(request, target, parent, name));
        }
        catch (Exception e)
        {
            Crashed(request, e);
        }
    }

    [UnmanagedCallersOnly]
    private static void OnReadlink(nint request, ulong inode)
    {
        try
        {
            Finish(request, Of(request).Readlink(request, inode));
        }
        catch (Exception e)
        {
            Crashed(request, e);
        }
    }

    [UnmanagedCallersOnly]
    private static void OnRename(nint request, ulong parent, byte* name, ulong newParent, byte* newName, uint flags)
    {
        try
        {
            Finish(request, Of(request).Rename(parent, name, newParent, newName, flags));
        }
        catch (Exception e)
        {
            Crashed(request, e);
        }
    }

    [UnmanagedCallersOnly]
    private static void OnLink(nint request, ulong inode, ulong newParent, byte* newName)
    {
        try
        {
            Finish(request, Of(request).Link(request, inode, newParent, newName));
        }
        catch (Exception e)
        {
            Crashed(request, e);
        }
    }

    private int Mknod(nint request, ulong parent, byte* name, uint mode, ulong device)
    {
        NodeKind? kind = (mode & Posix.S_IFMT) switch
        {
            0 or Posix.S_IFREG => NodeKind.File,
            Posix.S_IFIFO => NodeKind.Fifo,
            Posix.S_IFSOCK => NodeKind.Socket,
            Posix.S_IFCHR => NodeKind.CharDevice,
            Posix.S_IFBLK => NodeKind.BlockDevice,
            _ => null,
        };
        if (kind is null)
            return Errno.EINVAL;
        var status = ParentAndName(parent, name, out var directory, out var decoded);
        if (status != FsStatus.Ok)
            return Errno.Of(status);
        var made = _volume.MakeNode(directory.Id, decoded, kind.Value, Owner(request, directory, mode, directory: false), device);
        return made.IsOk ? ReplyEntry(request, made.Value) : Errno.Of(made.Status);
    }

    private int Mkdir(nint request, ulong parent, byte* name, uint mode)
    {
        var status = ParentAndName(parent, name, out var directory, out var decoded);
        if (status != FsStatus.Ok)
            return Errno.Of(status);
        var made = _volume.MakeDirectory(directory.Id, decoded, Owner(request, directory, mode, directory: true));
        return made.IsOk ? ReplyEntry(request, made.Value) : Errno.Of(made.Status);
    }

    private int Remove(ulong parent, byte* name, bool directory)
    {
        var decoded = FuseName.Decode(name);
        if (!decoded.IsOk)
            return Errno.Of(decoded.Status);
        return Errno.Of(directory ? _volume.RemoveDirectory((long)parent, decoded.Value) : _volume.Unlink((long)parent, decoded.Value));
    }

    private int Symlink(nint request, byte* target, ulong parent, byte* name)
    {
        var decodedTarget = FuseName.Decode(target);
        if (!decodedTarget.IsOk)
            return Errno.Of(decodedTarget.Status);
        var status = ParentAndName(parent, name, out var directory, out var decoded);
        if (status != FsStatus.Ok)
            return Errno.Of(status);
        var made = _volume.MakeSymlink(directory.Id, decoded, decodedTarget.Value, Owner(request, directory, 0, directory: false));
        return made.IsOk ? ReplyEntry(request, made.Value) : Errno.Of(made.Status);
    }

    private int Readlink(nint request, ulong inode)
    {
        var target = _volume.ReadLink((long)inode);
        if (!target.IsOk)
            return Errno.Of(target.Status);
        var length = Encoding.UTF8.GetByteCount(target.Value);
        Span<byte> bytes = length < 4096 ? stackalloc byte[length + 1] : new byte[length + 1];
        Encoding.UTF8.GetBytes(target.Value, bytes);
        bytes[length] = 0;
        fixed (byte* terminated = bytes)
            _ = LibFuse.ReplyReadlink(request, terminated);
        return Replied;
    }

    private int Rename(ulong parent, byte* name, ulong newParent, byte* newName, uint flags)
    {
        RenameMode? mode = flags switch
        {
            0 => RenameMode.Replace,
            Posix.RENAME_NOREPLACE => RenameMode.NoReplace,
            Posix.RENAME_EXCHANGE => RenameMode.Exchange,
            _ => null, // RENAME_WHITEOUT (overlayfs) and combinations.
        };
        if (mode is null)
            return Errno.EINVAL;
        var (from, to) = (FuseName.Decode(name), FuseName.Decode(newName));
        if (!from.IsOk || !to.IsOk)
            return Errno.Of(from.IsOk ? to.Status : from.Status);
        return Errno.Of(_volume.Rename((long)parent, from.Value, (long)newParent, to.Value, mode.Value));
    }

    /// <summary>The reply carries the node's new link count, which the kernel's one inode shows through every name at once.</summary>
    private int Link(nint request, ulong inode, ulong newParent, byte* newName)
    {
        var decoded = FuseName.Decode(newName);
        if (!decoded.IsOk)
            return Errno.Of(decoded.Status);
        var linked = _volume.Link((long)inode, (long)newParent, decoded.Value);
        return linked.IsOk ? ReplyEntry(request, linked.Value) : Errno.Of(linked.Status);
    }

    /// <summary>The directory a new name goes in (its mode and group shape the new node's) and the name.</summary>
    private FsStatus ParentAndName(ulong parent, byte* name, out NodeAttributes directory, out string decoded)
    {
        directory = null!;
        decoded = "";
        var nameResult = FuseName.Decode(name);
        if (!nameResult.IsOk)
            return nameResult.Status;
        var parentResult = _volume.GetAttributes((long)parent);
        if (!parentResult.IsOk)
            return parentResult.Status;
        if (!parentResult.Value.IsDirectory)
            return FsStatus.NotDirectory;
        (directory, decoded) = (parentResult.Value, nameResult.Value);
        return FsStatus.Ok;
    }
}
