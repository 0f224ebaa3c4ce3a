using System.Runtime.InteropServices;
using System.Text;
using CacheFs.Hosts.Fuse.Native;
using CacheFs.Nodes;
using CacheFs.Volume;

namespace CacheFs.Hosts.Fuse;

/// <summary>mknod, mkdir, unlink, rmdir, symlink, readlink, rename, link.</summary>
internal sealed unsafe partial class FuseHost
{
    [UnmanagedCallersOnly]
    private static int OnMknod(byte* path, uint mode, ulong device)
    {
        try
        {
            return Current.Mknod(path, mode, device);
        }
        catch (Exception e)
        {
            return Crashed(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int OnMkdir(byte* path, uint mode)
    {
        try
        {
            return Current.Mkdir(path, mode);
        }
        catch (Exception e)
        {
            return Crashed(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int OnUnlink(byte* path)
    {
        try
        {
            return Current.Remove(path, directory: false);
        }
        catch (Exception e)
        {
            return Crashed(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int OnRmdir(byte* path)
    {
        try
        {
            return Current.Remove(path, directory: true);
        }
        catch (Exception e)
        {
            return Crashed(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int OnSymlink(byte* target, byte* path)
    {
        try
        {
            return Current.Symlink(target, path);
        }
        catch (Exception e)
        {
            return Crashed(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int OnReadlink(byte* path, byte* buffer, nuint size)
    {
        try
        {
            return Current.Readlink(path, buffer, size);
        }
        catch (Exception e)
        {
            return Crashed(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int OnRename(byte* path, byte* newPath, uint flags)
    {
        try
        {
            return Current.Rename(path, newPath, flags);
        }
        catch (Exception e)
        {
            return Crashed(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int OnLink(byte* path, byte* newPath)
    {
        try
        {
            return Current.Link(path, newPath);
        }
        catch (Exception e)
        {
            return Crashed(e);
        }
    }

    private int Mknod(byte* path, uint mode, ulong device)
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
            return -Errno.EINVAL;
        var status = ResolveParent(path, out var parent, out var name);
        if (status != FsStatus.Ok)
            return Errno.Reply(status);
        return Errno.Reply(_volume.MakeNode(parent.Id, name, kind.Value, Owner(parent, mode, directory: false), device).Status);
    }

    private int Mkdir(byte* path, uint mode)
    {
        var status = ResolveParent(path, out var parent, out var name);
        if (status != FsStatus.Ok)
            return Errno.Reply(status);
        return Errno.Reply(_volume.MakeDirectory(parent.Id, name, Owner(parent, mode, directory: true)).Status);
    }

    private int Remove(byte* path, bool directory)
    {
        var status = ResolveParent(path, out var parent, out var name);
        if (status != FsStatus.Ok)
            return Errno.Reply(status);
        return Errno.Reply(directory ? _volume.RemoveDirectory(parent.Id, name) : _volume.Unlink(parent.Id, name));
    }

    private int Symlink(byte* target, byte* path)
    {
        var decodedTarget = FusePath.Decode(target);
        if (!decodedTarget.IsOk)
            return Errno.Reply(decodedTarget.Status);
        var status = ResolveParent(path, out var parent, out var name);
        if (status != FsStatus.Ok)
            return Errno.Reply(status);
        var owner = Owner(parent, 0, directory: false);
        return Errno.Reply(_volume.MakeSymlink(parent.Id, name, decodedTarget.Value, owner).Status);
    }

    private int Readlink(byte* path, byte* buffer, nuint size)
    {
        var node = Resolve(path);
        if (!node.IsOk)
            return Errno.Reply(node.Status);
        var target = _volume.ReadLink(node.Value.Id);
        if (!target.IsOk)
            return Errno.Reply(target.Status);
        if (size == 0)
            return -Errno.EINVAL;

        // readlink(2) truncates silently; libfuse wants the result NUL-terminated within size.
        var bytes = Encoding.UTF8.GetBytes(target.Value);
        var length = (int)Math.Min((ulong)bytes.Length, size - 1);
        bytes.AsSpan(0, length).CopyTo(new Span<byte>(buffer, length));
        buffer[length] = 0;
        return 0;
    }

    private int Rename(byte* path, byte* newPath, uint flags)
    {
        RenameMode? mode = flags switch
        {
            0 => RenameMode.Replace,
            Posix.RENAME_NOREPLACE => RenameMode.NoReplace,
            Posix.RENAME_EXCHANGE => RenameMode.Exchange,
            _ => null, // RENAME_WHITEOUT (overlayfs) and combinations.
        };
        if (mode is null)
            return -Errno.EINVAL;
        var status = ResolveParent(path, out var parent, out var name);
        if (status != FsStatus.Ok)
            return Errno.Reply(status);
        status = ResolveParent(newPath, out var newParent, out var newName);
        if (status != FsStatus.Ok)
            return Errno.Reply(status);
        return Errno.Reply(_volume.Rename(parent.Id, name, newParent.Id, newName, mode.Value));
    }

    private int Link(byte* path, byte* newPath)
    {
        var node = Resolve(path);
        if (!node.IsOk)
            return Errno.Reply(node.Status);
        var status = ResolveParent(newPath, out var newParent, out var newName);
        if (status != FsStatus.Ok)
            return Errno.Reply(status);
        return Errno.Reply(_volume.Link(node.Value.Id, newParent.Id, newName).Status);
    }
}
