using System.Runtime.InteropServices;

namespace CacheFs.Hosts.Fuse.Native;

/// <summary>
/// libfuse3 symbols with several versions, resolved with dlvsym at exactly the version we speak: a later libfuse that
/// moves the default version (as 3.12 did for fuse_session_loop_mt) cannot hand us a function with another signature.
/// </summary>
internal static unsafe class VersionedFuse
{
    public static readonly delegate* unmanaged<nint, nint, int> SessionLoopMt =
        (delegate* unmanaged<nint, nint, int>)Resolve("fuse_session_loop_mt", FuseSymbols.SessionLoopMtVersion);

    /// <summary>The address of <paramref name="name"/>@<paramref name="version"/>; throws when libfuse3 lacks it.</summary>
    public static nint Resolve(string name, string version)
    {
        var library = NativeLibrary.Load(FuseSymbols.Library);
        var address = Libc.DlVSym(library, name, version);
        if (address == 0)
            throw new EntryPointNotFoundException($"{FuseSymbols.Library} has no {name}@{version}.");
        return address;
    }
}
