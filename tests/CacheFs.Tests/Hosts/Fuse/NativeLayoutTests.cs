using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CacheFs.Hosts.Fuse;
using CacheFs.Hosts.Fuse.Native;
using CacheFs.Nodes;

namespace CacheFs.Tests.Hosts.Fuse;

/// <summary>
/// Every size, offset, bit position and constant the binding relies on, compared with what gcc computes from
/// libfuse3-dev's headers (see <see cref="NativeProbe.FuseUseVersion"/>), so a libfuse or glibc upgrade that moves
/// anything fails here instead of corrupting memory at run time.
/// </summary>
public sealed unsafe class NativeLayoutTests
{
    private static readonly Lazy<IReadOnlyDictionary<string, long>> Native = new(() => NativeProbe.Evaluate(Expected().Select(e => e.C)));

    public static TheoryData<string> Expressions() => [.. Expected().Select(e => e.C)];

    [Theory]
    [MemberData(nameof(Expressions))]
    public void Binding_Value_MatchesTheCHeaders(string expression)
    {
        var ours = Expected().Single(e => e.C == expression).Ours;
        Native.Value[expression].Should().Be(ours, $"the binding's value for {expression} must equal the header's");
    }

    [Fact]
    public void FuseLowlevelOps_Slots_AreTheFortyFourOfLibfuse314()
    {
        sizeof(FuseLowlevelOps).Should().Be(LowlevelSlots.Length * sizeof(nint));
        typeof(FuseLowlevelOps).GetFields().Should().HaveCount(44);
    }

    [Fact]
    public void RootInode_IsTheCoresRootId()
    {
        ((long)FuseFlags.FUSE_ROOT_ID).Should().Be(NodeIds.Root, "the kernel's inode numbers are the core's node ids");
    }

    [Fact]
    public void BlittableStructs_MarshalSize_EqualsUnmanagedSize()
    {
        Marshal.SizeOf<Stat>().Should().Be(sizeof(Stat));
        Marshal.SizeOf<StatVfs>().Should().Be(sizeof(StatVfs));
        Marshal.SizeOf<Timespec>().Should().Be(sizeof(Timespec));
        Marshal.SizeOf<FuseFileInfo>().Should().Be(sizeof(FuseFileInfo));
        Marshal.SizeOf<FuseConnInfo>().Should().Be(sizeof(FuseConnInfo));
        Marshal.SizeOf<FuseArgs>().Should().Be(sizeof(FuseArgs));
        Marshal.SizeOf<FuseEntryParam>().Should().Be(sizeof(FuseEntryParam));
        Marshal.SizeOf<FuseCtx>().Should().Be(sizeof(FuseCtx));
        Marshal.SizeOf<FuseForgetData>().Should().Be(sizeof(FuseForgetData));
        Marshal.SizeOf<FuseBufVec>().Should().Be(sizeof(FuseBufVec));
        Marshal.SizeOf<FuseLowlevelOps>().Should().Be(sizeof(FuseLowlevelOps));
        Marshal.SizeOf<Flock>().Should().Be(sizeof(Flock));
    }

    [Fact]
    public void ImportedSymbols_DefaultLookup_FindsTheDeclaredVersion()
    {
        var library = NativeLibrary.Load(FuseSymbols.Library);
        foreach (var (name, version) in FuseSymbols.Imported)
        {
            var exact = Libc.DlVSym(library, name, version);
            exact.Should().NotBe(0, $"{name}@{version} must exist");
            Libc.DlSym(library, name).Should().Be(exact, $"[LibraryImport] of {name} must bind {name}@{version}");
        }
    }

    [Fact]
    public void VersionedSymbols_Dlvsym_ResolvesEachAtItsVersion()
    {
        foreach (var (name, version) in FuseSymbols.Versioned)
            VersionedFuse.Resolve(name, version).Should().NotBe(0);
        ((nint)VersionedFuse.SessionLoopMt).Should().Be(Libc.DlVSym(NativeLibrary.Load(FuseSymbols.Library), "fuse_session_loop_mt_312", "FUSE_3.12"));
    }

    private static long Offset<T>(string field) => Marshal.OffsetOf<T>(field).ToInt64();

