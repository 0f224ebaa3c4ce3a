using System.Runtime.InteropServices;

namespace CacheFs.Hosts.Fuse.Native;

/// <summary>
/// The answers to a request. Each fuse_reply_* frees the request, so exactly one is called per request (forget and
/// forget_multi take fuse_reply_none). They return 0, or a negated errno when the kernel did not take the answer
/// (-ENOENT: the request was interrupted and is gone).
/// </summary>
internal static unsafe partial class LibFuse
{
    /// <summary>What fuse_session_new was given as userdata: a GCHandle to our host.</summary>
    [LibraryImport(FuseSymbols.Library, EntryPoint = "fuse_req_userdata")]
    public static partial nint RequestUserdata(nint request);

    [LibraryImport(FuseSymbols.Library, EntryPoint = "fuse_req_ctx")]
    public static partial FuseCtx* RequestContext(nint request);

    /// <summary>0 answers success without data (unlink, rename, release …); anything else is a positive errno.</summary>
    [LibraryImport(FuseSymbols.Library, EntryPoint = "fuse_reply_err")]
    public static partial int ReplyError(nint request, int error);

    [LibraryImport(FuseSymbols.Library, EntryPoint = "fuse_reply_none")]
    public static partial void ReplyNone(nint request);

    /// <summary>A name: the kernel counts one lookup of the inode when it takes this.</summary>
    [LibraryImport(FuseSymbols.Library, EntryPoint = "fuse_reply_entry")]
    public static partial int ReplyEntry(nint request, FuseEntryParam* entry);

    /// <summary>A name and an open file: one lookup, as <see cref="ReplyEntry"/>.</summary>
    [LibraryImport(FuseSymbols.Library, EntryPoint = "fuse_reply_create")]
    public static partial int ReplyCreate(nint request, FuseEntryParam* entry, FuseFileInfo* fileInfo);

    [LibraryImport(FuseSymbols.Library, EntryPoint = "fuse_reply_attr")]
    public static partial int ReplyAttributes(nint request, Stat* attributes, double timeout);

    /// <summary>A NUL-terminated target.</summary>
    [LibraryImport(FuseSymbols.Library, EntryPoint = "fuse_reply_readlink")]
    public static partial int ReplyReadlink(nint request, byte* target);

    [LibraryImport(FuseSymbols.Library, EntryPoint = "fuse_reply_open")]
    public static partial int ReplyOpen(nint request, FuseFileInfo* fileInfo);

    [LibraryImport(FuseSymbols.Library, EntryPoint = "fuse_reply_write")]
    public static partial int ReplyWrite(nint request, nuint count);

    /// <summary>Data: read, readdir, getxattr and listxattr.</summary>
    [LibraryImport(FuseSymbols.Library, EntryPoint = "fuse_reply_buf")]
    public static partial int ReplyBuffer(nint request, byte* buffer, nuint size);

    /// <summary>
    /// Data from <paramref name="buffers"/>; a file range is spliced (with FUSE_CAP_SPLICE_WRITE) through a pipe libfuse
    /// keeps per calling thread, or read and written when splicing is not possible. A file shorter than the range
    /// answers with fewer bytes.
    /// </summary>
    [LibraryImport(FuseSymbols.Library, EntryPoint = "fuse_reply_data")]
    public static partial int ReplyData(nint request, FuseBufVec* buffers, int copyFlags);

    [LibraryImport(FuseSymbols.Library, EntryPoint = "fuse_reply_statfs")]
    public static partial int ReplyStatfs(nint request, StatVfs* stats);

    /// <summary>getlk's answer: the conflicting lock, or the asked one with l_type F_UNLCK when nothing is in the way.</summary>
    [LibraryImport(FuseSymbols.Library, EntryPoint = "fuse_reply_lock")]
    public static partial int ReplyLock(nint request, Flock* lockInfo);

    /// <summary>
    /// Registers (or with a null function, unregisters) what to call when the kernel interrupts the request. Called at
    /// once if the interrupt already came; once this returns after unregistering, the function is not running and never
    /// will be for this request.
    /// </summary>
    [LibraryImport(FuseSymbols.Library, EntryPoint = "fuse_req_interrupt_func")]
    public static partial void RequestInterruptFunction(nint request, delegate* unmanaged<nint, nint, void> function, nint data);

    /// <summary>The size a getxattr or listxattr of size 0 asked for.</summary>
    [LibraryImport(FuseSymbols.Library, EntryPoint = "fuse_reply_xattr")]
    public static partial int ReplyXattrSize(nint request, nuint count);

    /// <summary>
    /// Puts one readdir entry at <paramref name="buffer"/> (only st_ino and the type bits of st_mode are used) and returns
    /// its size; when that exceeds <paramref name="size"/>, nothing was written. A null buffer only measures.
    /// </summary>
    [LibraryImport(FuseSymbols.Library, EntryPoint = "fuse_add_direntry")]
    public static partial nuint AddDirectoryEntry(nint request, byte* buffer, nuint size, byte* name, Stat* stat, long nextOffset);

    /// <summary>A readdirplus entry, as <see cref="AddDirectoryEntry"/>; the kernel counts a lookup for each it takes (not "." and "..").</summary>
    [LibraryImport(FuseSymbols.Library, EntryPoint = "fuse_add_direntry_plus")]
    public static partial nuint AddDirectoryEntryPlus(nint request, byte* buffer, nuint size, byte* name, FuseEntryParam* entry, long nextOffset);
}
