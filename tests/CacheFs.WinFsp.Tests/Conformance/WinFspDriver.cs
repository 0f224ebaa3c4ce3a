using CacheFs.Hosts.WinFsp;
using CacheFs.Nodes;
using CacheFs.Tests;
using CacheFs.Tests.Conformance;
using CacheFs.Volume;
using Fsp;

namespace CacheFs.WinFsp.Tests.Conformance;

/// <summary>
/// The conformance driver on the WinFsp host: each POSIX-shaped call becomes what a Windows program's call becomes by the
/// time it reaches the file system (CreateFile → Open/Create, DeleteFile → Open with DELETE, CanDelete, Cleanup with
/// CleanupDelete, MoveFileEx → Rename on an open source, SetFileTime → SetBasicInfo, ...). It also plays the part of
/// WinFsp's kernel driver and the Win32 layer where those decide before the file system is asked: "." and ".." are
/// resolved in the path, a handle is checked for the access an operation needs, and a modified handle's close sends
/// Cleanup with the time and archive flags. Symlinks are
/// followed as WinFsp follows them (<see cref="Follow"/>). What Windows cannot express (modes, owners, links, fifos, xattrs outside user.*,
/// create-only or replace-only xattrs, rename exchange) answers <see cref="FsStatus.NotSupported"/>; the cases that need it are skipped.
/// </summary>
internal sealed partial class WinFspDriver(WinFspFileSystem fs, string root, ManualTime time) : IFileSystemDriver
{
    private const uint ReadData = 0x0001;
    private const uint WriteData = 0x0002;
    private const uint AppendData = 0x0004;
    private const uint ReadAttributes = 0x0080;
    private const uint WriteAttributes = 0x0100;
    private const uint Delete = 0x0001_0000;
    private const uint DirectoryFile = 0x0000_0001;
    private const uint NonDirectoryFile = 0x0000_0040;
    private const uint Modified = FileSystemBase.CleanupSetArchiveBit | FileSystemBase.CleanupSetLastWriteTime | FileSystemBase.CleanupSetChangeTime;

    public void LetTimePass() => time.Advance(TimeSpan.FromSeconds(1));

    public FsResult<FileStat> Stat(string path)
    {
        var status = OpenName(path, ReadAttributes, 0, out var file, out _);
        if (status != FsStatus.Ok)
            return status;
        var stat = StatOf(file);
        CloseName(file, Name(path), 0);
        return stat;
    }

    public FsStatus SetLength(string path, long size)
    {
        if (size < 0)
            return FsStatus.InvalidArgument;
        return WithOpen(path, WriteData, NonDirectoryFile, followLast: true, (file, name) =>
            (StatusOf.Nt(fs.SetFileSize(file, file, (ulong)size, false, out _)), Modified));
    }

    public FsStatus Chmod(string path, uint mode) => FsStatus.NotSupported;

    public FsStatus Chown(string path, uint uid, uint gid) => FsStatus.NotSupported;

    public FsStatus SetTimes(string path, Timestamp? access, Timestamp? modify) =>
        WithOpen(path, WriteAttributes, 0, (file, name) =>
            (StatusOf.Nt(fs.SetBasicInfo(file, file, 0, 0, FileTime(access), FileTime(modify), 0, out _)), 0u));

    public FsStatus SetTimesToNow(string path)
    {
        var now = Timestamp.FromDateTimeOffset(time.GetUtcNow());
        return SetTimes(path, now, now);
    }

    public FsStatus MakeDirectory(string path, uint mode = 0x1ED)
    {
        var name = Name(path);
        var status = Follow(ref name, followLast: false);
        if (status != FsStatus.Ok)
            return status;
        status = StatusOf.Nt(fs.Create(name, DirectoryFile, ReadData, 0, null!, 0, out var file, out _, out _, out _));
        if (status == FsStatus.Ok)
            CloseName(file, name, 0);
        return status;
    }

    public FsStatus RemoveDirectory(string path) => DeleteName(path, DirectoryFile);