    private static long Bit(int bit) => (Offset<FuseFileInfo>(nameof(FuseFileInfo.Bits)) * 8) + bit;

    private static IEnumerable<(string C, long Ours)> Expected() =>
        Structs().Concat(FileInfoBits()).Concat(Operations()).Concat(Constants());

    private static IEnumerable<(string C, long Ours)> Structs()
    {
        yield return ("sizeof(struct timespec)", Unsafe.SizeOf<Timespec>());
        yield return ("offsetof(struct timespec, tv_sec)", Offset<Timespec>(nameof(Timespec.Seconds)));
        yield return ("offsetof(struct timespec, tv_nsec)", Offset<Timespec>(nameof(Timespec.Nanoseconds)));

        yield return ("sizeof(struct stat)", Unsafe.SizeOf<Stat>());
        foreach (var (c, ours) in new[]
        {
            ("st_dev", nameof(Stat.Device)), ("st_ino", nameof(Stat.Inode)), ("st_nlink", nameof(Stat.LinkCount)),
            ("st_mode", nameof(Stat.Mode)), ("st_uid", nameof(Stat.Uid)), ("st_gid", nameof(Stat.Gid)),
            ("st_rdev", nameof(Stat.RawDevice)), ("st_size", nameof(Stat.Size)), ("st_blksize", nameof(Stat.BlockSize)),
            ("st_blocks", nameof(Stat.Blocks)), ("st_atim", nameof(Stat.AccessTime)), ("st_mtim", nameof(Stat.ModifyTime)),
            ("st_ctim", nameof(Stat.ChangeTime)),
        })
        {
            yield return ($"offsetof(struct stat, {c})", Offset<Stat>(ours));
        }

        yield return ("sizeof(struct statvfs)", Unsafe.SizeOf<StatVfs>());
        foreach (var (c, ours) in new[]
        {
            ("f_bsize", nameof(StatVfs.BlockSize)), ("f_frsize", nameof(StatVfs.FragmentSize)), ("f_blocks", nameof(StatVfs.Blocks)),
            ("f_bfree", nameof(StatVfs.FreeBlocks)), ("f_bavail", nameof(StatVfs.AvailableBlocks)), ("f_files", nameof(StatVfs.Files)),
            ("f_ffree", nameof(StatVfs.FreeFiles)), ("f_favail", nameof(StatVfs.AvailableFiles)), ("f_fsid", nameof(StatVfs.FileSystemId)),
            ("f_flag", nameof(StatVfs.Flags)), ("f_namemax", nameof(StatVfs.MaxNameLength)),
        })
        {
            yield return ($"offsetof(struct statvfs, {c})", Offset<StatVfs>(ours));
        }

        yield return ("sizeof(struct flock)", Unsafe.SizeOf<Flock>());
        foreach (var (c, ours) in new[]
        {
            ("l_type", nameof(Flock.Type)), ("l_whence", nameof(Flock.Whence)), ("l_start", nameof(Flock.Start)),
            ("l_len", nameof(Flock.Length)), ("l_pid", nameof(Flock.Pid)),
        })
        {
            yield return ($"offsetof(struct flock, {c})", Offset<Flock>(ours));
        }

        yield return ("sizeof(struct fuse_bufvec)", Unsafe.SizeOf<FuseBufVec>());
        foreach (var (c, ours) in new[]
        {
            ("count", nameof(FuseBufVec.Count)), ("idx", nameof(FuseBufVec.Index)), ("off", nameof(FuseBufVec.Offset)),
            ("buf[0].size", nameof(FuseBufVec.Size)), ("buf[0].flags", nameof(FuseBufVec.Flags)), ("buf[0].mem", nameof(FuseBufVec.Memory)),
            ("buf[0].fd", nameof(FuseBufVec.Descriptor)), ("buf[0].pos", nameof(FuseBufVec.Position)),
        })
        {
            yield return ($"offsetof(struct fuse_bufvec, {c})", Offset<FuseBufVec>(ours));
        }

        yield return ("FUSE_BUF_IS_FD", FuseBufVec.FUSE_BUF_IS_FD);
        yield return ("FUSE_BUF_FD_SEEK", FuseBufVec.FUSE_BUF_FD_SEEK);
        yield return ("sizeof(struct fuse_file_info)", Unsafe.SizeOf<FuseFileInfo>());
        yield return ("offsetof(struct fuse_file_info, flags)", Offset<FuseFileInfo>(nameof(FuseFileInfo.Flags)));
        yield return ("offsetof(struct fuse_file_info, fh)", Offset<FuseFileInfo>(nameof(FuseFileInfo.Handle)));
        yield return ("offsetof(struct fuse_file_info, lock_owner)", Offset<FuseFileInfo>(nameof(FuseFileInfo.LockOwner)));
        yield return ("offsetof(struct fuse_file_info, poll_events)", Offset<FuseFileInfo>(nameof(FuseFileInfo.PollEvents)));

        yield return ("sizeof(struct fuse_conn_info)", Unsafe.SizeOf<FuseConnInfo>());
        foreach (var (c, ours) in new[]
        {
            ("proto_major", nameof(FuseConnInfo.ProtocolMajor)), ("proto_minor", nameof(FuseConnInfo.ProtocolMinor)),
            ("max_write", nameof(FuseConnInfo.MaxWrite)), ("max_read", nameof(FuseConnInfo.MaxRead)),
            ("max_readahead", nameof(FuseConnInfo.MaxReadahead)), ("capable", nameof(FuseConnInfo.Capable)),
            ("want", nameof(FuseConnInfo.Want)), ("max_background", nameof(FuseConnInfo.MaxBackground)),
            ("congestion_threshold", nameof(FuseConnInfo.CongestionThreshold)), ("time_gran", nameof(FuseConnInfo.TimeGranularity)),
        })
        {
            yield return ($"offsetof(struct fuse_conn_info, {c})", Offset<FuseConnInfo>(ours));
        }

        yield return ("sizeof(struct fuse_entry_param)", Unsafe.SizeOf<FuseEntryParam>());
        foreach (var (c, ours) in new[]
        {
            ("ino", nameof(FuseEntryParam.Inode)), ("generation", nameof(FuseEntryParam.Generation)), ("attr", nameof(FuseEntryParam.Attributes)),
            ("attr_timeout", nameof(FuseEntryParam.AttributeTimeout)), ("entry_timeout", nameof(FuseEntryParam.EntryTimeout)),
        })
        {
            yield return ($"offsetof(struct fuse_entry_param, {c})", Offset<FuseEntryParam>(ours));
        }

        yield return ("sizeof(struct fuse_ctx)", Unsafe.SizeOf<FuseCtx>());
        foreach (var (c, ours) in new[]
        {
            ("uid", nameof(FuseCtx.Uid)), ("gid", nameof(FuseCtx.Gid)), ("pid", nameof(FuseCtx.Pid)), ("umask", nameof(FuseCtx.Umask)),
        })
        {
            yield return ($"offsetof(struct fuse_ctx, {c})", Offset<FuseCtx>(ours));
        }

        yield return ("sizeof(struct fuse_forget_data)", Unsafe.SizeOf<FuseForgetData>());
        yield return ("offsetof(struct fuse_forget_data, ino)", Offset<FuseForgetData>(nameof(FuseForgetData.Inode)));
        yield return ("offsetof(struct fuse_forget_data, nlookup)", Offset<FuseForgetData>(nameof(FuseForgetData.LookupCount)));

        yield return ("sizeof(struct fuse_args)", Unsafe.SizeOf<FuseArgs>());
        yield return ("offsetof(struct fuse_args, argc)", Offset<FuseArgs>(nameof(FuseArgs.Count)));
        yield return ("offsetof(struct fuse_args, argv)", Offset<FuseArgs>(nameof(FuseArgs.Values)));
        yield return ("offsetof(struct fuse_args, allocated)", Offset<FuseArgs>(nameof(FuseArgs.Allocated)));
    }

