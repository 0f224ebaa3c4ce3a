using CacheFs.Volume;

namespace CacheFs.Hosts.WinFsp;

/// <summary>
/// How a Windows EA name maps to the core's xattrs (README, "Windows host"). An EA "NAME" is the xattr "user.NAME":
/// Linux clients may only read and write the user namespace, so that is where Windows' attributes must live for them to
/// see them, and the other namespaces (security, trusted, system) stay out of Windows' reach. EA names are
/// case-insensitive ASCII and NTFS keeps them upper-cased, so the xattr is stored upper-cased too; a user.* xattr a
/// Linux client set in another case is still the same EA to Windows (it is replaced when Windows sets that name).
/// </summary>
internal static class EaNames
{
    public const string Prefix = "user.";

    /// <summary>The longest EA name: the core's xattr name limit less the prefix (NTFS takes 254).</summary>
    public const int MaxName = CacheVolume.MaxXattrName - 5;

    /// <summary>The longest value an EA entry can carry (EaValueLength is 16 bits).</summary>
    public const int MaxValue = ushort.MaxValue;

    /// <summary>
    /// The most a file's EAs may take, laid out as in a reply: WinFsp carries a QueryEa reply in one 16 KiB transaction
    /// buffer, so a larger set could be written but never read back (NTFS allows 64 KiB).
    /// </summary>
    public const int MaxList = 15 * 1024;

    private const string Illegal = "\"*+,/:;<=>?[\\]|";

    /// <summary>A name NTFS (and WinFsp's kernel driver, after FAT) accepts: printable ASCII without the FAT specials.</summary>
    public static bool IsValid(string name) =>
        name.Length is > 0 and <= MaxName && name.All(c => c is >= ' ' and <= '~' && !Illegal.Contains(c, StringComparison.Ordinal));

    public static string XattrOf(string eaName) => Prefix + eaName.ToUpperInvariant();

    /// <summary>The EA an xattr appears as on Windows, or null when it cannot be one (another namespace, a name or value Windows cannot hold).</summary>
    public static string? EaOf(string xattrName) =>
        xattrName.StartsWith(Prefix, StringComparison.Ordinal) && IsValid(xattrName[Prefix.Length..]) ? xattrName[Prefix.Length..].ToUpperInvariant() : null;
}
