using System.Runtime.InteropServices;
using CacheFs.Origin.Http;
using CacheFs.Protocol;
using Microsoft.Win32.SafeHandles;

namespace CacheFs.Origin.Storage;

/// <summary>
/// The served tree on the origin's disk. Every operation names a validated origin path; before touching it, every
/// ancestor is checked to be a real directory (<see cref="CheckContained"/>), and content is opened only after the
/// opened file proves to be the regular file lstat saw, so no symbolic link on the disk leads out of the root.
/// </summary>
internal sealed class Disk(string root, string uploads)
{
    private static readonly bool Linux = OperatingSystem.IsLinux();

    public string Root { get; } = root;

    public string FullPath(string path) =>
        path.Length == 0 ? Root : Path.Join(Root, Path.DirectorySeparatorChar == '/' ? path : path.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>lstat of a full path; null when nothing is there.</summary>
    public static DiskStat? Stat(string fullPath)
    {
        if (Linux)
        {
            if (Native.Statx(Native.AtFdCwd, fullPath, Native.AtSymlinkNoFollow, Native.StatxBasicStatsAndBirth, out var buffer) == 0)
                return DiskStat.From(buffer);
            var errno = Marshal.GetLastPInvokeError();
            return errno is Native.ENOENT or Native.ENOTDIR ? null : throw DiskErrors.FromErrno(errno, "lstat", fullPath);
        }

        FileSystemInfo info = Directory.Exists(fullPath) ? new DirectoryInfo(fullPath) : new FileInfo(fullPath);
        return info.Exists || info.LinkTarget is not null ? DiskStat.From(info) : null;
    }

    public DiskStat? StatPath(string path) => Stat(FullPath(path));

    /// <summary>Refuses a path whose ancestors on disk are not all real directories (a symlink placed behind our back).</summary>
    public void CheckContained(string path)
    {
        for (var slash = path.IndexOf('/', StringComparison.Ordinal); slash > 0; slash = path.IndexOf('/', slash + 1))
        {
            var stat = Stat(FullPath(path[..slash]));
            if (stat is not null && stat.Kind != RemoteKind.Directory)
                throw new OriginException(ErrorCode.InvalidPath, $"'{path[..slash]}' is not a directory on the origin's disk; the origin does not follow it");
        }
    }

    /// <summary>Opens a regular file for reading, refusing anything lstat does not see as a regular file at that path.</summary>
    public SafeFileHandle OpenRead(string path)
    {
        CheckContained(path);
        var full = FullPath(path);
        var before = Stat(full);
        if (before is null)
            throw new OriginException(ErrorCode.NotFound, $"The content of '{path}' is missing on the origin's disk");
        if (before.Kind != RemoteKind.File)
            throw new OriginException(ErrorCode.InvalidArgument, $"'{path}' is not a regular file on the origin's disk");
        var handle = File.OpenHandle(full, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (Linux && (Native.Statx((int)handle.DangerousGetHandle(), "", Native.AtEmptyPath, Native.StatxBasicStatsAndBirth, out var opened) != 0 || opened.Inode != before.Inode))
        {
            handle.Dispose();
            throw new OriginException(ErrorCode.InvalidPath, $"'{path}' changed into something else while it was opened; the origin does not follow links");
        }

        return handle;
    }

    public void CreateDirectory(string path)
    {
        CheckContained(path);
        var full = FullPath(path);
        if (Stat(full) is not null)
            throw new OriginException(ErrorCode.Exists, $"'{path}' exists on the origin's disk");
        Directory.CreateDirectory(full);
    }

    public void CreateEmptyFile(string path)
    {
        CheckContained(path);
        using var stream = new FileStream(FullPath(path), FileMode.CreateNew, FileAccess.Write);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Removes whatever is at <paramref name="path"/> (never following it); a missing entry is not an error.</summary>
    public void Remove(string path, bool directory)
    {
        CheckContained(path);
        var full = FullPath(path);
        var stat = Stat(full);
        if (stat is null)
            return;
        if (stat.Kind == RemoteKind.Directory)
        {
            if (!directory)
                throw new OriginException(ErrorCode.IsDirectory, $"'{path}' is a directory on the origin's disk");
            if (Directory.EnumerateFileSystemEntries(full).Any())
                throw new OriginException(ErrorCode.NotEmpty, $"'{path}' holds files on the origin's disk that the origin did not create");
            Directory.Delete(full);
        }
        else
        {
            File.Delete(full);
        }
    }

    /// <summary>Moves the entry at <paramref name="from"/> (a file, directory or link, never followed) to <paramref name="to"/>.</summary>
    public void Rename(string from, string to, RenameMode mode)
    {
        CheckContained(from);
        CheckContained(to);
        MoveFull(FullPath(from), FullPath(to), mode);
    }

    /// <summary>Moves an upload's temp file over <paramref name="path"/>.</summary>
    public void Install(string uploadFile, string path)
    {
        CheckContained(path);
        MoveFull(uploadFile, FullPath(path), RenameMode.Replace);
    }

    /// <summary>A new hard link; false where the disk refuses hard links.</summary>
    public bool TryLink(string existing, string newPath)
    {
        CheckContained(existing);
        CheckContained(newPath);
        if (!Linux)
            return false;
        if (Native.Link(FullPath(existing), FullPath(newPath)) == 0)
            return true;
        var errno = Marshal.GetLastPInvokeError();
        return errno == Native.EEXIST ? throw new OriginException(ErrorCode.Exists, $"'{newPath}' exists on the origin's disk") : false;
    }

    /// <summary>Links <paramref name="existing"/> to a temp name, then renames that over <paramref name="path"/> (re-pointing a hard link).</summary>
    public void Relink(string existing, string path)
    {
        var temp = NewUploadFile();
        if (!Linux || Native.Link(FullPath(existing), temp) != 0)
            File.Copy(FullPath(existing), temp);
        Install(temp, path);
    }

    public void SetLength(string path, long size)
    {
        CheckContained(path);
        using var handle = File.OpenHandle(FullPath(path), FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        RandomAccess.SetLength(handle, size);
        RandomAccess.FlushToDisk(handle);
    }

    /// <summary>Makes a directory's entries durable (a rename or create is only safe once its directory is synced).</summary>
    public void SyncDirectory(string path) => SyncFullDirectory(FullPath(path));

    public static void SyncFullDirectory(string full)
    {
        if (!Linux)
            return;
        var fd = Native.Open(full, Native.OReadOnlyCloseOnExec, 0);
        if (fd < 0)
            throw DiskErrors.FromErrno(Marshal.GetLastPInvokeError(), "open", full);
        try
        {
            if (Native.Fsync(fd) != 0)
                throw DiskErrors.FromErrno(Marshal.GetLastPInvokeError(), "fsync", full);
        }
        finally
        {
            Native.Close(fd);
        }
    }

    /// <summary>A fresh name for a temp file in the uploads folder, on the same file system as the root.</summary>
    public string NewUploadFile() => Path.Join(Uploads, Guid.NewGuid().ToString("N") + ".part");

    public string Uploads { get; } = uploads;

    private static void MoveFull(string from, string to, RenameMode mode)
    {
        if (Linux)
        {
            var result = mode == RenameMode.Replace
                ? Native.Rename(from, to)
                : Native.RenameAt2(Native.AtFdCwd, from, Native.AtFdCwd, to, mode == RenameMode.NoReplace ? Native.RenameNoReplace : Native.RenameExchange);
            if (result == 0)
                return;
            var errno = Marshal.GetLastPInvokeError();
            throw errno switch
            {
                Native.EEXIST => new OriginException(ErrorCode.Exists, $"'{to}' exists on the origin's disk"),
                Native.ENOTEMPTY => new OriginException(ErrorCode.NotEmpty, $"'{to}' holds files on the origin's disk that the origin did not create"),
                _ => DiskErrors.FromErrno(errno, "rename to", to),
            };
        }

        if (mode == RenameMode.Exchange)
            throw new OriginException(ErrorCode.NotSupported, "This origin's disk cannot exchange two names atomically");
        if (Directory.Exists(from))
            Directory.Move(from, to);
        else
            File.Move(from, to, overwrite: mode == RenameMode.Replace);
    }
}
