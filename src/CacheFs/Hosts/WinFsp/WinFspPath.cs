namespace CacheFs.Hosts.WinFsp;

/// <summary>WinFsp's names ("\dir\file", "\" for the root) as the core's components.</summary>
internal static class WinFspPath
{
    public static string[] Components(string fileName) => fileName.Split('\\', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The parent's components and the last name; the root has no last name.</summary>
    public static (string[] Parent, string? Name) Split(string fileName)
    {
        var parts = Components(fileName);
        return parts.Length == 0 ? (parts, null) : (parts[..^1], parts[^1]);
    }

    /// <summary>The core's '/'-separated path of a node as WinFsp's normalized name.</summary>
    public static string FromCore(string corePath) => "\\" + corePath.Replace('/', '\\');
}
