using System.Buffers.Binary;
using System.Text;

namespace CacheFs.Hosts.WinFsp;

/// <summary>
/// The core's POSIX symlink targets as Windows symlink reparse points (IO_REPARSE_TAG_SYMLINK with its
/// REPARSE_DATA_BUFFER) and back, README "Windows host":
/// <list type="bullet">
/// <item>a relative target ("../a/b") is a relative symlink ("..\a\b");</item>
/// <item>a rooted target ("/a/b") is a relative symlink rooted at the volume ("\a\b"): Windows resolves it from the root
/// of the drive the link is on, as Linux would from the mount if the volume were mounted at "/";</item>
/// <item>a Windows absolute target ("C:\x", "\\server\share\x") is kept as "C:/x" and "//server/share/x", so it comes
/// back unchanged (a Linux client sees a link it cannot follow, as it could not follow the original either).</item>
/// </list>
/// '/' and '\' change places both ways, so a POSIX name that contains a '\' does not survive the trip.
/// </summary>
internal static class SymlinkReparse
{
    public const uint Tag = 0xA000_000C; // IO_REPARSE_TAG_SYMLINK
    private const uint RelativeFlag = 1; // SYMLINK_FLAG_RELATIVE
    private const int HeaderSize = 8; // ReparseTag, ReparseDataLength, Reserved
    private const int PathBufferOffset = HeaderSize + 12; // name offsets and lengths, Flags
    private const string NtPrefix = "\\??\\";
    private const string UncPrefix = "UNC\\";

    /// <summary>What reparse data may take: WinFsp carries it in one 16 KiB transaction buffer, less its header.</summary>
    private const int MaxData = 15 * 1024;

    /// <summary>The reparse data Windows is given for a core symlink's target.</summary>
    public static byte[] Of(string target)
    {
        string substitute, print;
        var relative = true;
        var windows = target.Replace('/', '\\');
        if (IsDriveAbsolute(target))
        {
            (substitute, print, relative) = (NtPrefix + windows, windows, false);
        }
        else if (target.StartsWith("//", StringComparison.Ordinal))
        {
            (substitute, print, relative) = (NtPrefix + UncPrefix + windows[2..], windows, false);
        }
        else
        {
            substitute = print = windows;
        }

        // The print name is only for display: a long target goes without it, so the data fits one WinFsp reply.
        if (PathBufferOffset + (2 * (substitute.Length + print.Length)) > MaxData)
            print = "";

        var names = Encoding.Unicode.GetBytes(substitute + print);
        var data = new byte[PathBufferOffset + names.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(data, Tag);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(4), (ushort)(data.Length - HeaderSize));
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(8), 0);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(10), (ushort)(substitute.Length * 2));
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(12), (ushort)(substitute.Length * 2));
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(14), (ushort)(print.Length * 2));
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(16), relative ? RelativeFlag : 0);
        names.CopyTo(data, PathBufferOffset);
        return data;
    }

    /// <summary>The reparse tag of reparse data, or 0 when it is too short to have one.</summary>
    public static uint TagOf(byte[]? data) => data is { Length: >= 4 } ? BinaryPrimitives.ReadUInt32LittleEndian(data) : 0;

    /// <summary>
    /// The core target of symlink reparse data, or null when it is malformed, empty, or names something only Windows can
    /// reach (a device or volume path such as "\??\Volume{...}\x").
    /// </summary>
    public static string? TargetOf(byte[] data)
    {
        if (data.Length < PathBufferOffset || TagOf(data) != Tag || BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(4)) + HeaderSize > data.Length)
            return null;
        int offset = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(8)), length = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(10));
        var relative = (BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(16)) & RelativeFlag) != 0;
        if (length == 0 || length % 2 != 0 || PathBufferOffset + offset + length > data.Length)
            return null;
        var substitute = Encoding.Unicode.GetString(data, PathBufferOffset + offset, length);
        if (substitute.Contains('\0', StringComparison.Ordinal))
            return null;
        if (relative)
            return substitute.Replace('\\', '/');
        if (!substitute.StartsWith(NtPrefix, StringComparison.Ordinal))
            return null;
        var path = substitute[NtPrefix.Length..];
        if (path.StartsWith(UncPrefix, StringComparison.OrdinalIgnoreCase) && path.Length > UncPrefix.Length)
            return "//" + path[UncPrefix.Length..].Replace('\\', '/');
        var posix = path.Replace('\\', '/');
        return IsDriveAbsolute(posix) ? posix : null;
    }

    private static bool IsDriveAbsolute(string path) => path.Length >= 3 && char.IsAsciiLetter(path[0]) && path[1] == ':' && path[2] == '/';
}
