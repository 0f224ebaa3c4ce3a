namespace CacheFs.Hosts.WinFsp;

/// <summary>
/// The expression of a directory query (FindFirstFile's "*.txt"): '*' any run, '?' one character. WinFsp's kernel driver
/// filters every entry again with FsRtlIsNameInExpression, so this match only saves sending names it would drop, and
/// must never drop one it would keep: the DOS forms the Win32 layer passes ('&lt;', '&gt;', '"') are matched loosely, as
/// "*", "zero or one character" and "a dot or nothing", each a superset of the exact rule.
/// </summary>
internal static class WildcardPattern
{
    public static bool IsAll(string? pattern) => pattern is null or "" or "*" or "*.*" or "<\"*";

    public static bool Matches(string name, string pattern, bool ignoreCase) =>
        Match(name.AsSpan(), pattern.AsSpan(), ignoreCase);

    private static bool Match(ReadOnlySpan<char> name, ReadOnlySpan<char> pattern, bool ignoreCase)
    {
        while (pattern.Length > 0)
        {
            var p = pattern[0];
            var rest = pattern[1..];
            switch (p)
            {
                case '*' or '<':
                    for (var skip = 0; skip <= name.Length; skip++)
                    {
                        if (Match(name[skip..], rest, ignoreCase))
                            return true;
                    }

                    return false;
                case '>':
                    return Match(name, rest, ignoreCase) || (name.Length > 0 && Match(name[1..], rest, ignoreCase));
                case '"':
                    return Match(name, rest, ignoreCase) || (name.Length > 0 && name[0] == '.' && Match(name[1..], rest, ignoreCase));
            }

            if (name.Length == 0 || !(p == '?' || Same(p, name[0], ignoreCase)))
                return false;
            name = name[1..];
            pattern = rest;
        }

        return name.Length == 0;
    }

    private static bool Same(char a, char b, bool ignoreCase) =>
        a == b || (ignoreCase && char.ToUpperInvariant(a) == char.ToUpperInvariant(b));
}