    public FsResult<IReadOnlyList<string>> ReadDirectory(string path)
    {
        var status = OpenName(path, ReadData, DirectoryFile, out var directory, out _, followLast: true);
        if (status != FsStatus.Ok)
            return status;
        var names = new List<string>();
        string? marker = null;
        for (var more = true; more;)
        {
            // Pages of 50, as a kernel buffer holds a few dozen entries; each resumes after the last name.
            object context = null!;
            more = false;
            for (var got = 0; got < 50 && fs.ReadDirectoryEntry(directory, directory, null!, marker!, ref context, out var name, out _); got++)
            {
                names.Add(name);
                marker = name;
                more = true;
            }
        }

        CloseName(directory, Name(path), 0);
        names.Take(2).Should().Equal(".", "..");
        return names.Skip(2).ToList();
    }

    public FsStatus Unlink(string path) => DeleteName(path, NonDirectoryFile);

    public FsStatus Rename(string from, string to, RenameMode mode = RenameMode.Replace)
    {
        if (mode == RenameMode.Exchange)
            return FsStatus.NotSupported; // No Windows call swaps two names.
        var newName = Name(to);
        var status = Follow(ref newName, followLast: false);
        if (status != FsStatus.Ok)
            return status;
        return WithOpen(from, Delete, 0, (file, name) =>
            (StatusOf.Nt(fs.Rename(file, file, name, newName, mode == RenameMode.Replace)), 0u));
    }

    public FsStatus Link(string existing, string newPath) => FsStatus.NotSupported;

    public FsStatus MakeFifo(string path, uint mode) => FsStatus.NotSupported;

    public FsResult<SpaceStat> StatFs()
    {
        var status = StatusOf.Nt(fs.GetVolumeInfo(out var volume));
        if (status != FsStatus.Ok)
            return status;

        // Windows reports bytes only; the unit is the host's sector size and the name limit its MaxComponentLength.
        return new SpaceStat(4096, (long)volume.TotalSize, (long)volume.FreeSize, (long)volume.FreeSize, 0, 0, 255);
    }

    /// <summary>The case directory's path as WinFsp names it, with "." and ".." resolved as the Win32 layer does.</summary>
    private string Name(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == "..")
            {
                if (parts.Count > 0)
                    parts.RemoveAt(parts.Count - 1);
            }
            else if (part != ".")
            {
                parts.Add(part);
            }
        }

        return parts.Count == 0 ? root : root + "\\" + string.Join('\\', parts);
    }

    /// <summary>
    /// CreateFile on an existing name: symlinks on the way are followed, and the last name too when
    /// <paramref name="followLast"/> (without FILE_FLAG_OPEN_REPARSE_POINT).
    /// </summary>
    private FsStatus OpenName(string path, uint access, uint options, out object file, out string name, bool followLast = false)
    {
        file = null!;
        name = Name(path);
        var status = Follow(ref name, followLast);
        return status != FsStatus.Ok ? status : StatusOf.Nt(fs.Open(name, options, access | ReadAttributes, out file, out _, out _, out _));
    }

    /// <summary>CloseHandle: Cleanup when WinFsp would send one (PostCleanupWhenModifiedOnly), then Close.</summary>
    private void CloseName(object file, string name, uint cleanupFlags)
    {
        if (cleanupFlags != 0)
            fs.Cleanup(file, file, name, cleanupFlags);
        fs.Close(file, file);
    }

    private FsStatus WithOpen(string path, uint access, uint options, Func<object, string, (FsStatus Status, uint Cleanup)> action) =>
        WithOpen(path, access, options, followLast: false, action);

    private FsStatus WithOpen(string path, uint access, uint options, bool followLast, Func<object, string, (FsStatus Status, uint Cleanup)> action)
    {
        var status = OpenName(path, access, options, out var file, out var name, followLast);
        if (status != FsStatus.Ok)
            return status;
        var (result, cleanup) = action(file, name);
        CloseName(file, name, result == FsStatus.Ok ? cleanup : 0);
        return result;
    }

    /// <summary>DeleteFile / RemoveDirectory: open for DELETE, set the disposition (CanDelete), close (Cleanup deletes).</summary>
    private FsStatus DeleteName(string path, uint options) =>
        WithOpen(path, Delete, options, (file, name) =>
        {
            var status = StatusOf.Nt(fs.SetDelete(file, file, name, true));
            return (status, FileSystemBase.CleanupDelete);
        });

    private static ulong FileTime(Timestamp? time) => time is { } t ? FileInfoOf.Time(t) : 0;
}
