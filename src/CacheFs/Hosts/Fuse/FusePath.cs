using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;

namespace CacheFs.Hosts.Fuse;

/// <summary>The paths libfuse's high-level API hands us: NUL-terminated UTF-8, absolute, no "." or "..".</summary>
internal static unsafe class FusePath
{
    public static FsResult<string> Decode(byte* path)
    {
        if (path is null)
            return FsStatus.BadHandle; // nullpath_ok: an operation on an unlinked file came without its fh.
        var bytes = MemoryMarshal.CreateReadOnlySpanFromNullTerminated(path);

        // The journal stores names as text; a byte sequence that is not UTF-8 cannot round-trip, so it is refused.
        if (!Utf8.IsValid(bytes))
            return FsStatus.InvalidName;
        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>"/a/b/c" → ("/a/b", "c"); "/c" → ("/", "c").</summary>
    public static (string Parent, string Name) Split(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash <= 0 ? ("/", path[(slash + 1)..]) : (path[..slash], path[(slash + 1)..]);
    }
}
