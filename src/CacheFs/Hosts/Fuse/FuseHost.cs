using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CacheFs.Hosts.Fuse.Native;
using CacheFs.Nodes;
using CacheFs.Volume;
using Serilog;

namespace CacheFs.Hosts.Fuse;

/// <summary>
/// libfuse's low-level callbacks mapped onto a <see cref="CacheVolume"/>. The kernel's inode numbers are the core's node
/// ids (FUSE_ROOT_ID and <see cref="NodeIds.Root"/> are both 1), so a file has one kernel inode whatever name it is
/// reached by, and calls on an open file need no name at all. Each callback is a static <c>[UnmanagedCallersOnly]</c> shim
/// (no delegates to keep alive) that finds its host through fuse_req_userdata and catches everything, so no exception
/// reaches native code; the instance method behind it translates the call, calls the core, and answers.
/// </summary>
/// <remarks>
/// Every request is answered exactly once. An instance method either answers it itself, as the very last thing it does,
/// and returns <see cref="Replied"/>, or returns the errno (0 for success without data) for its shim to answer with
/// fuse_reply_err. An exception therefore always comes before the answer, and the shim answers EIO. An answer the kernel
/// does not take only means no one waits for it any more (interrupted, or unmounting); only answers that hand the kernel
/// something it gives back later (a lookup, a handle) look at the result, to take that back.
/// </remarks>
internal sealed unsafe partial class FuseHost : IDisposable
{
    private const int Replied = -1;

    /// <summary>Ids are never reused, so every (inode, generation) pair is unique with one generation.</summary>
    private const ulong Generation = 0;

    private readonly CacheVolume _volume;
    private readonly FuseMountOptions _options;
    private readonly ILogger _log;
    private readonly KernelCache _kernelCache = new();
    private readonly KernelInodes _inodes;
    private readonly AsyncReplies _asyncReplies = new(Math.Clamp(Environment.ProcessorCount, 2, 4));
    private readonly TaskCompletionSource _initialized = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public FuseHost(CacheVolume volume, FuseMountOptions options, ILogger log)
    {
        _volume = volume;
        _options = options;
        _log = log.ForContext<FuseHost>();
        _inodes = new KernelInodes(_kernelCache.Forget);
    }

    /// <summary>Completes when the kernel's INIT has been answered: the mount is ready.</summary>
    public Task Initialized => _initialized.Task;

    /// <summary>What the kernel holds: its lookup count per inode.</summary>
    public KernelInodes Inodes => _inodes;

    /// <summary>Whether locks go to the origin (a mirrored volume); otherwise the kernel keeps them, as for any local file system.</summary>
    public bool ForwardsLocks => _volume.Locks is not null;

    public static FuseLowlevelOps OperationsFor(bool forwardLocks)
    {
        var operations = Operations;
        if (forwardLocks)
        {
            operations.Getlk = &OnGetlk;
            operations.Setlk = &OnSetlk;
            operations.Flock = &OnFlock;
        }

        return operations;
    }

    private static FuseLowlevelOps Operations => new()
    {
        Init = &OnInit,
        Destroy = &OnDestroy,
        Lookup = &OnLookup,
        Forget = &OnForget,
        Getattr = &OnGetattr,
        Setattr = &OnSetattr,
        Readlink = &OnReadlink,
        Mknod = &OnMknod,
        Mkdir = &OnMkdir,
        Unlink = &OnUnlink,
        Rmdir = &OnRmdir,
        Symlink = &OnSymlink,
        Rename = &OnRename,
        Link = &OnLink,
        Open = &OnOpen,
        Read = &OnRead,
        Write = &OnWrite,
        Flush = &OnFlush,
        Release = &OnRelease,
        Fsync = &OnFsync,
        Opendir = &OnOpendir,
        Readdir = &OnReaddir,
        Releasedir = &OnReleasedir,
        Fsyncdir = &OnFsyncdir,
        Statfs = &OnStatfs,
        Setxattr = &OnSetxattr,
        Getxattr = &OnGetxattr,
        Listxattr = &OnListxattr,
        Removexattr = &OnRemovexattr,
        Create = &OnCreate,
        ForgetMulti = &OnForgetMulti,
        Fallocate = &OnFallocate,
        Readdirplus = &OnReaddirplus,
        CopyFileRange = &OnCopyFileRange,
    };

    /// <summary>
    /// After the request loop has ended: waits until the reads answered from a continuation have all answered (their
    /// waits are cancelled), so the session can be freed under none of them. False if one is still out after <paramref name="timeout"/>.
    /// </summary>
    public bool DrainAsyncReplies(TimeSpan timeout) => _asyncReplies.Drain(timeout);

