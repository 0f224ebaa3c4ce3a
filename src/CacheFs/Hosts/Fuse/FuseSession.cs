using System.Runtime.InteropServices;
using CacheFs.Hosts.Fuse.Native;

namespace CacheFs.Hosts.Fuse;

/// <summary>
/// The native side of one mount: the argument list, the operations table, the GCHandle that lets callbacks find their
/// <see cref="FuseHost"/>, and the <c>struct fuse</c>. Everything stays allocated until <see cref="Destroy"/>, which runs
/// only after the request loop has returned, so no callback can see freed memory.
/// </summary>
internal sealed unsafe class FuseSession
{
    private readonly nint _fuse;
    private readonly FuseArgs* _args;
    private readonly byte** _argv;
    private readonly nint[] _strings;
    private readonly FuseOperations* _operations;
    private GCHandle _host;
    private bool _mounted;

    private FuseSession(nint fuse, FuseArgs* args, byte** argv, nint[] strings, FuseOperations* operations, GCHandle host)
    {
        _fuse = fuse;
        _args = args;
        _argv = argv;
        _strings = strings;
        _operations = operations;
        _host = host;
    }

    /// <summary>fuse_new with our operations; <paramref name="arguments"/> is an argv ("cachefs", "-o", "...").</summary>
    public static FuseSession Create(FuseHost host, IReadOnlyList<string> arguments)
    {
        var strings = arguments.Select(Marshal.StringToCoTaskMemUTF8).ToArray();
        var argv = (byte**)NativeMemory.AllocZeroed((nuint)(strings.Length + 1), (nuint)sizeof(nint));
        for (var i = 0; i < strings.Length; i++)
            argv[i] = (byte*)strings[i];
        var args = (FuseArgs*)NativeMemory.AllocZeroed((nuint)sizeof(FuseArgs));
        *args = new FuseArgs { Count = strings.Length, Values = argv };
        var operations = (FuseOperations*)NativeMemory.AllocZeroed((nuint)sizeof(FuseOperations));
        *operations = FuseHost.Operations;
        var handle = GCHandle.Alloc(host);

        var fuse = LibFuse.New(args, operations, GCHandle.ToIntPtr(handle));
        var session = new FuseSession(fuse, args, argv, strings, operations, handle);
        if (fuse == 0)
        {
            session.Free();
            var reason = FuseLog.TakeLastError() ?? "see the log";
            throw new FuseMountException(FuseMountError.MountFailed, $"libfuse refused the mount options ({string.Join(' ', arguments)}): {reason}");
        }

        return session;
    }

    public void Mount(string mountPoint)
    {
        if (LibFuse.Mount(_fuse, mountPoint) != 0)
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
            return LibFuse.LoopMultithreaded(_fuse, config);
        }
        finally
        {
            LibFuse.LoopConfigDestroy(config);
        }
    }

    /// <summary>After the loop has returned: closes the device (unmounting if the kernel has not), then frees everything.</summary>
    public void Destroy()
    {
        if (_mounted)
            LibFuse.Unmount(_fuse);
        _mounted = false;
        LibFuse.Destroy(_fuse);
        Free();
    }

    private void Free()
    {
        // fuse_new's option parser swaps in an argv of its own (allocated = 1); ours is freed separately.
        if (_args->Allocated != 0)
            LibFuse.FreeArgs(_args);
        NativeMemory.Free(_argv);
        foreach (var s in _strings)
            Marshal.FreeCoTaskMem(s);
        NativeMemory.Free(_args);
        NativeMemory.Free(_operations);
        if (_host.IsAllocated)
            _host.Free();
    }
}
