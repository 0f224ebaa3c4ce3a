using System.Runtime.InteropServices;

namespace CacheFs.Hosts.Fuse.Native;

/// <summary>The libfuse3 calls with a single symbol version (see <see cref="FuseSymbols.Imported"/>).</summary>
internal static unsafe partial class LibFuse
{
    [LibraryImport(FuseSymbols.Library, EntryPoint = "fuse_mount", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Mount(nint fuse, string mountPoint);

    [LibraryImport(FuseSymbols.Library, EntryPoint = "fuse_unmount")]
    public static partial void Unmount(nint fuse);

    [LibraryImport(FuseSymbols.Library, EntryPoint = "fuse_destroy")]
    public static partial void Destroy(nint fuse);

    [LibraryImport(FuseSymbols.Library, EntryPoint = "fuse_exit")]
    public static partial void Exit(nint fuse);

    /// <summary>Frees an argument list that fuse_new's option parser replaced with its own allocation.</summary>
    [LibraryImport(FuseSymbols.Library, EntryPoint = "fuse_opt_free_args")]
    public static partial void FreeArgs(FuseArgs* args);

    [LibraryImport(FuseSymbols.Library, EntryPoint = "fuse_get_context")]
    public static partial FuseContext* GetContext();

    /// <summary>Drops the kernel's cached attributes and data of a path (for changes that did not come through the kernel).</summary>
    [LibraryImport(FuseSymbols.Library, EntryPoint = "fuse_invalidate_path", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int InvalidatePath(nint fuse, string path);

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

    public static nint New(FuseArgs* args, FuseOperations* operations, nint privateData) =>
        VersionedFuse.New(args, operations, (nuint)sizeof(FuseOperations), privateData);

    /// <summary>Runs the multithreaded loop until the file system is unmounted; returns 0 or a negated errno.</summary>
    public static int LoopMultithreaded(nint fuse, nint loopConfig) => VersionedFuse.LoopMt(fuse, loopConfig);
}
