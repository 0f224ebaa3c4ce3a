using System.Globalization;

namespace CacheFs.Cli.Cache;

/// <summary>Ages as `--older-than` takes them: 90s, 30m, 12h, 7d, 2w (a bare number is seconds).</summary>
internal static class Age
{
    public static bool TryParse(string text, out TimeSpan age)
    {
        age = default;
        var s = text.Trim();
        if (s.Length == 0)
            return false;
        var unit = char.IsLetter(s[^1]) ? char.ToLowerInvariant(s[^1]) : 's';
        var digits = char.IsLetter(s[^1]) ? s[..^1] : s;
        if (!double.TryParse(digits, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n < 0)
            return false;
        double? seconds = unit switch
        {
            's' => n,
            'm' => n * 60,
            'h' => n * 3600,
            'd' => n * 86400,
            'w' => n * 7 * 86400,
            _ => null,
        };
        if (seconds is not { } total)
            return false;
        age = TimeSpan.FromSeconds(total);
        return true;
    }
}
