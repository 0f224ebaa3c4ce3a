using System.Globalization;
using System.Security.Cryptography;

namespace CacheFs.Cli.Tests.Mount;

/// <summary>
/// What the crash workload promised: after each fsync returned it appended a line, outside the mount.
/// "file &lt;path&gt; &lt;size&gt; &lt;sha256&gt;" is a whole file; "prefix &lt;path&gt; &lt;length&gt; &lt;sha256&gt;" the first bytes of a
/// file that kept growing.
/// </summary>
internal sealed class FsyncLedger(string path)
{
    public string Path { get; } = path;

    public int Count => File.Exists(Path) ? File.ReadLines(Path).Count() : 0;

    /// <summary>Checks every promise against the mount; returns what broke (empty when all held) and how many were checked.</summary>
    public (List<string> Broken, int Checked) Verify(string mountPoint)
    {
        var broken = new List<string>();
        var promises = File.Exists(Path) ? File.ReadAllLines(Path).Select(l => l.Split(' ')).Where(f => f.Length == 4).ToList() : [];

        // A growing file is checked once, against its longest synced prefix.
        var longestPrefixes = promises.Where(p => p[0] == "prefix").GroupBy(p => p[1]).Select(g => g.MaxBy(p => long.Parse(p[2], CultureInfo.InvariantCulture))!);
        var toCheck = promises.Where(p => p[0] == "file").Concat(longestPrefixes).ToList();
        foreach (var (kind, relative, length, hash) in toCheck.Select(p => (p[0], p[1], long.Parse(p[2], CultureInfo.InvariantCulture), p[3])))
        {
            var full = System.IO.Path.Combine(mountPoint, relative);
            if (!File.Exists(full))
            {
                broken.Add($"{relative}: missing ({kind} of {length} bytes was fsynced)");
                continue;
            }

            var content = File.ReadAllBytes(full);
            if (kind == "file" ? content.Length != length : content.Length < length)
                broken.Add($"{relative}: {content.Length} bytes, fsynced {kind} of {length}");
            else if (Convert.ToHexStringLower(SHA256.HashData(content.AsSpan(0, (int)length))) != hash)
                broken.Add($"{relative}: the first {length} bytes differ from what was fsynced");
        }

        return (broken, toCheck.Count);
    }
}
