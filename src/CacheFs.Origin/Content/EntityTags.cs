using System.Globalization;
using Microsoft.Extensions.Primitives;

namespace CacheFs.Origin.Content;

/// <summary>
/// The content's entity tag is its ContentVersion in quotes (<c>"42"</c>): If-Match on GET and PUT compares against the
/// ContentVersion, so a chmod by someone else does not make a client's cached bytes or its upload stale.
/// </summary>
internal static class EntityTags
{
    public static string Of(long contentVersion) => "\"" + contentVersion.ToString(CultureInfo.InvariantCulture) + "\"";

    /// <summary>True if any tag in the header (a list, "*", quoted or bare numbers, weak or strong) names the version.</summary>
    public static bool Matches(StringValues header, long contentVersion)
    {
        foreach (var value in header)
        {
            foreach (var item in (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (item == "*")
                    return true;
                var tag = item.StartsWith("W/", StringComparison.Ordinal) ? item[2..] : item;
                if (long.TryParse(tag.Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version == contentVersion)
                    return true;
            }
        }

        return false;
    }

    public static bool IsStar(StringValues header) => header.Count == 1 && header[0]?.Trim() == "*";
}
