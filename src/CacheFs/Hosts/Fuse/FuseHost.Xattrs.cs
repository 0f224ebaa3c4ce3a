using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using CacheFs.Hosts.Fuse.Native;
using CacheFs.Volume;

namespace CacheFs.Hosts.Fuse;

/// <summary>setxattr, getxattr, listxattr, removexattr, with the size protocol: size 0 asks for the length, too small is ERANGE.</summary>
internal sealed unsafe partial class FuseHost
{
    [UnmanagedCallersOnly]
    private static void OnSetxattr(nint request, ulong inode, byte* name, byte* value, nuint size, int flags)
    {
        try
        {
            Finish(request, Of(request).Setxattr(inode, name, new ReadOnlySpan<byte>(value, (int)Math.Min(size, int.MaxValue)), flags));
        }
        catch (Exception e)
        {
            Crashed(request, e);
        }
    }

    [UnmanagedCallersOnly]
    private static void OnGetxattr(nint request, ulong inode, byte* name, nuint size)
    {
        try
        {
            Finish(request, Of(request).Getxattr(request, inode, name, size));
        }
        catch (Exception e)
        {
            Crashed(request, e);
        }
    }

    [UnmanagedCallersOnly]
    private static void OnListxattr(nint request, ulong inode, nuint size)
    {
        try
        {
            Finish(request, Of(request).Listxattr(request, inode, size));
        }
        catch (Exception e)
        {
            Crashed(request, e);
        }
    }

    [UnmanagedCallersOnly]
    private static void OnRemovexattr(nint request, ulong inode, byte* name)
    {
        try
        {
            Finish(request, Of(request).Removexattr(inode, name));
        }
        catch (Exception e)
        {
            Crashed(request, e);
        }
    }

    private int Setxattr(ulong inode, byte* name, ReadOnlySpan<byte> value, int flags)
    {
        XattrSetMode? mode = flags switch
        {
            0 => XattrSetMode.CreateOrReplace,
            Posix.XATTR_CREATE => XattrSetMode.CreateOnly,
            Posix.XATTR_REPLACE => XattrSetMode.ReplaceOnly,
            _ => null,
        };
        if (mode is null)
            return Errno.EINVAL;
        var attribute = FuseName.Decode(name);
        if (!attribute.IsOk)
            return Errno.Of(attribute.Status);
        if (IsPosixAcl(attribute.Value))
            return Errno.EOPNOTSUPP;
        return Errno.Of(_volume.SetXattr((long)inode, attribute.Value, value, mode.Value));
    }

    private int Getxattr(nint request, ulong inode, byte* name, nuint size)
    {
        var attribute = FuseName.Decode(name);
        if (!attribute.IsOk)
            return Errno.Of(attribute.Status);
        var stored = _volume.GetXattr((long)inode, attribute.Value);
        return stored.TryGet(out var bytes) ? ReplySized(request, bytes, size) : Errno.Of(stored.Status);
    }

    private int Listxattr(nint request, ulong inode, nuint size)
    {
        var names = _volume.ListXattrs((long)inode);
        if (!names.TryGet(out var all))
            return Errno.Of(names.Status);
        var list = new ArrayBufferWriter<byte>();
        foreach (var n in all)
        {
            Encoding.UTF8.GetBytes(n, list);
            list.Write([(byte)0]);
        }

        return ReplySized(request, list.WrittenSpan, size);
    }

    private int Removexattr(ulong inode, byte* name)
    {
        var attribute = FuseName.Decode(name);
        return attribute.IsOk ? Errno.Of(_volume.RemoveXattr((long)inode, attribute.Value)) : Errno.Of(attribute.Status);
    }

    /// <summary>The xattr size protocol: a size of 0 asks how long the value is; a buffer too small for it is ERANGE.</summary>
    private static int ReplySized(nint request, ReadOnlySpan<byte> value, nuint size)
    {
        if (size == 0)
        {
            _ = LibFuse.ReplyXattrSize(request, (nuint)value.Length);
            return Replied;
        }

        if ((nuint)value.Length > size)
            return Errno.ERANGE;
        fixed (byte* bytes = value)
            _ = LibFuse.ReplyBuffer(request, bytes, (nuint)value.Length);
        return Replied;
    }

    /// <summary>
    /// Without FUSE_CAP_POSIX_ACL the kernel hands ACLs to us as plain xattrs and leaves the mode to the file system. We
    /// neither enforce ACLs nor fold them into the mode, so we refuse them: cp -a, tar --acls and setfacl then fall back to
    /// chmod, as on any file system without ACLs, instead of storing an ACL that changes nothing (and leaving cp's
    /// provisional 0600 mode in place).
    /// </summary>
    private static bool IsPosixAcl(string name) => name is "system.posix_acl_access" or "system.posix_acl_default";
}
