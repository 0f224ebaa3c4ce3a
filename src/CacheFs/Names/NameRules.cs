using System.Text;

namespace CacheFs.Names;

/// <summary>What a single name component may be, and how names compare in this volume.</summary>
internal sealed class NameRules
{
    /// <summary>The longest name in UTF-8 bytes, as on ext4 and NTFS (255 UTF-16 units there; bytes here).</summary>
    public const int MaxNameBytes = 255;

    private NameRules(bool caseSensitive) => CaseSensitive = caseSensitive;

    public static NameRules Sensitive { get; } = new(caseSensitive: true);

    public static NameRules Insensitive { get; } = new(caseSensitive: false);

    public bool CaseSensitive { get; }

    public static FsStatus Validate(string? name)
    {
        if (string.IsNullOrEmpty(name) || name is "." or "..")
            return FsStatus.InvalidName;
        if (name.AsSpan().IndexOfAny('/', '\0') >= 0)
            return FsStatus.InvalidName;
        if (Encoding.UTF8.GetByteCount(name) > MaxNameBytes)
            return FsStatus.NameTooLong;
        return FsStatus.Ok;
    }

    /// <summary>The key a name is stored and looked up under: itself, or its invariant upper case.</summary>
    public string Fold(string name) => CaseSensitive ? name : name.ToUpperInvariant();
}
