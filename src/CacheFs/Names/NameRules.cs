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
        if (name.AsSpan().IndexOfAny('/', '\0') >= 0 || HasLoneSurrogate(name))
            return FsStatus.InvalidName;
        if (Encoding.UTF8.GetByteCount(name) > MaxNameBytes)
            return FsStatus.NameTooLong;
        return FsStatus.Ok;
    }

    /// <summary>
    /// A lone UTF-16 surrogate (legal in an NTFS name) has no UTF-8 form: the journal would store U+FFFD instead, so
    /// the name would list differently from how it was created and clash with every other name spelled that way.
    /// </summary>
    private static bool HasLoneSurrogate(ReadOnlySpan<char> name)
    {
        for (var i = name.IndexOfAnyInRange('\uD800', '\uDFFF'); i >= 0 && i < name.Length; i++)
        {
            if (char.IsHighSurrogate(name[i]) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
                i++;
            else if (char.IsSurrogate(name[i]))
                return true;
        }

        return false;
    }

    /// <summary>The key a name is stored and looked up under: itself, or its invariant upper case.</summary>
    public string Fold(string name) => CaseSensitive ? name : name.ToUpperInvariant();
}
