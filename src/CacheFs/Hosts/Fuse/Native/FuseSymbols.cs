namespace CacheFs.Hosts.Fuse.Native;

/// <summary>
/// Every libfuse symbol the binding uses and the version it was written against. Those bound by
/// <c>[LibraryImport]</c> have a single version in 3.14, so the default lookup finds exactly that one (a test checks);
/// those with several versions are looked up with dlvsym at the version named here.
/// </summary>
internal static class FuseSymbols
{
    public const string Library = "libfuse3.so.3";

    /// <summary>fuse_session_loop_mt(se, config) with the opaque config of fuse_loop_cfg_create; 3.0 took clone_fd, 3.2 the v1 struct.</summary>
    public const string SessionLoopMtVersion = "FUSE_3.12";

    public static IReadOnlyList<(string Name, string Version)> Versioned { get; } =
    [
        ("fuse_session_loop_mt", SessionLoopMtVersion),
    ];

    public static IReadOnlyList<(string Name, string Version)> Imported { get; } =
    [
        ("fuse_session_new", "FUSE_3.0"),
        ("fuse_session_mount", "FUSE_3.0"),
        ("fuse_session_unmount", "FUSE_3.0"),
        ("fuse_session_destroy", "FUSE_3.0"),
        ("fuse_opt_free_args", "FUSE_3.0"),
        ("fuse_set_log_func", "FUSE_3.7"),
        ("fuse_loop_cfg_create", "FUSE_3.12"),
        ("fuse_loop_cfg_destroy", "FUSE_3.12"),
        ("fuse_loop_cfg_set_max_threads", "FUSE_3.12"),
        ("fuse_loop_cfg_set_idle_threads", "FUSE_3.12"),
        ("fuse_loop_cfg_set_clone_fd", "FUSE_3.12"),
        ("fuse_req_userdata", "FUSE_3.0"),
        ("fuse_req_ctx", "FUSE_3.0"),
        ("fuse_reply_err", "FUSE_3.0"),
        ("fuse_reply_none", "FUSE_3.0"),
        ("fuse_reply_entry", "FUSE_3.0"),
        ("fuse_reply_create", "FUSE_3.0"),
        ("fuse_reply_attr", "FUSE_3.0"),
        ("fuse_reply_readlink", "FUSE_3.0"),
        ("fuse_reply_open", "FUSE_3.0"),
        ("fuse_reply_write", "FUSE_3.0"),
        ("fuse_reply_buf", "FUSE_3.0"),
        ("fuse_reply_data", "FUSE_3.0"),
        ("fuse_reply_statfs", "FUSE_3.0"),
        ("fuse_reply_xattr", "FUSE_3.0"),
        ("fuse_reply_lock", "FUSE_3.0"),
        ("fuse_req_interrupt_func", "FUSE_3.0"),
        ("fuse_add_direntry", "FUSE_3.0"),
        ("fuse_add_direntry_plus", "FUSE_3.0"),
        ("fuse_lowlevel_notify_inval_inode", "FUSE_3.0"),
        ("fuse_lowlevel_notify_inval_entry", "FUSE_3.0"),
        ("fuse_lowlevel_notify_delete", "FUSE_3.0"),
    ];
}
