using System.Runtime.InteropServices;

namespace CacheFs.Hosts.Fuse.Native;

/// <summary>
/// The libfuse3 calls with a single symbol version (see <see cref="FuseSymbols.Imported"/>): the session, its loop, the
/// log, and the notifications that drop what the kernel cached. The replies are in LibFuse.Replies.cs.
/// </summary>
internal static unsafe partial class LibFuse
{
    /// <summary>Parses the mount options in <paramref name="args"/>; null when they are wrong (libfuse logs why).</summary>
    [LibraryImport(FuseSymbols.Library, EntryPoint = "fuse_session_new")]
    public static partial nint SessionNew(FuseArgs* args, FuseLowlevelOps* operations, nuint operationsSize, nint userdata);

    /// <summary>0, or -1 with the reason logged (through fusermount3 when not root).</summary>
    [LibraryImport(FuseSymbols.Library, EntryPoint = "fuse_session_mount", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SessionMount(nint session, string mountPoint);

    [LibraryImport(FuseSymbols.Library, EntryPoint = "fuse_session_unmount")]
    public static partial void SessionUnmount(nint session);

    /// <summary>Calls the destroy operation (if INIT was answered), closes /dev/fuse and frees the session.</summary>
    [LibraryImport(FuseSymbols.Library, EntryPoint = "fuse_session_destroy")]
    public static partial void SessionDestroy(nint session);

    /// <summary>Frees an argument list that the option parser replaced with its own allocation.</summary>
    [LibraryImport(FuseSymbols.Library, EntryPoint = "fuse_opt_free_args")]
    public static partial void FreeArgs(FuseArgs* args);

    /// <summary>Process-wide: libfuse's messages go to <paramref name="logFunction"/>(level, format, va_list).</summary>
    [LibraryImport(FuseSymbols.Library, EntryPoint = "fuse_set_log_func")]
    public static partial void SetLogFunction(delegate* unmanaged<int, byte*, nint, void> logFunction);

    [LibraryImport(FuseSymbols.Library, EntryPoint = "fuse_loop_cfg_create")]
    public static partial nint LoopConfigCreate();

    [LibraryImport(FuseSymbols.Library, EntryPoint = "fuse_loop_cfg_destroy")]
    public static partial void LoopConfigDestroy(nint config);

    [LibraryImport(FuseSymbols.Library, EntryPoint = "fuse_loop_cfg_set_max_threads")]
    public static partial void LoopConfigSetMaxThreads(nint config, uint value);

    [LibraryImport(FuseSymbols.Library, EntryPoint = "fuse_loop_cfg_set_idle_threads")]
    public static partial void LoopConfigSetIdleThreads(nint config, uint value);

    [LibraryImport(FuseSymbols.Library, EntryPoint = "fuse_loop_cfg_set_clone_fd")]
    public static partial void LoopConfigSetCloneFd(nint config, uint value);

    /// <summary>Drops the kernel's attributes of an inode and, unless <paramref name="offset"/> is negative, its cached pages (length 0: all).</summary>
    [LibraryImport(FuseSymbols.Library, EntryPoint = "fuse_lowlevel_notify_inval_inode")]
    public static partial int NotifyInvalInode(nint session, ulong inode, long offset, long length);

    /// <summary>Drops the kernel's cached name (positive or negative) in a directory, and the directory's attributes.</summary>
    [LibraryImport(FuseSymbols.Library, EntryPoint = "fuse_lowlevel_notify_inval_entry")]
    public static partial int NotifyInvalEntry(nint session, ulong parent, byte* name, nuint nameLength);

    /// <summary>Like <see cref="NotifyInvalEntry"/>, and if the name still leads to <paramref name="child"/>, deletes it as an unlink would (inotify sees it).</summary>
    [LibraryImport(FuseSymbols.Library, EntryPoint = "fuse_lowlevel_notify_delete")]
    public static partial int NotifyDelete(nint session, ulong parent, ulong child, byte* name, nuint nameLength);

    /// <summary>Runs the multithreaded loop until the file system is unmounted; returns 0 or a negated errno.</summary>
    public static int SessionLoopMultithreaded(nint session, nint loopConfig) => VersionedFuse.SessionLoopMt(session, loopConfig);
}