    private static IEnumerable<(string C, long Ours)> FileInfoBits()
    {
        yield return ("BIT(writepage)", Bit(FuseFileInfo.WritePageBit));
        yield return ("BIT(direct_io)", Bit(FuseFileInfo.DirectIoBit));
        yield return ("BIT(keep_cache)", Bit(FuseFileInfo.KeepCacheBit));
        yield return ("BIT(flush)", Bit(FuseFileInfo.FlushBit));
        yield return ("BIT(nonseekable)", Bit(FuseFileInfo.NonSeekableBit));
        yield return ("BIT(flock_release)", Bit(FuseFileInfo.FlockReleaseBit));
        yield return ("BIT(cache_readdir)", Bit(FuseFileInfo.CacheReaddirBit));
        yield return ("BIT(noflush)", Bit(FuseFileInfo.NoFlushBit));
    }

    /// <summary>struct fuse_lowlevel_ops in header order.</summary>
    private static readonly string[] LowlevelSlots =
    [
        "init", "destroy", "lookup", "forget", "getattr", "setattr", "readlink", "mknod", "mkdir", "unlink", "rmdir",
        "symlink", "rename", "link", "open", "read", "write", "flush", "release", "fsync", "opendir", "readdir",
        "releasedir", "fsyncdir", "statfs", "setxattr", "getxattr", "listxattr", "removexattr", "access", "create", "getlk",
        "setlk", "bmap", "ioctl", "poll", "write_buf", "retrieve_reply", "forget_multi", "flock", "fallocate", "readdirplus",
        "copy_file_range", "lseek",
    ];

