using System.Globalization;

namespace CacheFs.Sync.Engine;

/// <summary>
/// The readable name a clashing version is kept under, beside the original (DESIGN "Offline and reconcile"):
/// <c>report (conflict ws-042 2026-11-21 143005).docx</c>.
/// </summary>
internal static class ConflictNames
{
    /// <summary>The name for <paramref name="path"/>; <paramref name="attempt"/> above 1 (that name was taken) adds a number.</summary>
    public static string For(string path, string clientName, DateTimeOffset when, int attempt = 1)
    {
        var slash = path.LastIndexOf('/');
        var directory = slash < 0 ? "" : path[..(slash + 1)];
        var name = path[(slash + 1)..];
        var dot = name.LastIndexOf('.');
        var (stem, extension) = dot > 0 ? (name[..dot], name[dot..]) : (name, "");
        var stamp = when.UtcDateTime.ToString("yyyy-MM-dd HHmmss", CultureInfo.InvariantCulture);
        var client = string.Concat(clientName.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-'));
        var number = attempt > 1 ? " " + attempt.ToString(CultureInfo.InvariantCulture) : "";
        return $"{directory}{stem} (conflict {client} {stamp}{number}){extension}";
    }
}
