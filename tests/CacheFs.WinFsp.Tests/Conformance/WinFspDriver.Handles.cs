using CacheFs.Tests.Conformance;
using CacheFs.Nodes;
using CacheFs.Volume;
using Fsp;

namespace CacheFs.WinFsp.Tests.Conformance;

/// <summary>Handle calls: each handle is a WinFsp open plus the access it was granted and whether it wrote.</summary>
internal sealed unsafe partial class WinFspDriver
{
    private readonly Dictionary<int, OpenFile> _handles = [];
    private int _nextHandle;

    public FsResult<int> Open(string path, OpenMode mode, uint permissions = 0x1A4)
    {
        var name = Name(path);
        var access = ReadAttributes | WriteAttributes;
        if (mode.HasFlag(OpenMode.Read))
            access |= ReadData;
        if (mode.HasFlag(OpenMode.Write))
            access |= mode.HasFlag(OpenMode.Append) ? AppendData : WriteData | AppendData;
        // Win32 CreateFile asks for a file (FILE_NON_DIRECTORY_FILE) unless a program opens a directory with backup
        // semantics, which one that writes or creates never does.
        var options = mode.HasFlag(OpenMode.Write) || mode.HasFlag(OpenMode.Create) ? NonDirectoryFile : 0;

        // CreateFile follows a symlink, except CREATE_NEW, which fails on any existing name.
        var exclusive = mode.HasFlag(OpenMode.Create) && mode.HasFlag(OpenMode.Exclusive);
        var followed = Follow(ref name, followLast: !exclusive);
        if (followed != FsStatus.Ok)
            return followed;
        int status;
        object file;
        var created = false;
        if (exclusive)
        {
            status = fs.Create(name, options, access, 0, null!, 0, out file, out _, out _, out _);
            created = true;
        }
        else
        {
            // FILE_OPEN_IF as WinFsp does it: open, and create only what is not there.
            status = fs.Open(name, options, access, out file, out _, out _, out _);
            if (status == FileSystemBase.STATUS_OBJECT_NAME_NOT_FOUND && mode.HasFlag(OpenMode.Create))
            {
                status = fs.Create(name, options, access, 0, null!, 0, out file, out _, out _, out _);
                created = true;
            }
        }

        if (status != FileSystemBase.STATUS_SUCCESS)
            return StatusOf.Nt(status);
        var open = new OpenFile(file, name, mode);
        if (mode.HasFlag(OpenMode.Truncate) && mode.HasFlag(OpenMode.Write) && !created)
        {
            // FILE_OVERWRITE_IF (CREATE_ALWAYS / TRUNCATE_EXISTING).
            var overwritten = StatusOf.Nt(fs.Overwrite(file, file, 0, false, 0, out _));
            if (overwritten != FsStatus.Ok)
            {
                fs.Close(file, file);
                return overwritten;
            }

            open.Wrote = true;
        }

        lock (_handles)
        {
            _handles[++_nextHandle] = open;
            return _nextHandle;
        }
    }

    public FsResult<int> Read(int handle, long offset, Span<byte> buffer)
    {
        if (Find(handle) is not { } open || !open.Mode.HasFlag(OpenMode.Read))
            return FsStatus.BadHandle; // The kernel checks FILE_READ_DATA before the file system is asked.
        if (offset < 0)
            return FsStatus.InvalidArgument;
        fixed (byte* bytes = buffer)
        {
            var status = fs.Read(open.File, open.File, (nint)bytes, (ulong)offset, (uint)buffer.Length, out var read);
            return status == FileSystemBase.STATUS_END_OF_FILE ? 0 : status == FileSystemBase.STATUS_SUCCESS ? (int)read : StatusOf.Nt(status);
        }
    }

