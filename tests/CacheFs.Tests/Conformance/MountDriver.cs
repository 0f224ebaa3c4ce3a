using System.Runtime.InteropServices;
using System.Text;
using CacheFs.Hosts.Fuse.Native;
using CacheFs.Nodes;
using CacheFs.Volume;

namespace CacheFs.Tests.Conformance;

/// <summary>
/// The driver on a real mount: every call is the system call a program would make, through the kernel and the FUSE
/// host. Errors come back as errno and are mapped in <see cref="ErrnoStatus"/>.
/// </summary>
internal sealed unsafe partial class MountDriver(string directory, TimeProvider clock) : IFileSystemDriver
{
    private const long UtimeOmit = (1L << 30) - 2;
    private const int PathMax = 4096;

    /// <summary>
    /// Waits (spinning, a millisecond or so) until the volume's clock has moved: the core stamps times from it with 100 ns
    /// resolution, so any later operation gets a later time.
    /// </summary>
    public void LetTimePass()
    {
        var start = clock.GetUtcNow();
        SpinWait.SpinUntil(() => clock.GetUtcNow() - start >= TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(5)).Should().BeTrue();
    }

    public FsResult<FileStat> Stat(string path)
    {
        Stat stat;
        return LinuxCalls.LStat(Full(path), &stat) == 0 ? ToFileStat(stat) : Error();
    }

    public FsStatus SetLength(string path, long size) => Done(LinuxCalls.Truncate(Full(path), size));

    public FsStatus Chmod(string path, uint mode) => Done(LinuxCalls.Chmod(Full(path), mode));

    public FsStatus Chown(string path, uint uid, uint gid) => Done(LinuxCalls.LChown(Full(path), uid, gid));

    public FsStatus SetTimes(string path, Timestamp? access, Timestamp? modify)
    {
        var times = stackalloc Timespec[2] { Spec(access), Spec(modify) };
        return Done(LinuxCalls.UTimensAt(LinuxCalls.AtFdCwd, Full(path), times, LinuxCalls.AtSymlinkNoFollow));
    }

    public FsStatus SetTimesToNow(string path) => Done(LinuxCalls.UTimensAt(LinuxCalls.AtFdCwd, Full(path), null, LinuxCalls.AtSymlinkNoFollow));

    public FsStatus MakeDirectory(string path, uint mode = 0x1ED) => Done(LinuxCalls.MkDir(Full(path), mode));

    public FsStatus RemoveDirectory(string path) => Done(LinuxCalls.RmDir(Full(path)));

    public FsResult<IReadOnlyList<string>> ReadDirectory(string path)
    {
        var stream = LinuxCalls.OpenDir(Full(path));
        if (stream == 0)
            return Error();
        try
        {
            var names = new List<string>();
            byte* entry;
            while ((entry = LinuxCalls.ReadDir(stream)) is not null)
                names.Add(Marshal.PtrToStringUTF8((nint)(entry + 19))!);
            if (Marshal.GetLastPInvokeError() != 0)
                return Error();

            // Every listing has exactly one "." and one "..", which the interface leaves out.
            if (names.Count(n => n == ".") != 1 || names.Count(n => n == "..") != 1)
                return FsStatus.IoError;
            return names.Where(n => n is not ("." or "..")).ToList();
        }
        finally
        {
            LinuxCalls.CloseDir(stream);
        }
    }

    public FsStatus Unlink(string path) => Done(LinuxCalls.Unlink(Full(path)));

    public FsStatus Rename(string from, string to, RenameMode mode = RenameMode.Replace)
    {
        var flags = mode switch { RenameMode.NoReplace => 1u, RenameMode.Exchange => 2u, _ => 0u };
        return Done(LinuxCalls.RenameAt2(LinuxCalls.AtFdCwd, Full(from), LinuxCalls.AtFdCwd, Full(to), flags));
    }

    public FsStatus Link(string existing, string newPath) => Done(LinuxCalls.Link(Full(existing), Full(newPath)));

    public FsStatus Symlink(string target, string path) => Done(LinuxCalls.Symlink(target, Full(path)));

