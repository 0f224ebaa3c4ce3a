using CacheFs.Origin.Http;
using CacheFs.Protocol;

namespace CacheFs.Origin.Storage;

/// <summary>
/// Checks every path a client names: the protocol's rules (<see cref="OriginPath.Validate"/>, with Windows' rules on a
/// Windows origin), and never the origin's own state directory when it lies inside the root.
/// </summary>
internal sealed class PathPolicy(string? reservedPath)
{
    private static readonly bool WindowsRules = OperatingSystem.IsWindows();

    /// <summary>The state directory's origin path when it lies inside the root, else null.</summary>
    public string? ReservedPath { get; } = reservedPath;

    public static PathPolicy For(string root, string stateDirectory)
    {
        var relative = Path.GetRelativePath(root, stateDirectory);
        var inside = relative != "." && !relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative);
        return new PathPolicy(inside ? relative.Replace(Path.DirectorySeparatorChar, '/') : null);
    }

    /// <summary>The validated path, or an InvalidPath refusal saying what is wrong with it.</summary>
    public string Check(string? path, string what = "path")
    {
        var problem = OriginPath.Validate(path, WindowsRules);
        if (problem is not null)
            throw new OriginException(ErrorCode.InvalidPath, $"Invalid {what}: {problem}");
        if (IsReserved(path!))
            throw new OriginException(ErrorCode.InvalidPath, $"Invalid {what}: '{ReservedPath}' is the origin's own state directory");
        return path!;
    }

    public bool IsReserved(string path) => ReservedPath is not null && OriginPath.IsSameOrBelow(path, ReservedPath);
}