    public FsResult<int> Write(int handle, long offset, ReadOnlySpan<byte> data)
    {
        if (Find(handle) is not { } open || !open.Mode.HasFlag(OpenMode.Write))
            return FsStatus.BadHandle;
        if (offset < 0)
            return FsStatus.InvalidArgument;
        fixed (byte* bytes = data)
        {
            // An append handle writes as WriteFile at FILE_WRITE_TO_END_OF_FILE arrives: WriteToEndOfFile.
            var status = fs.Write(open.File, open.File, (nint)bytes, (ulong)offset, (uint)data.Length, open.Mode.HasFlag(OpenMode.Append), false, out var written, out _);
            if (status != FileSystemBase.STATUS_SUCCESS)
                return StatusOf.Nt(status);
            open.Wrote |= written > 0;
            return (int)written;
        }
    }

    public FsStatus Truncate(int handle, long size)
    {
        if (Find(handle) is not { } open)
            return FsStatus.BadHandle;
        if (size < 0 || !open.Mode.HasFlag(OpenMode.Write))
            return FsStatus.InvalidArgument;
        var status = StatusOf.Nt(fs.SetFileSize(open.File, open.File, (ulong)size, false, out _));
        open.Wrote |= status == FsStatus.Ok;
        return status;
    }

    public FsStatus Allocate(int handle, long offset, long length, AllocateMode mode)
    {
        if (Find(handle) is not { } open || !open.Mode.HasFlag(OpenMode.Write))
            return FsStatus.BadHandle;
        if (offset < 0 || length <= 0)
            return FsStatus.InvalidArgument;
        if (mode != AllocateMode.KeepSize)
            return FsStatus.NotSupported; // Windows allocates without changing the size, and zeroes a range by FSCTL only.

        // SetFileInformationByHandle(FileAllocationInfo) never below the end of file, where it would truncate.
        var stat = StatHandle(handle);
        if (!stat.IsOk)
            return stat.Status;
        if (offset + length <= stat.Value.Size)
            return FsStatus.Ok;
        return StatusOf.Nt(fs.SetFileSize(open.File, open.File, (ulong)(offset + length), true, out _));
    }

    public FsStatus Sync(int handle) =>
        Find(handle) is { } open ? StatusOf.Nt(fs.Flush(open.File, open.File, out _)) : FsStatus.BadHandle;

    public FsResult<FileStat> StatHandle(int handle) => Find(handle) is { } open ? StatOf(open.File) : FsStatus.BadHandle;

    public FsStatus Close(int handle)
    {
        OpenFile? open;
        lock (_handles)
        {
            if (!_handles.Remove(handle, out open))
                return FsStatus.BadHandle;
        }

        CloseName(open.File, open.Name, open.Wrote ? Modified : 0);
        return FsStatus.Ok;
    }

    public void Dispose()
    {
        foreach (var handle in _handles.Keys.ToList())
            Close(handle);
    }

    /// <summary>What GetFileInformationByHandle tells: no mode, owner or link count (Windows reports none of them here).</summary>
    private FsResult<FileStat> StatOf(object file)
    {
        var status = StatusOf.Nt(fs.GetFileInfo(file, file, out var info));
        if (status != FsStatus.Ok)
            return status;
        var kind = (info.FileAttributes & ReparsePoint) != 0 && info.ReparseTag == SymlinkTag ? NodeKind.Symlink
            : (info.FileAttributes & 0x10) != 0 ? NodeKind.Directory : NodeKind.File;
        return new FileStat(
            (long)info.IndexNumber,
            kind,
            (long)info.FileSize,
            Mode: 0,
            LinkCount: 0,
            Uid: 0,
            Gid: 0,
            Timestamp.FromFileTime((long)info.LastAccessTime),
            Timestamp.FromFileTime((long)info.LastWriteTime),
            Timestamp.FromFileTime((long)info.ChangeTime));
    }

    private OpenFile? Find(int handle)
    {
        lock (_handles)
            return _handles.GetValueOrDefault(handle);
    }

    private sealed class OpenFile(object file, string name, OpenMode mode)
    {
        public object File { get; } = file;

        public string Name { get; } = name;

        public OpenMode Mode { get; } = mode;

        public bool Wrote { get; set; }
    }
}
