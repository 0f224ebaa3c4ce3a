using System.Runtime.InteropServices;
using System.Text;
using CacheFs.Hosts.Fuse.Native;
using CacheFs.Volume;

namespace CacheFs.Hosts.Fuse;

/// <summary>setxattr, getxattr, listxattr, removexattr, with the size protocol: size 0 asks for the length, too small is ERANGE.</summary>
internal sealed unsafe partial class FuseHost
{
    [UnmanagedCallersOnly]
    private static int OnSetxattr(byte* path, byte* name, byte* value, nuint size, int flags)
    {
        try
        {
            return Current.Setxattr(path, name, new ReadOnlySpan<byte>(value, (int)Math.Min(size, int.MaxValue)), flags);
        }
        catch (Exception e)
        {
            return Crashed(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int OnGetxattr(byte* path, byte* name, byte* value, nuint size)
    {
        try
        {
            return Current.Getxattr(path, name, new Span<byte>(value, (int)Math.Min(size, int.MaxValue)));
        }
        catch (Exception e)
        {
            return Crashed(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int OnListxattr(byte* path, byte* list, nuint size)
    {
        try
        {
            return Current.Listxattr(path, new Span<byte>(list, (int)Math.Min(size, int.MaxValue)));
        }
        catch (Exception e)
        {
            return Crashed(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int OnRemovexattr(byte* path, byte* name)
    {
        try
        {
            return Current.Removexattr(path, name);
        }
        catch (Exception e)
        {
            return Crashed(e);
        }
    }

    private int Setxattr(byte* path, byte* name, ReadOnlySpan<byte> value, int flags)
    {
        XattrSetMode? mode = flags switch
        {
            0 => XattrSetMode.CreateOrReplace,
            Posix.XATTR_CREATE => XattrSetMode.CreateOnly,
            Posix.XATTR_REPLACE => XattrSetMode.ReplaceOnly,
            _ => null,
        };
        if (mode is null)
            return -Errno.EINVAL;
        var (node, attribute) = (Resolve(path), FusePath.Decode(name));
        if (!node.IsOk || !attribute.IsOk)
            return Errno.Reply(node.IsOk ? attribute.Status : node.Status);
        if (IsPosixAcl(attribute.Value))
            return -Errno.EOPNOTSUPP;
        return Errno.Reply(_volume.SetXattr(node.Value.Id, attribute.Value, value, mode.Value));
    }

    private int Getxattr(byte* path, byte* name, Span<byte> value)
    {
        var (node, attribute) = (Resolve(path), FusePath.Decode(name));
        if (!node.IsOk || !attribute.IsOk)
            return Errno.Reply(node.IsOk ? attribute.Status : node.Status);
        var stored = _volume.GetXattr(node.Value.Id, attribute.Value);
        if (!stored.TryGet(out var bytes))
            return Errno.Reply(stored.Status);
        if (value.Length == 0)
            return bytes.Length;
        if (bytes.Length > value.Length)
            return -Errno.ERANGE;
        bytes.CopyTo(value);
        return bytes.Length;
    }

    private int Listxattr(byte* path, Span<byte> list)
    {
        var node = Resolve(path);
        if (!node.IsOk)
            return Errno.Reply(node.Status);
        var names = _volume.ListXattrs(node.Value.Id);
        if (!names.TryGet(out var all))
            return Errno.Reply(names.Status);
        var needed = all.Sum(n => Encoding.UTF8.GetByteCount(n) + 1);
        if (list.Length == 0)
            return needed;
        if (needed > list.Length)
            return -Errno.ERANGE;
        foreach (var n in all)
        {
            var length = Encoding.UTF8.GetBytes(n, list);
            list[length] = 0;
            list = list[(length + 1)..];
        }

        return needed;
    }

    private int Removexattr(byte* path, byte* name)
    {
        var (node, attribute) = (Resolve(path), FusePath.Decode(name));
        if (!node.IsOk || !attribute.IsOk)
            return Errno.Reply(node.IsOk ? attribute.Status : node.Status);
        return Errno.Reply(_volume.RemoveXattr(node.Value.Id, attribute.Value));
    }

    /// <summary>
    /// Without FUSE_CAP_POSIX_ACL the kernel hands ACLs to us as plain xattrs and leaves the mode to the file system. We
    /// neither enforce ACLs nor fold them into the mode, so we refuse them: cp -a, tar --acls and setfacl then fall back to
    /// chmod, as on any file system without ACLs, instead of storing an ACL that changes nothing (and leaving cp's
    /// provisional 0600 mode in place).
    /// </summary>
    private static bool IsPosixAcl(string name) => name is "system.posix_acl_access" or "system.posix_acl_default";
}
