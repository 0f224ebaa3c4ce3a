using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CacheFs.Hosts.Fuse.Native;
using CacheFs.Nodes;
using CacheFs.Volume;
using Serilog;

namespace CacheFs.Hosts.Fuse;

/// <summary>
/// libfuse's high-level callbacks mapped onto a <see cref="CacheVolume"/>. Each callback is a static
/// <c>[UnmanagedCallersOnly]</c> shim (no delegates to keep alive) that finds its host through
/// fuse_get_context()->private_data and catches everything, so no exception reaches native code; the instance method
/// behind it translates the call, calls the core, and maps the status through <see cref="Errno"/>.
/// Paths come from libfuse: the host resolves the parent and acts on the last component; handles are the core's.
/// </summary>
internal sealed unsafe partial class FuseHost
{
    private readonly CacheVolume _volume;
    private readonly FuseMountOptions _options;
    private readonly ILogger _log;
    private readonly KernelCache _kernelCache = new();
    private readonly TaskCompletionSource _initialized = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public FuseHost(CacheVolume volume, FuseMountOptions options, ILogger log)
    {
        _volume = volume;
        _options = options;
        _log = log.ForContext<FuseHost>();
    }

    /// <summary>Completes when the kernel's INIT has been answered: the mount is ready.</summary>
    public Task Initialized => _initialized.Task;

    public static FuseOperations Operations => new()
    {
        Getattr = &OnGetattr,
        Readlink = &OnReadlink,
        Mknod = &OnMknod,
        Mkdir = &OnMkdir,
        Unlink = &OnUnlink,
        Rmdir = &OnRmdir,
        Symlink = &OnSymlink,
        Rename = &OnRename,
        Link = &OnLink,
        Chmod = &OnChmod,
        Chown = &OnChown,
        Truncate = &OnTruncate,
        Open = &OnOpen,
        Read = &OnRead,
        Write = &OnWrite,
        Statfs = &OnStatfs,
        Flush = &OnFlush,
        Release = &OnRelease,
        Fsync = &OnFsync,
        Setxattr = &OnSetxattr,
        Getxattr = &OnGetxattr,
        Listxattr = &OnListxattr,
        Removexattr = &OnRemovexattr,
        Opendir = &OnOpendir,
        Readdir = &OnReaddir,
        Releasedir = &OnReleasedir,
        Fsyncdir = &OnFsyncdir,
        Init = &OnInit,
        Destroy = &OnDestroy,
        Create = &OnCreate,
        Utimens = &OnUtimens,
        Fallocate = &OnFallocate,
        CopyFileRange = &OnCopyFileRange,
    };

    private static FuseHost Current => (FuseHost)GCHandle.FromIntPtr(LibFuse.GetContext()->PrivateData).Target!;

    [UnmanagedCallersOnly]
    private static nint OnInit(FuseConnInfo* connection, FuseConfig* config)
    {
        var privateData = LibFuse.GetContext()->PrivateData;
        try
        {
            Current.Init(connection, config);
        }
        catch (Exception e)
        {
            Crashed(e);
        }

        return privateData; // Becomes private_data for every later callback.
    }

    [UnmanagedCallersOnly]
    private static void OnDestroy(nint privateData)
    {
        try
        {
            Current._log.Debug("FUSE session destroyed");
        }
        catch (Exception e)
        {
            Crashed(e);
        }
    }

    private void Init(FuseConnInfo* connection, FuseConfig* config)
    {
        // Our node ids are stable inode numbers (git and tar compare them); unlinked-but-open files stay readable in the
        // core, so libfuse need not hide them as .fuse_hidden files, and handle-based calls may come without a path.
        config->UseIno = 1;
        config->HardRemove = 1;
        config->NullPathOk = 1;
        config->EntryTimeout = _options.EntryTimeout.TotalSeconds;
        config->AttributeTimeout = _options.AttributeTimeout.TotalSeconds;
        config->NegativeTimeout = _options.NegativeTimeout.TotalSeconds;
        config->KernelCache = 0;
        config->AutoCache = 0; // keep_cache is decided per open by KernelCache instead.
        config->DirectIo = 0;

        connection->MaxWrite = (uint)_options.MaxWrite;
        const uint wanted = FuseFlags.FUSE_CAP_ASYNC_READ | FuseFlags.FUSE_CAP_ATOMIC_O_TRUNC | FuseFlags.FUSE_CAP_PARALLEL_DIROPS
            | FuseFlags.FUSE_CAP_AUTO_INVAL_DATA | FuseFlags.FUSE_CAP_READDIRPLUS | FuseFlags.FUSE_CAP_READDIRPLUS_AUTO
            | FuseFlags.FUSE_CAP_ASYNC_DIO | FuseFlags.FUSE_CAP_CACHE_SYMLINKS; // Symlink targets never change in the core.
        connection->Want |= connection->Capable & wanted;
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

    private static int Crashed(Exception e, [CallerMemberName] string callback = "")
    {
        try
        {
            var log = TryCurrent()?._log ?? Log.Logger;
            log.Error(e, "FUSE callback {Callback} failed; answering EIO", callback);
        }
        catch (Exception)
        {
            // Logging must not be the thing that crosses into native code.
        }

        return -Errno.EIO;
    }

    private static FuseHost? TryCurrent()
    {
        try
        {
            return Current;
        }
        catch (Exception)
        {
            return null;
        }
    }

    private FsResult<NodeAttributes> Resolve(byte* path)
    {
        var decoded = FusePath.Decode(path);
        return decoded.IsOk ? _volume.Resolve(decoded.Value) : decoded.Status;
    }

    /// <summary>The node of an open handle when there is one (fstat, ftruncate: the name may be gone), else of the path.</summary>
    private FsResult<NodeAttributes> NodeOf(byte* path, FuseFileInfo* fi)
    {
        if (fi is not null && _volume.NodeOfHandle(fi->Handle).TryGet(out var id))
            return _volume.GetAttributes(id);
        return Resolve(path);
    }

    /// <summary>The directory that holds the last component of <paramref name="path"/>, and that component.</summary>
    private FsStatus ResolveParent(byte* path, out NodeAttributes parent, out string name)
    {
        parent = null!;
        name = "";
        var decoded = FusePath.Decode(path);
        if (!decoded.IsOk)
            return decoded.Status;
        var (parentPath, last) = FusePath.Split(decoded.Value);
        var resolved = _volume.Resolve(parentPath);
        if (!resolved.IsOk)
            return resolved.Status;
        if (!resolved.Value.IsDirectory)
            return FsStatus.NotDirectory;
        parent = resolved.Value;
        name = last;
        return FsStatus.Ok;
    }

    /// <summary>The creator from the request context; a setgid directory passes on its group (and, to directories, the bit).</summary>
    private static NewNode Owner(NodeAttributes parent, uint mode, bool directory)
    {
        var context = LibFuse.GetContext();
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
