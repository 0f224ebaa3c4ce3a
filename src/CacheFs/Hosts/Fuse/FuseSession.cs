using System.Runtime.InteropServices;
using System.Text;
using CacheFs.Hosts.Fuse.Native;

namespace CacheFs.Hosts.Fuse;

/// <summary>
/// The native side of one mount: the argument list, the operations table, the GCHandle that lets callbacks find their
/// <see cref="FuseHost"/>, and the <c>struct fuse_session</c>. Everything stays allocated until <see cref="Destroy"/>,
/// which runs only after the request loop has returned and every late answer is out, so nothing sees freed memory.
/// </summary>
internal sealed unsafe class FuseSession
{
    private readonly nint _session;
    private readonly FuseArgs* _args;
    private readonly byte** _argv;
    private readonly nint[] _strings;
    private readonly FuseLowlevelOps* _operations;
    private GCHandle _host;
    private bool _mounted;

    private FuseSession(nint session, FuseArgs* args, byte** argv, nint[] strings, FuseLowlevelOps* operations, GCHandle host)
    {
        _session = session;
        _args = args;
        _argv = argv;
        _strings = strings;
        _operations = operations;
        _host = host;
    }

    /// <summary>fuse_session_new with our operations; <paramref name="arguments"/> is an argv ("cachefs", "-o", "...").</summary>
    public static FuseSession Create(FuseHost host, IReadOnlyList<string> arguments)
    {
        var strings = arguments.Select(Marshal.StringToCoTaskMemUTF8).ToArray();
        var argv = (byte**)NativeMemory.AllocZeroed((nuint)(strings.Length + 1), (nuint)sizeof(nint));
        for (var i = 0; i < strings.Length; i++)
            argv[i] = (byte*)strings[i];
        var args = (FuseArgs*)NativeMemory.AllocZeroed((nuint)sizeof(FuseArgs));
        *args = new FuseArgs { Count = strings.Length, Values = argv };
        var operations = (FuseLowlevelOps*)NativeMemory.AllocZeroed((nuint)sizeof(FuseLowlevelOps));
        *operations = FuseHost.OperationsFor(host.ForwardsLocks);
        var handle = GCHandle.Alloc(host);

        var native = LibFuse.SessionNew(args, operations, (nuint)sizeof(FuseLowlevelOps), GCHandle.ToIntPtr(handle));
        var session = new FuseSession(native, args, argv, strings, operations, handle);
        if (native == 0)
        {
            session.Free();
            var reason = FuseLog.TakeLastError() ?? "see the log";
            throw new FuseMountException(FuseMountError.MountFailed, $"libfuse refused the mount options ({string.Join(' ', arguments)}): {reason}");
        }

        return session;
    }

    public FuseHost Host => (FuseHost)_host.Target!;

    public void Mount(string mountPoint)
    {
        if (LibFuse.SessionMount(_session, mountPoint) != 0)
        {
            var reason = FuseLog.TakeLastError() ?? "see the log";
            throw new FuseMountException(FuseMountError.MountFailed, $"Cannot mount on {mountPoint}: {reason}");
        }

        _mounted = true;
    }

    /// <summary>Serves requests on libfuse's worker threads until the kernel ends the connection (unmount).</summary>
    public int RunLoop(FuseMountOptions options)
    {
        var config = LibFuse.LoopConfigCreate();
        try
        {
            LibFuse.LoopConfigSetMaxThreads(config, (uint)options.MaxThreads);

            // As many idle workers as workers: none is ever torn down (3.14's default too, said explicitly), so threads
            // that have run managed code live as long as the loop.
            LibFuse.LoopConfigSetIdleThreads(config, (uint)options.MaxThreads);
            LibFuse.LoopConfigSetCloneFd(config, options.CloneFd ? 1u : 0u);
            return LibFuse.SessionLoopMultithreaded(_session, config);
        }
        finally
        {
            LibFuse.LoopConfigDestroy(config);
        }
    }

    /// <summary>Drops the kernel's attributes of an inode, and its cached pages too when <paramref name="content"/>.</summary>
    public int InvalidateInode(long inode, bool content) => LibFuse.NotifyInvalInode(_session, (ulong)inode, content ? 0 : -1, 0);

    /// <summary>Drops the kernel's cached name (present or known missing) in a directory.</summary>
    public int InvalidateEntry(long parent, string name)
    {
        var bytes = Terminated(name);
        fixed (byte* start = bytes)
            return LibFuse.NotifyInvalEntry(_session, (ulong)parent, start, (nuint)(bytes.Length - 1));
    }

    /// <summary>A name of <paramref name="child"/> is gone: the kernel forgets it as after an unlink (inotify sees it).</summary>
    public int Delete(long parent, long child, string name)
    {
        var bytes = Terminated(name);
        fixed (byte* start = bytes)
            return LibFuse.NotifyDelete(_session, (ulong)parent, (ulong)child, start, (nuint)(bytes.Length - 1));
    }

    /// <summary>After the loop has returned: closes the device (unmounting if the kernel has not), then frees everything.</summary>
    public void Destroy()
    {
        if (_mounted)
            LibFuse.SessionUnmount(_session);
        _mounted = false;
        LibFuse.SessionDestroy(_session);
        Free();
    }

    /// <summary>libfuse sends the name with its NUL (length + 1 bytes).</summary>
    private static byte[] Terminated(string name) => Encoding.UTF8.GetBytes(name + "\0");

    private void Free()
    {
        // The option parser may swap in an argv of its own (allocated = 1); ours is freed separately.
        if (_args->Allocated != 0)
            LibFuse.FreeArgs(_args);
        NativeMemory.Free(_argv);
        foreach (var s in _strings)
            Marshal.FreeCoTaskMem(s);
        NativeMemory.Free(_args);
        NativeMemory.Free(_operations);
        if (_host.IsAllocated)
        {
            Host.Dispose();
            _host.Free();
        }
    }
}
