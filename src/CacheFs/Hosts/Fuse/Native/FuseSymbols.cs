namespace CacheFs.Hosts.Fuse.Native;

/// <summary>
/// Every libfuse symbol the binding uses and the version it was written against. Those bound by
/// <c>[LibraryImport]</c> have a single version in 3.14, so the default lookup finds exactly that one (a test checks);
/// those with several versions are looked up with dlvsym at the version named here.
/// </summary>
internal static class FuseSymbols
{
    public const string Library = "libfuse3.so.3";

    /// <summary>fuse_new(args, ops, op_size, private_data); FUSE_3.0 is the older variant without option parsing changes.</summary>
    public const string NewVersion = "FUSE_3.1";

    /// <summary>fuse_loop_mt(fuse, config) with the opaque config of fuse_loop_cfg_create; 3.2 took the v1 struct.</summary>
    public const string LoopMtVersion = "FUSE_3.12";

    public static IReadOnlyList<(string Name, string Version)> Versioned { get; } =
    [
        ("fuse_new", NewVersion),
        ("fuse_loop_mt", LoopMtVersion),
    ];

    public static IReadOnlyList<(string Name, string Version)> Imported { get; } =
    [
        ("fuse_mount", "FUSE_3.0"),
        ("fuse_unmount", "FUSE_3.0"),
        ("fuse_destroy", "FUSE_3.0"),
        ("fuse_exit", "FUSE_3.0"),
        ("fuse_get_context", "FUSE_3.0"),
        ("fuse_opt_free_args", "FUSE_3.0"),
        ("fuse_invalidate_path", "FUSE_3.1"),
        ("fuse_set_log_func", "FUSE_3.7"),
        ("fuse_loop_cfg_create", "FUSE_3.12"),
        ("fuse_loop_cfg_destroy", "FUSE_3.12"),
        ("fuse_loop_cfg_set_max_threads", "FUSE_3.12"),
        ("fuse_loop_cfg_set_idle_threads", "FUSE_3.12"),
        ("fuse_loop_cfg_set_clone_fd", "FUSE_3.12"),
    ];
}
