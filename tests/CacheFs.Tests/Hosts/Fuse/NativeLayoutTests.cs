using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CacheFs.Hosts.Fuse;
using CacheFs.Hosts.Fuse.Native;

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
    public void FuseOperations_Slots_AreTheFortyTwoOfLibfuse314()
    {
        sizeof(FuseOperations).Should().Be(42 * sizeof(nint));
        typeof(FuseOperations).GetFields().Should().HaveCount(42);
    }

    [Fact]
    public void BlittableStructs_MarshalSize_EqualsUnmanagedSize()
    {
        Marshal.SizeOf<Stat>().Should().Be(sizeof(Stat));
        Marshal.SizeOf<StatVfs>().Should().Be(sizeof(StatVfs));
        Marshal.SizeOf<Timespec>().Should().Be(sizeof(Timespec));
        Marshal.SizeOf<FuseFileInfo>().Should().Be(sizeof(FuseFileInfo));
        Marshal.SizeOf<FuseConfig>().Should().Be(sizeof(FuseConfig));
        Marshal.SizeOf<FuseConnInfo>().Should().Be(sizeof(FuseConnInfo));
        Marshal.SizeOf<FuseContext>().Should().Be(sizeof(FuseContext));
        Marshal.SizeOf<FuseArgs>().Should().Be(sizeof(FuseArgs));
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
        ((nint)VersionedFuse.New).Should().NotBe(0);
        ((nint)VersionedFuse.LoopMt).Should().NotBe(0);
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

        yield return ("sizeof(struct fuse_file_info)", Unsafe.SizeOf<FuseFileInfo>());
        yield return ("offsetof(struct fuse_file_info, flags)", Offset<FuseFileInfo>(nameof(FuseFileInfo.Flags)));
        yield return ("offsetof(struct fuse_file_info, fh)", Offset<FuseFileInfo>(nameof(FuseFileInfo.Handle)));
        yield return ("offsetof(struct fuse_file_info, lock_owner)", Offset<FuseFileInfo>(nameof(FuseFileInfo.LockOwner)));
        yield return ("offsetof(struct fuse_file_info, poll_events)", Offset<FuseFileInfo>(nameof(FuseFileInfo.PollEvents)));

        yield return ("sizeof(struct fuse_config)", Unsafe.SizeOf<FuseConfig>());
        foreach (var (c, ours) in new[]
        {
            ("set_gid", nameof(FuseConfig.SetGid)), ("gid", nameof(FuseConfig.Gid)), ("set_uid", nameof(FuseConfig.SetUid)),
            ("uid", nameof(FuseConfig.Uid)), ("set_mode", nameof(FuseConfig.SetMode)), ("umask", nameof(FuseConfig.Umask)),
            ("entry_timeout", nameof(FuseConfig.EntryTimeout)), ("negative_timeout", nameof(FuseConfig.NegativeTimeout)),
            ("attr_timeout", nameof(FuseConfig.AttributeTimeout)), ("intr", nameof(FuseConfig.Interrupt)),
            ("intr_signal", nameof(FuseConfig.InterruptSignal)), ("remember", nameof(FuseConfig.Remember)),
            ("hard_remove", nameof(FuseConfig.HardRemove)), ("use_ino", nameof(FuseConfig.UseIno)),
            ("readdir_ino", nameof(FuseConfig.ReaddirIno)), ("direct_io", nameof(FuseConfig.DirectIo)),
            ("kernel_cache", nameof(FuseConfig.KernelCache)), ("auto_cache", nameof(FuseConfig.AutoCache)),
            ("no_rofd_flush", nameof(FuseConfig.NoReadOnlyFlush)), ("ac_attr_timeout_set", nameof(FuseConfig.AutoCacheAttributeTimeoutSet)),
            ("ac_attr_timeout", nameof(FuseConfig.AutoCacheAttributeTimeout)), ("nullpath_ok", nameof(FuseConfig.NullPathOk)),
            ("show_help", nameof(FuseConfig.ShowHelp)), ("modules", nameof(FuseConfig.Modules)), ("debug", nameof(FuseConfig.Debug)),
        })
        {
            yield return ($"offsetof(struct fuse_config, {c})", Offset<FuseConfig>(ours));
        }

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

        yield return ("sizeof(struct fuse_context)", Unsafe.SizeOf<FuseContext>());
        foreach (var (c, ours) in new[]
        {
            ("fuse", nameof(FuseContext.Fuse)), ("uid", nameof(FuseContext.Uid)), ("gid", nameof(FuseContext.Gid)),
            ("pid", nameof(FuseContext.Pid)), ("private_data", nameof(FuseContext.PrivateData)), ("umask", nameof(FuseContext.Umask)),
        })
        {
            yield return ($"offsetof(struct fuse_context, {c})", Offset<FuseContext>(ours));
        }

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

    private static IEnumerable<(string C, long Ours)> Operations()
    {
        string[] slots =
        [
            "getattr", "readlink", "mknod", "mkdir", "unlink", "rmdir", "symlink", "rename", "link", "chmod", "chown",
            "truncate", "open", "read", "write", "statfs", "flush", "release", "fsync", "setxattr", "getxattr", "listxattr",
            "removexattr", "opendir", "readdir", "releasedir", "fsyncdir", "init", "destroy", "access", "create", "lock",
            "utimens", "bmap", "ioctl", "poll", "write_buf", "read_buf", "flock", "fallocate", "copy_file_range", "lseek",
        ];
        var ours = typeof(FuseOperations).GetFields();
        yield return ("sizeof(struct fuse_operations)", Unsafe.SizeOf<FuseOperations>());
        for (var i = 0; i < slots.Length; i++)
        {
            var field = ours[i].Name;
            string.Equals(field.Replace("Buf", "_buf", StringComparison.Ordinal).Replace("FileRange", "_file_range", StringComparison.Ordinal), slots[i], StringComparison.OrdinalIgnoreCase)
                .Should().BeTrue($"slot {i} is {slots[i]} in the header, {field} in FuseOperations");
            yield return ($"offsetof(struct fuse_operations, {slots[i]})", Offset<FuseOperations>(field));
        }
    }

    private static (string C, long Ours)[] Constants()
    {
        (string, long)[] values =
        [
            ("EPERM", Errno.EPERM), ("ENOENT", Errno.ENOENT), ("EIO", Errno.EIO), ("E2BIG", Errno.E2BIG), ("EBADF", Errno.EBADF),
            ("EACCES", Errno.EACCES), ("EBUSY", Errno.EBUSY), ("EEXIST", Errno.EEXIST), ("EXDEV", Errno.EXDEV),
            ("ENOTDIR", Errno.ENOTDIR), ("EISDIR", Errno.EISDIR), ("EINVAL", Errno.EINVAL), ("EFBIG", Errno.EFBIG),
            ("ENOSPC", Errno.ENOSPC), ("EMLINK", Errno.EMLINK), ("ERANGE", Errno.ERANGE), ("ENAMETOOLONG", Errno.ENAMETOOLONG),
            ("ENOSYS", Errno.ENOSYS), ("ENOTEMPTY", Errno.ENOTEMPTY), ("ENODATA", Errno.ENODATA), ("EOPNOTSUPP", Errno.EOPNOTSUPP),
            ("EREMOTEIO", Errno.EREMOTEIO),
            ("S_IFMT", Posix.S_IFMT), ("S_IFSOCK", Posix.S_IFSOCK), ("S_IFLNK", Posix.S_IFLNK), ("S_IFREG", Posix.S_IFREG),
            ("S_IFBLK", Posix.S_IFBLK), ("S_IFDIR", Posix.S_IFDIR), ("S_IFCHR", Posix.S_IFCHR), ("S_IFIFO", Posix.S_IFIFO),
            ("S_ISGID", Posix.S_ISGID), ("O_ACCMODE", Posix.O_ACCMODE), ("O_RDONLY", Posix.O_RDONLY), ("O_WRONLY", Posix.O_WRONLY),
            ("O_RDWR", Posix.O_RDWR), ("O_EXCL", Posix.O_EXCL), ("O_TRUNC", Posix.O_TRUNC), ("O_APPEND", Posix.O_APPEND),
            ("RENAME_NOREPLACE", Posix.RENAME_NOREPLACE), ("RENAME_EXCHANGE", Posix.RENAME_EXCHANGE),
            ("XATTR_CREATE", Posix.XATTR_CREATE), ("XATTR_REPLACE", Posix.XATTR_REPLACE),
            ("FALLOC_FL_KEEP_SIZE", Posix.FALLOC_FL_KEEP_SIZE), ("FALLOC_FL_PUNCH_HOLE", Posix.FALLOC_FL_PUNCH_HOLE),
            ("MNT_DETACH", Posix.MNT_DETACH), ("UTIME_NOW", Timespec.UtimeNow), ("UTIME_OMIT", Timespec.UtimeOmit),
            ("FUSE_CAP_ASYNC_READ", FuseFlags.FUSE_CAP_ASYNC_READ), ("FUSE_CAP_POSIX_LOCKS", FuseFlags.FUSE_CAP_POSIX_LOCKS),
            ("FUSE_CAP_ATOMIC_O_TRUNC", FuseFlags.FUSE_CAP_ATOMIC_O_TRUNC), ("FUSE_CAP_FLOCK_LOCKS", FuseFlags.FUSE_CAP_FLOCK_LOCKS),
            ("FUSE_CAP_AUTO_INVAL_DATA", FuseFlags.FUSE_CAP_AUTO_INVAL_DATA), ("FUSE_CAP_READDIRPLUS", FuseFlags.FUSE_CAP_READDIRPLUS),
            ("FUSE_CAP_READDIRPLUS_AUTO", FuseFlags.FUSE_CAP_READDIRPLUS_AUTO), ("FUSE_CAP_ASYNC_DIO", FuseFlags.FUSE_CAP_ASYNC_DIO),
            ("FUSE_CAP_WRITEBACK_CACHE", FuseFlags.FUSE_CAP_WRITEBACK_CACHE), ("FUSE_CAP_PARALLEL_DIROPS", FuseFlags.FUSE_CAP_PARALLEL_DIROPS),
            ("FUSE_CAP_CACHE_SYMLINKS", FuseFlags.FUSE_CAP_CACHE_SYMLINKS),
            ("FUSE_READDIR_PLUS", FuseFlags.FUSE_READDIR_PLUS), ("FUSE_FILL_DIR_PLUS", FuseFlags.FUSE_FILL_DIR_PLUS),
        ];
        return values;
    }
}
