namespace CacheFs.Origin;

/// <summary>
/// Reads a tokens file: one client per line, <c>&lt;client-name&gt; &lt;sha256-hex of its token&gt;</c>; blank lines and
/// lines starting with '#' are skipped. A malformed line or a repeated client name is an error naming the line.
/// </summary>
public static class OriginTokensFile
{
    public static IReadOnlyList<OriginToken> Read(string path) => Parse(File.ReadAllLines(path), path);

    public static IReadOnlyList<OriginToken> Parse(IEnumerable<string> lines, string source)
    {
        var tokens = new List<OriginToken>();
        var number = 0;
        foreach (var raw in lines)
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 2)
                throw new FormatException($"{source}:{number}: expected '<client-name> <sha256-hex>'");
            if (tokens.Any(t => t.ClientName == fields[0]))
                throw new FormatException($"{source}:{number}: the client name '{fields[0]}' appears twice");
            try
            {
                tokens.Add(OriginToken.FromHex(fields[0], fields[1]));
            }
            catch (FormatException e)
            {
                throw new FormatException($"{source}:{number}: {e.Message}", e);
            }
        }

        return tokens;
    }
}
