using System.Text;
using CacheFs.Nodes;
using CacheFs.Volume;

namespace CacheFs.Tests.Model;

/// <summary>The model's handles and contents: open, read, write, allocate, truncate, release, and xattrs.</summary>
internal sealed partial class NamespaceModel
{
    public FsResult<ModelHandle> Open(ModelNode node, OpenFlags flags)
    {
        if (!node.Visible)
            return FsStatus.NotFound;
        if (node.IsDirectory)
        {
            if ((flags & (OpenFlags.Write | OpenFlags.Truncate | OpenFlags.Append)) != 0)
                return FsStatus.IsDirectory;
            return Register(node, flags);
        }

        if (node.Kind != NodeKind.File)
            return FsStatus.InvalidArgument;
        if ((flags & OpenFlags.Truncate) != 0 && (flags & OpenFlags.Write) != 0)
            node.Data.Clear();
        return Register(node, flags);
    }

    public FsStatus Release(ModelHandle handle)
    {
        if (handle.Released)
            return FsStatus.BadHandle;
        handle.Released = true;
        handle.Node.OpenCount--;
        Handles.Remove(handle);
        return FsStatus.Ok;
    }

    /// <summary>What closing the volume does: every handle goes, and with them the files that only a handle kept.</summary>
    public void ReleaseAll()
    {
        foreach (var handle in Handles.ToArray())
            Release(handle);
    }

    public FsResult<byte[]> Read(ModelHandle handle, long offset, int length)
    {
        if (handle.Released || (handle.Flags & OpenFlags.Read) == 0)
            return FsStatus.BadHandle;
        if (handle.Node.IsDirectory)
            return FsStatus.IsDirectory;
        if (offset < 0)
            return FsStatus.InvalidArgument;
        var data = handle.Node.Data;
        var available = (int)Math.Clamp(data.Count - offset, 0, length);
        return data.GetRange((int)Math.Min(offset, data.Count), available).ToArray();
    }

    /// <summary>Returns where the bytes went and the size after the write.</summary>
    public FsResult<(long Offset, long Size)> Write(ModelHandle handle, long offset, byte[] bytes, bool toEndOfFile)
    {
        if (handle.Released || (handle.Flags & OpenFlags.Write) == 0)
            return FsStatus.BadHandle;
        if (handle.Node.IsDirectory)
            return FsStatus.IsDirectory;
        var data = handle.Node.Data;
        var at = (handle.Flags & OpenFlags.Append) != 0 || toEndOfFile ? data.Count : offset;
        if (at < 0)
            return FsStatus.InvalidArgument;
        if (at + bytes.Length > CacheVolume.MaxFileSize)
            return FsStatus.FileTooLarge;
        if (bytes.Length == 0)
            return (at, data.Count);
        if (at > data.Count)
            data.AddRange(new byte[at - data.Count]);
        for (var i = 0; i < bytes.Length; i++)
        {
            if (at + i < data.Count)
                data[(int)at + i] = bytes[i];
            else
                data.Add(bytes[i]);
        }

        return (at, data.Count);
    }

    /// <summary>fallocate: Extend grows the size to cover the range, KeepSize changes nothing visible, PunchHole zeros it.</summary>
    public FsStatus Allocate(ModelHandle handle, long offset, long length, AllocateMode mode)
    {
        if (handle.Released || (handle.Flags & OpenFlags.Write) == 0)
            return FsStatus.BadHandle;
        if (handle.Node.IsDirectory)
            return FsStatus.IsDirectory;
        if (offset < 0 || length <= 0)
            return FsStatus.InvalidArgument;
        if (offset + length > CacheVolume.MaxFileSize)
            return FsStatus.FileTooLarge;
        var data = handle.Node.Data;
        switch (mode)
        {
            case AllocateMode.Extend when offset + length > data.Count:
                data.AddRange(new byte[offset + length - data.Count]);
                break;
            case AllocateMode.PunchHole:
                for (var at = offset; at < Math.Min(offset + length, data.Count); at++)
                    data[(int)at] = 0;
                break;
        }

        return FsStatus.Ok;
    }

    public FsStatus SetSize(ModelNode node, long size)
    {
        if (!node.Visible)
            return FsStatus.NotFound;
        if (node.IsDirectory)
            return FsStatus.IsDirectory;
        if (node.Kind != NodeKind.File || size < 0)
            return FsStatus.InvalidArgument;
        if (size > CacheVolume.MaxFileSize)
            return FsStatus.FileTooLarge;
        if (size < node.Data.Count)
            node.Data.RemoveRange((int)size, node.Data.Count - (int)size);
        else
            node.Data.AddRange(new byte[size - node.Data.Count]);
        return FsStatus.Ok;
    }

    public FsResult<byte[]> GetXattr(ModelNode node, string name)
    {
        var status = CheckXattrName(name);
        if (status != FsStatus.Ok)
            return status;
        if (!node.Visible)
            return FsStatus.NotFound;
        return node.Xattrs.TryGetValue(name, out var value) ? value : FsStatus.NoAttribute;
    }

    public FsStatus SetXattr(ModelNode node, string name, byte[] value, XattrSetMode mode)
    {
        var status = CheckXattrName(name);
        if (status != FsStatus.Ok)
            return status;
        if (value.Length > CacheVolume.MaxXattrValue)
            return FsStatus.ValueTooLarge;
        if (!node.Visible)
            return FsStatus.NotFound;
        var exists = node.Xattrs.ContainsKey(name);
        if (mode == XattrSetMode.CreateOnly && exists)
            return FsStatus.Exists;
        if (mode == XattrSetMode.ReplaceOnly && !exists)
            return FsStatus.NoAttribute;
        node.Xattrs[name] = value;
        return FsStatus.Ok;
    }

    public FsStatus RemoveXattr(ModelNode node, string name)
    {
        var status = CheckXattrName(name);
        if (status != FsStatus.Ok)
            return status;
        if (!node.Visible)
            return FsStatus.NotFound;
        return node.Xattrs.Remove(name) ? FsStatus.Ok : FsStatus.NoAttribute;
    }

    private ModelHandle Register(ModelNode node, OpenFlags flags)
    {
        var handle = new ModelHandle(node, flags);
        node.OpenCount++;
        Handles.Add(handle);
        return handle;
    }

    private static FsStatus CheckXattrName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('\0', StringComparison.Ordinal))
            return FsStatus.InvalidArgument;
        return Encoding.UTF8.GetByteCount(name) > CacheVolume.MaxXattrName ? FsStatus.NameTooLong : FsStatus.Ok;
    }
}
