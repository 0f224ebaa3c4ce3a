using System.Runtime.InteropServices;

namespace CacheFs.Hosts.Fuse.Native;

/// <summary>The few glibc calls the FUSE host needs beyond libfuse ("libc" is mapped to libc.so.6 by the runtime).</summary>
internal static unsafe partial class Libc
{
    private const string Library = "libc";

    /// <summary>A symbol at an exact version (glibc ≥ 2.34 exports the dl* functions from libc itself).</summary>
    [LibraryImport(Library, EntryPoint = "dlvsym", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint DlVSym(nint handle, string symbol, string version);

    [LibraryImport(Library, EntryPoint = "dlsym", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint DlSym(nint handle, string symbol);

    [LibraryImport(Library, EntryPoint = "umount2", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Umount2(string target, int flags);

    /// <summary>Formats libfuse's log messages; on x86_64 a va_list argument is passed as a pointer.</summary>
    [LibraryImport(Library, EntryPoint = "vsnprintf")]
    public static partial int VsnPrintf(byte* buffer, nuint size, byte* format, nint args);
}
