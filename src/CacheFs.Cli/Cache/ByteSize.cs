using System.Globalization;

namespace CacheFs.Cli.Cache;

/// <summary>Sizes as people type and read them: 500M, 10G, 1.5GiB, 0 (powers of 1024, as df -h).</summary>
internal static class ByteSize
{
    private static readonly string[] Units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        var s = text.Trim();
        var split = s.Length;
        while (split > 0 && char.IsLetter(s[split - 1]))
            split--;
        if (!double.TryParse(s[..split], NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || number < 0)
            return false;
        var shift = s[split..].ToUpperInvariant() switch
        {
            "" or "B" => 0,
            "K" or "KB" or "KIB" => 10,
            "M" or "MB" or "MIB" => 20,
            "G" or "GB" or "GIB" => 30,
            "T" or "TB" or "TIB" => 40,
            _ => -1,
        };
        if (shift < 0)
            return false;
        var value = number * Math.Pow(2, shift);
        if (value > long.MaxValue)
            return false;
        bytes = (long)value;
        return true;
    }

    public static string Format(long bytes)
    {
        double value = bytes;
        var unit = 0;
        while (Math.Abs(value) >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0 ? $"{bytes} B" : value.ToString(value < 10 ? "0.0#" : "0.#", CultureInfo.InvariantCulture) + " " + Units[unit];
    }
}
