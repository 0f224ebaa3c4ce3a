using System.Text;

namespace CacheFs.Protocol;

/// <summary>
/// The one spelling of a path on the wire: relative to the origin's root, '/'-separated, no empty, "." or ".."
/// segment, no NUL, no leading or trailing '/'. The root is the empty string. The origin checks every path it is given
/// with <see cref="Validate"/>, so nothing outside its root can be named.
/// </summary>
public static class OriginPath
{
    public const string Root = "";
    public const int MaxNameBytes = 255;
    public const int MaxPathBytes = 4096;

    private static readonly System.Buffers.SearchValues<char> WindowsReserved = System.Buffers.SearchValues.Create("\\:*?\"<>|");

    private static readonly HashSet<string> WindowsDeviceNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL",
        "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    };

    /// <summary>
    /// Why <paramref name="path"/> is not a valid origin path, or null if it is. With <paramref name="windowsRules"/>,
    /// also refuses what a Windows origin cannot store: '\', ':' and the other reserved characters, device names
    /// (CON, NUL, COM1 … also with an extension) and names ending in a space or a dot.
    /// </summary>
    public static string? Validate(string? path, bool windowsRules)
    {
        if (path is null)
            return "a path is required";
        if (path.Length == 0)
            return null;
        if (Encoding.UTF8.GetByteCount(path) > MaxPathBytes)
            return $"the path is longer than {MaxPathBytes} bytes";
        if (path[0] == '/')
            return "the path is absolute; paths are relative to the origin's root";
        foreach (var segment in path.Split('/'))
        {
            var problem = ValidateName(segment, windowsRules);
            if (problem is not null)
                return problem;
        }

        return null;
    }

    /// <summary>Why one name (a single path segment) is not valid, or null if it is.</summary>
    public static string? ValidateName(string name, bool windowsRules)
    {
        if (name.Length == 0)
            return "the path has an empty segment (a leading, trailing or doubled '/')";
        if (name is "." or "..")
            return $"the path has a '{name}' segment";
        if (name.Contains('\0', StringComparison.Ordinal))
            return "the path contains a NUL character";
        if (Encoding.UTF8.GetByteCount(name) > MaxNameBytes)
            return $"a name is longer than {MaxNameBytes} bytes";
        if (!windowsRules)
            return null;
        if (name.AsSpan().IndexOfAny(WindowsReserved) >= 0 || name.Any(c => c < ' '))
            return $"the name '{name}' has a character a Windows origin cannot store";
        if (name[^1] is ' ' or '.')
            return $"the name '{name}' ends in a space or a dot, which a Windows origin cannot store";
        var stem = name.Split('.')[0].TrimEnd(' ');
        return WindowsDeviceNames.Contains(stem) ? $"the name '{name}' is a Windows device name" : null;
    }

    public static string Join(string parent, string name) => parent.Length == 0 ? name : parent + "/" + name;

    /// <summary>The directory holding <paramref name="path"/> (the root for a top-level name).</summary>
    public static string Parent(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash < 0 ? Root : path[..slash];
    }

    /// <summary>The last segment of <paramref name="path"/>.</summary>
    public static string Name(string path) => path[(path.LastIndexOf('/') + 1)..];

    /// <summary>True if <paramref name="path"/> is <paramref name="ancestor"/> or lies below it.</summary>
    public static bool IsSameOrBelow(string path, string ancestor) =>
        ancestor.Length == 0
        || path == ancestor
        || (path.Length > ancestor.Length && path[ancestor.Length] == '/' && path.StartsWith(ancestor, StringComparison.Ordinal));
}