    public void Dispose() => _asyncReplies.Dispose();

    private static FuseHost Of(nint request) => FromUserdata(LibFuse.RequestUserdata(request));

    private static FuseHost FromUserdata(nint userdata) => (FuseHost)GCHandle.FromIntPtr(userdata).Target!;

    /// <summary>Answers with <paramref name="result"/> unless the method has answered already.</summary>
    private static void Finish(nint request, int result)
    {
        if (result != Replied)
            _ = LibFuse.ReplyError(request, result);
    }

    /// <summary>The shims' catch: logs, and answers EIO.</summary>
    private static void Crashed(nint request, Exception e, [CallerMemberName] string callback = "")
    {
        LogCrash(request, e, callback);
        _ = LibFuse.ReplyError(request, Errno.EIO);
    }

    private static void LogCrash(nint request, Exception e, string callback)
    {
        try
        {
            var log = (request != 0 ? TryOf(request)?._log : null) ?? Log.Logger;
            log.Error(e, "FUSE callback {Callback} failed; answering EIO", callback);
        }
        catch (Exception)
        {
            // Logging must not be the thing that crosses into native code.
        }
    }

    private static FuseHost? TryOf(nint request)
    {
        try
        {
            return Of(request);
        }
        catch (Exception)
        {
            return null;
        }
    }

    [UnmanagedCallersOnly]
    private static void OnInit(nint userdata, FuseConnInfo* connection)
    {
        try
        {
            FromUserdata(userdata).Init(connection);
        }
        catch (Exception e)
        {
            LogCrash(0, e, nameof(OnInit));
        }
    }

    [UnmanagedCallersOnly]
    private static void OnDestroy(nint userdata)
    {
        try
        {
            FromUserdata(userdata)._log.Debug("FUSE session destroyed");
        }
        catch (Exception e)
        {
            LogCrash(0, e, nameof(OnDestroy));
        }
    }

    private void Init(FuseConnInfo* connection)
    {
        connection->MaxWrite = (uint)_options.MaxWrite;

        // No writeback cache: a write reaches the core before write(2) returns, so fsync has nothing still held in the
        // kernel, and another client's change (through the origin) never races dirty pages here. Symlink targets never
        // change in the core. Export support: file handles (open_by_handle_at, NFS) name inodes by id, see LookupDots.
        // Splice write: read answers go from the content object to the kernel without a copy through our memory.
        const uint wanted = FuseFlags.FUSE_CAP_ASYNC_READ | FuseFlags.FUSE_CAP_ATOMIC_O_TRUNC | FuseFlags.FUSE_CAP_PARALLEL_DIROPS
            | FuseFlags.FUSE_CAP_AUTO_INVAL_DATA | FuseFlags.FUSE_CAP_READDIRPLUS | FuseFlags.FUSE_CAP_READDIRPLUS_AUTO
            | FuseFlags.FUSE_CAP_ASYNC_DIO | FuseFlags.FUSE_CAP_CACHE_SYMLINKS | FuseFlags.FUSE_CAP_EXPORT_SUPPORT
            | FuseFlags.FUSE_CAP_SPLICE_WRITE;

        // libfuse's defaults include handle_killpriv, which would leave clearing setuid and setgid on write, truncate and
        // chown to us; the core does not, so the kernel keeps doing it (with a setattr of the mode).
        const uint unwanted = FuseFlags.FUSE_CAP_HANDLE_KILLPRIV | FuseFlags.FUSE_CAP_WRITEBACK_CACHE;
        connection->Want = ((connection->Want | wanted) & ~unwanted) & connection->Capable;
        _log.Information(
            "FUSE protocol {Major}.{Minor}: max_write {MaxWrite}, max_readahead {MaxReadahead}, capabilities {Want:x} of {Capable:x}",
            connection->ProtocolMajor,
            connection->ProtocolMinor,
            connection->MaxWrite,
            connection->MaxReadahead,
            connection->Want,
            connection->Capable);
        _initialized.TrySetResult();
    }

    /// <summary>The creator from the request; a setgid directory passes on its group (and, to directories, the bit).</summary>
    private static NewNode Owner(nint request, NodeAttributes parent, uint mode, bool directory)
    {
        var context = LibFuse.RequestContext(request);
        var permissions = mode & Posix.PermissionBits & ~context->Umask;
        var gid = context->Gid;
        if ((parent.Mode & Posix.S_ISGID) != 0)
        {
            gid = parent.Gid;
            if (directory)
                permissions |= Posix.S_ISGID;
        }

        return new NewNode(permissions, context->Uid, gid);
    }
}
