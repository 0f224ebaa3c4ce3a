namespace CacheFs.Hosts.WinFsp;

/// <summary>
/// The expression of a directory query (FindFirstFile's "*.txt"), matched as FsRtlIsNameInExpression does: '*' any run,
/// '?' one character, and the DOS forms the Win32 layer passes ('&lt;' ≈ "*" before the last dot, '&gt;' ≈ '?',
/// '"' ≈ '.'), simplified to their common meaning. The kernel filters again; matching here only saves sending names
/// the kernel would drop.
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
            if (p is '*' or '<')
            {
                var rest = pattern[1..];
                for (var skip = 0; skip <= name.Length; skip++)
                {
                    if (Match(name[skip..], rest, ignoreCase))
                        return true;
                }

                return false;
            }

            if (name.Length == 0)
                return p == '"' && Match(name, pattern[1..], ignoreCase); // DOS_DOT also matches the end of the name.
            if (p is '?' or '>' || (p == '"' && name[0] == '.') || Same(p, name[0], ignoreCase))
            {
                name = name[1..];
                pattern = pattern[1..];
                continue;
            }

            return false;
        }

        return name.Length == 0;
    }

    private static bool Same(char a, char b, bool ignoreCase) =>
        a == b || (ignoreCase && char.ToUpperInvariant(a) == char.ToUpperInvariant(b));
}
