using System.Globalization;

namespace CacheFs.Tests.Model;

/// <summary>The content objects a cache directory holds, read straight from the disk.</summary>
internal static class ContentObjects
{
    /// <summary>Objects whose node id is not in <paramref name="files"/> (a name that is not an id counts too).</summary>
    public static List<string> NotIn(string cacheDirectory, IReadOnlySet<long> files) =>
        Directory.EnumerateFiles(Path.Combine(cacheDirectory, "objects"), "*", SearchOption.AllDirectories)
            .Where(path => !long.TryParse(Path.GetFileName(path), NumberStyles.None, CultureInfo.InvariantCulture, out var id) || !files.Contains(id))
            .ToList();
}