    private static IEnumerable<(string C, long Ours)> Operations()
    {
        var ours = typeof(FuseLowlevelOps).GetFields();
        yield return ("sizeof(struct fuse_lowlevel_ops)", Unsafe.SizeOf<FuseLowlevelOps>());
        for (var i = 0; i < LowlevelSlots.Length; i++)
        {
            var field = ours[i].Name;
            SnakeCase(field).Should().Be(LowlevelSlots[i], $"slot {i} is {LowlevelSlots[i]} in the header, {field} in FuseLowlevelOps");
            yield return ($"offsetof(struct fuse_lowlevel_ops, {LowlevelSlots[i]})", Offset<FuseLowlevelOps>(field));
        }
    }

    /// <summary>"CopyFileRange" → "copy_file_range".</summary>
    private static string SnakeCase(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    private static (string C, long Ours)[] Constants()
    {
        (string, long)[] values =
        [
            ("EPERM", Errno.EPERM), ("ENOENT", Errno.ENOENT), ("EINTR", Errno.EINTR), ("EIO", Errno.EIO), ("E2BIG", Errno.E2BIG), ("EBADF", Errno.EBADF),
            ("EACCES", Errno.EACCES), ("EBUSY", Errno.EBUSY), ("EEXIST", Errno.EEXIST), ("EXDEV", Errno.EXDEV),
            ("ENOTDIR", Errno.ENOTDIR), ("EISDIR", Errno.EISDIR), ("EINVAL", Errno.EINVAL), ("EFBIG", Errno.EFBIG),
            ("ENOSPC", Errno.ENOSPC), ("EMLINK", Errno.EMLINK), ("ERANGE", Errno.ERANGE), ("ENAMETOOLONG", Errno.ENAMETOOLONG),
            ("ENOSYS", Errno.ENOSYS), ("ENOTEMPTY", Errno.ENOTEMPTY), ("ENODATA", Errno.ENODATA), ("EOPNOTSUPP", Errno.EOPNOTSUPP),
            ("EHOSTUNREACH", Errno.EHOSTUNREACH), ("EAGAIN", Errno.EAGAIN), ("ENOLCK", Errno.ENOLCK),
            ("F_RDLCK", Flock.F_RDLCK), ("F_WRLCK", Flock.F_WRLCK), ("F_UNLCK", Flock.F_UNLCK),
            ("S_IFMT", Posix.S_IFMT), ("S_IFSOCK", Posix.S_IFSOCK), ("S_IFLNK", Posix.S_IFLNK), ("S_IFREG", Posix.S_IFREG),
            ("S_IFBLK", Posix.S_IFBLK), ("S_IFDIR", Posix.S_IFDIR), ("S_IFCHR", Posix.S_IFCHR), ("S_IFIFO", Posix.S_IFIFO),
            ("S_ISGID", Posix.S_ISGID), ("O_ACCMODE", Posix.O_ACCMODE), ("O_RDONLY", Posix.O_RDONLY), ("O_WRONLY", Posix.O_WRONLY),
            ("O_RDWR", Posix.O_RDWR), ("O_EXCL", Posix.O_EXCL), ("O_TRUNC", Posix.O_TRUNC), ("O_APPEND", Posix.O_APPEND),
            ("RENAME_NOREPLACE", Posix.RENAME_NOREPLACE), ("RENAME_EXCHANGE", Posix.RENAME_EXCHANGE),
            ("XATTR_CREATE", Posix.XATTR_CREATE), ("XATTR_REPLACE", Posix.XATTR_REPLACE),
            ("FALLOC_FL_KEEP_SIZE", Posix.FALLOC_FL_KEEP_SIZE), ("FALLOC_FL_PUNCH_HOLE", Posix.FALLOC_FL_PUNCH_HOLE),
            ("MNT_DETACH", Posix.MNT_DETACH), ("FUSE_ROOT_ID", (long)FuseFlags.FUSE_ROOT_ID),
            ("FUSE_CAP_ASYNC_READ", FuseFlags.FUSE_CAP_ASYNC_READ), ("FUSE_CAP_POSIX_LOCKS", FuseFlags.FUSE_CAP_POSIX_LOCKS),
            ("FUSE_CAP_ATOMIC_O_TRUNC", FuseFlags.FUSE_CAP_ATOMIC_O_TRUNC), ("FUSE_CAP_FLOCK_LOCKS", FuseFlags.FUSE_CAP_FLOCK_LOCKS),
            ("FUSE_CAP_AUTO_INVAL_DATA", FuseFlags.FUSE_CAP_AUTO_INVAL_DATA), ("FUSE_CAP_READDIRPLUS", FuseFlags.FUSE_CAP_READDIRPLUS),
            ("FUSE_CAP_READDIRPLUS_AUTO", FuseFlags.FUSE_CAP_READDIRPLUS_AUTO), ("FUSE_CAP_ASYNC_DIO", FuseFlags.FUSE_CAP_ASYNC_DIO),
            ("FUSE_CAP_WRITEBACK_CACHE", FuseFlags.FUSE_CAP_WRITEBACK_CACHE), ("FUSE_CAP_PARALLEL_DIROPS", FuseFlags.FUSE_CAP_PARALLEL_DIROPS),
            ("FUSE_CAP_CACHE_SYMLINKS", FuseFlags.FUSE_CAP_CACHE_SYMLINKS), ("FUSE_CAP_EXPORT_SUPPORT", FuseFlags.FUSE_CAP_EXPORT_SUPPORT),
            ("FUSE_CAP_SPLICE_WRITE", FuseFlags.FUSE_CAP_SPLICE_WRITE), ("FUSE_CAP_SPLICE_MOVE", FuseFlags.FUSE_CAP_SPLICE_MOVE),
            ("FUSE_CAP_SPLICE_READ", FuseFlags.FUSE_CAP_SPLICE_READ), ("FUSE_CAP_POSIX_ACL", FuseFlags.FUSE_CAP_POSIX_ACL),
            ("FUSE_CAP_HANDLE_KILLPRIV", FuseFlags.FUSE_CAP_HANDLE_KILLPRIV),
            ("FUSE_SET_ATTR_MODE", FuseFlags.FUSE_SET_ATTR_MODE), ("FUSE_SET_ATTR_UID", FuseFlags.FUSE_SET_ATTR_UID),
            ("FUSE_SET_ATTR_GID", FuseFlags.FUSE_SET_ATTR_GID), ("FUSE_SET_ATTR_SIZE", FuseFlags.FUSE_SET_ATTR_SIZE),
            ("FUSE_SET_ATTR_ATIME", FuseFlags.FUSE_SET_ATTR_ATIME), ("FUSE_SET_ATTR_MTIME", FuseFlags.FUSE_SET_ATTR_MTIME),
            ("FUSE_SET_ATTR_ATIME_NOW", FuseFlags.FUSE_SET_ATTR_ATIME_NOW), ("FUSE_SET_ATTR_MTIME_NOW", FuseFlags.FUSE_SET_ATTR_MTIME_NOW),
        ];
        return values;
    }
}
