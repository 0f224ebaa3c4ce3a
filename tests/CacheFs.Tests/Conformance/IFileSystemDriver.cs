using CacheFs.Nodes;
using CacheFs.Volume;

namespace CacheFs.Tests.Conformance;

/// <summary>
/// A path-based, POSIX-like view of one empty test directory, with errno-like outcomes in the core's vocabulary
/// (<see cref="FsStatus"/>). Paths are relative to that directory, '/'-separated; "" is the directory itself. The last
/// component is not followed when it is a symlink, except by <see cref="Open"/>, <see cref="SetLength"/> and
/// <see cref="Chmod"/> (as open(2), truncate(2) and chmod(2) do). New nodes belong to the calling process's user and
/// group, with its umask applied to the permissions given.
/// </summary>
internal interface IFileSystemDriver : IDisposable
{
    /// <summary>Returns once the clock the file system stamps times with has moved, so a time set next differs from every time set before.</summary>
    void LetTimePass();

    /// <summary>open(2): a handle for the other handle calls.</summary>
    FsResult<int> Open(string path, OpenMode mode, uint permissions = 0x1A4);

    /// <summary>pread(2): how many bytes were read; fewer than asked only at the end of the file.</summary>
    FsResult<int> Read(int handle, long offset, Span<byte> buffer);

    /// <summary>pwrite(2); a handle opened with <see cref="OpenMode.Append"/> writes at the end whatever the offset.</summary>
    FsResult<int> Write(int handle, long offset, ReadOnlySpan<byte> data);

    /// <summary>ftruncate(2).</summary>
    FsStatus Truncate(int handle, long size);

    /// <summary>fallocate(2): 0, FALLOC_FL_KEEP_SIZE, or FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE.</summary>
    FsStatus Allocate(int handle, long offset, long length, AllocateMode mode);

    /// <summary>fsync(2).</summary>
    FsStatus Sync(int handle);

    /// <summary>fstat(2): works after every name of the file is gone.</summary>
    FsResult<FileStat> StatHandle(int handle);

    /// <summary>close(2).</summary>
    FsStatus Close(int handle);

    /// <summary>lstat(2).</summary>
    FsResult<FileStat> Stat(string path);

    /// <summary>truncate(2).</summary>
    FsStatus SetLength(string path, long size);

    FsStatus Chmod(string path, uint mode);

    /// <summary>lchown(2); <see cref="uint.MaxValue"/> leaves that id as it is.</summary>
    FsStatus Chown(string path, uint uid, uint gid);

    /// <summary>utimensat(2) without following a symlink; null leaves that time as it is (UTIME_OMIT).</summary>
    FsStatus SetTimes(string path, Timestamp? access, Timestamp? modify);

    /// <summary>utimensat(2) with no times: both become the current time.</summary>
    FsStatus SetTimesToNow(string path);

    FsStatus MakeDirectory(string path, uint mode = 0x1ED);

    FsStatus RemoveDirectory(string path);

    /// <summary>The names readdir returns, without "." and ".." (a driver checks those are there).</summary>
    FsResult<IReadOnlyList<string>> ReadDirectory(string path);

    FsStatus Unlink(string path);

    /// <summary>renameat2(2).</summary>
    FsStatus Rename(string from, string to, RenameMode mode = RenameMode.Replace);

    /// <summary>link(2): a new name for <paramref name="existing"/>.</summary>
    FsStatus Link(string existing, string newPath);

    FsStatus Symlink(string target, string path);

    FsResult<string> ReadLink(string path);

    /// <summary>mknod(2) of a fifo (never opened: that would wait for a peer).</summary>
    FsStatus MakeFifo(string path, uint mode);

    /// <summary>lsetxattr(2): XATTR_CREATE, XATTR_REPLACE or neither.</summary>
    FsStatus SetXattr(string path, string name, ReadOnlySpan<byte> value, XattrSetMode mode = XattrSetMode.CreateOrReplace);

    FsResult<byte[]> GetXattr(string path, string name);

    FsResult<IReadOnlyList<string>> ListXattrs(string path);

    FsStatus RemoveXattr(string path, string name);

    /// <summary>statvfs(2) of the file system holding the directory.</summary>
    FsResult<SpaceStat> StatFs();
}
