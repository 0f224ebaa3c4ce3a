using CacheFs.Nodes;
using CacheFs.Volume;

namespace CacheFs.Tests.Conformance;

/// <summary>Handles: the driver's small numbers stand for the core's handles, with the mode they were opened in.</summary>
internal sealed partial class CoreDriver
{
    private readonly Dictionary<int, Opened> _handles = [];
    private int _lastHandle;

    public FsResult<int> Open(string path, OpenMode mode, uint permissions = 0x1A4)
    {
        var flags = CoreFlags(mode);
        FsResult<OpenResult> opened;
        if (mode.HasFlag(OpenMode.Create) && !IsSymlinkToFollow(path, mode))
        {
            var status = ResolveParent(path, out var parent, out var name, out var slash);
            if (status != FsStatus.Ok)
                return status;

            // O_CREAT of ".", ".." or "name/": the kernel answers without asking the file system.
            if (IsDot(name) || slash)
                return mode.HasFlag(OpenMode.Exclusive) && IsDot(name) ? FsStatus.Exists : FsStatus.IsDirectory;
            opened = volume.Create(parent, name, Owner(permissions & 0xFFF), flags, mode.HasFlag(OpenMode.Exclusive));
        }
        else
        {
            var node = Walk(path, followLast: true);
            if (!node.IsOk)
                return node.Status;
            opened = volume.Open(node.Value.Id, flags);
        }

        if (!opened.IsOk)
            return opened.Status;
        _handles[++_lastHandle] = new Opened(opened.Value.Handle, mode);
        return _lastHandle;
    }

    public FsResult<int> Read(int handle, long offset, Span<byte> buffer) =>
        _handles.TryGetValue(handle, out var open) ? volume.Read(open.Core, offset, buffer) : FsStatus.BadHandle;

    public FsResult<int> Write(int handle, long offset, ReadOnlySpan<byte> data)
    {
        if (!_handles.TryGetValue(handle, out var open))
            return FsStatus.BadHandle;
        var written = volume.Write(open.Core, offset, data);
        return written.IsOk ? written.Value.Written : written.Status;
    }

    public FsStatus Truncate(int handle, long size)
    {
        if (!_handles.TryGetValue(handle, out var open))
            return FsStatus.BadHandle;

        // ftruncate(2) checks these itself: a negative size, or a handle not open for writing, is EINVAL.
        if (size < 0 || !open.Mode.HasFlag(OpenMode.Write))
            return FsStatus.InvalidArgument;
        var node = volume.NodeOfHandle(open.Core);
        return node.IsOk ? volume.SetAttributes(node.Value, new AttributeChanges { Size = size }).Status : node.Status;
    }

    public FsStatus Allocate(int handle, long offset, long length, AllocateMode mode) =>
        _handles.TryGetValue(handle, out var open) ? volume.Allocate(open.Core, offset, length, mode) : FsStatus.BadHandle;

    public FsStatus Sync(int handle) => _handles.TryGetValue(handle, out var open) ? volume.Sync(open.Core) : FsStatus.BadHandle;

    public FsResult<FileStat> StatHandle(int handle)
    {
        if (!_handles.TryGetValue(handle, out var open))
            return FsStatus.BadHandle;
        var node = volume.NodeOfHandle(open.Core);
        return node.IsOk ? StatOf(volume.GetAttributes(node.Value)) : node.Status;
    }

    /// <summary>close(2) is the host's flush, then its release.</summary>
    public FsStatus Close(int handle)
    {
        if (!_handles.Remove(handle, out var open))
            return FsStatus.BadHandle;
        var flushed = volume.Flush(open.Core);
        var released = volume.Release(open.Core);
        return flushed != FsStatus.Ok ? flushed : released;
    }

    /// <summary>Releases what a failed case left open.</summary>
    public void Dispose()
    {
        foreach (var open in _handles.Values)
            volume.Release(open.Core);
        _handles.Clear();
    }

    private static OpenFlags CoreFlags(OpenMode mode)
    {
        var flags = OpenFlags.None;
        flags |= mode.HasFlag(OpenMode.Read) ? OpenFlags.Read : 0;
        flags |= mode.HasFlag(OpenMode.Write) ? OpenFlags.Write : 0;
        flags |= mode.HasFlag(OpenMode.Append) ? OpenFlags.Append : 0;
        flags |= mode.HasFlag(OpenMode.Truncate) ? OpenFlags.Truncate : 0;
        return flags;
    }

    private sealed record Opened(ulong Core, OpenMode Mode);
}
