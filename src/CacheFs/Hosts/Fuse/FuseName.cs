using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;

namespace CacheFs.Hosts.Fuse;

/// <summary>The names the kernel hands us (one path component, a symlink target, an xattr name): NUL-terminated bytes.</summary>
internal static unsafe class FuseName
{
    /// <summary>The longest name in UTF-8 bytes (NAME_MAX); the kernel refuses longer ones before they reach us.</summary>
    public const int MaxBytes = 255;

    public static FsResult<string> Decode(byte* name)
    {
        var bytes = MemoryMarshal.CreateReadOnlySpanFromNullTerminated(name);

        // The journal stores names as text; a byte sequence that is not UTF-8 cannot round-trip, so it is refused.
        if (!Utf8.IsValid(bytes))
            return FsStatus.InvalidName;
        return Encoding.UTF8.GetString(bytes);
    }
}