    public FsResult<string> ReadLink(string path)
    {
        var buffer = stackalloc byte[PathMax + 1];
        var n = LinuxCalls.ReadLink(Full(path), buffer, PathMax + 1);
        return n < 0 ? Error() : Encoding.UTF8.GetString(buffer, (int)n);
    }

    public FsStatus MakeFifo(string path, uint mode) => Done(LinuxCalls.MkNod(Full(path), LinuxCalls.SIfIfo | mode, 0));

    public FsStatus SetXattr(string path, string name, ReadOnlySpan<byte> value, XattrSetMode mode = XattrSetMode.CreateOrReplace)
    {
        var flags = mode switch { XattrSetMode.CreateOnly => 1, XattrSetMode.ReplaceOnly => 2, _ => 0 };
        fixed (byte* bytes = value)
            return Done(LinuxCalls.LSetXattr(Full(path), name, bytes, (nuint)value.Length, flags));
    }

    public FsResult<byte[]> GetXattr(string path, string name)
    {
        var size = LinuxCalls.LGetXattr(Full(path), name, null, 0);
        if (size < 0)
            return Error();
        var value = new byte[size];
        fixed (byte* bytes = value)
            size = LinuxCalls.LGetXattr(Full(path), name, bytes, (nuint)value.Length);
        return size < 0 ? Error() : value[..(int)size];
    }

    public FsResult<IReadOnlyList<string>> ListXattrs(string path)
    {
        var size = LinuxCalls.LListXattr(Full(path), null, 0);
        if (size < 0)
            return Error();
        var list = new byte[size];
        fixed (byte* bytes = list)
            size = LinuxCalls.LListXattr(Full(path), bytes, (nuint)list.Length);
        if (size < 0)
            return Error();
        return Encoding.UTF8.GetString(list, 0, (int)size).Split('\0', StringSplitOptions.RemoveEmptyEntries);
    }

    public FsStatus RemoveXattr(string path, string name) => Done(LinuxCalls.LRemoveXattr(Full(path), name));

    public FsResult<SpaceStat> StatFs()
    {
        StatVfs s;
        if (LinuxCalls.StatVfs(directory, &s) != 0)
            return Error();
        var block = (long)s.FragmentSize;
        return new SpaceStat(
            (long)s.BlockSize,
            (long)s.Blocks * block,
            (long)s.FreeBlocks * block,
            (long)s.AvailableBlocks * block,
            (long)s.Files,
            (long)s.FreeFiles,
            (long)s.MaxNameLength);
    }

    private static FsStatus Done(int result) => result == 0 ? FsStatus.Ok : ErrnoStatus.Of(Marshal.GetLastPInvokeError());

    private static FsStatus Error() => ErrnoStatus.Of(Marshal.GetLastPInvokeError());

    private static Timespec Spec(Timestamp? time) =>
        time is { } t ? new Timespec { Seconds = t.Seconds, Nanoseconds = t.NanosecondPart } : new Timespec { Nanoseconds = UtimeOmit };

    private static FileStat ToFileStat(Stat s) => new(
        (long)s.Inode,
        KindOf(s.Mode),
        s.Size,
        s.Mode & 0xFFF,
        (uint)s.LinkCount,
        s.Uid,
        s.Gid,
        Timestamp.FromUnix(s.AccessTime.Seconds, s.AccessTime.Nanoseconds),
        Timestamp.FromUnix(s.ModifyTime.Seconds, s.ModifyTime.Nanoseconds),
        Timestamp.FromUnix(s.ChangeTime.Seconds, s.ChangeTime.Nanoseconds));

    private static NodeKind KindOf(uint mode) => (mode & 0xF000) switch
    {
        0x8000 => NodeKind.File,
        0x4000 => NodeKind.Directory,
        0xA000 => NodeKind.Symlink,
        0x1000 => NodeKind.Fifo,
        0xC000 => NodeKind.Socket,
        0x2000 => NodeKind.CharDevice,
        0x6000 => NodeKind.BlockDevice,
        _ => throw new InvalidOperationException($"Unknown file type in st_mode {mode:x}"),
    };

    private string Full(string path) => path.Length == 0 ? directory : directory + "/" + path;
}
