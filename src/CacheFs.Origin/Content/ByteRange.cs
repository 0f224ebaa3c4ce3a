using System.Globalization;

namespace CacheFs.Origin.Content;

/// <summary>What a Range header asks of a file of a given size.</summary>
internal enum RangeKind
{
    Whole,
    Partial,
    Unsatisfiable,
}

/// <summary>
/// One byte range of a GET. A single range is served as 206; a header that is not a single valid byte range
/// (several ranges, another unit, bad syntax) is ignored and the whole file is served, as RFC 9110 allows.
/// </summary>
internal readonly record struct ByteRange(RangeKind Kind, long Start, long Length)
{
    public static ByteRange Parse(string? header, long size)
    {
        var whole = new ByteRange(RangeKind.Whole, 0, size);
        if (string.IsNullOrEmpty(header) || !header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase))
            return whole;
        var spec = header.AsSpan(6).Trim();
        var dash = spec.IndexOf('-');
        if (dash < 0 || spec.Contains(','))
            return whole;
        var first = spec[..dash].Trim();
        var last = spec[(dash + 1)..].Trim();
        if (first.IsEmpty)
        {
            if (!TryNumber(last, out var suffix))
                return whole;
            return suffix == 0 || size == 0 ? Unsatisfiable : new ByteRange(RangeKind.Partial, Math.Max(0, size - suffix), Math.Min(suffix, size));
        }

        if (!TryNumber(first, out var start))
            return whole;
        var end = size - 1;
        if (!last.IsEmpty)
        {
            if (!TryNumber(last, out end) || end < start)
                return whole;
        }

        if (start >= size)
            return Unsatisfiable;
        end = Math.Min(end, size - 1);
        return new ByteRange(RangeKind.Partial, start, end - start + 1);
    }

    private static ByteRange Unsatisfiable => new(RangeKind.Unsatisfiable, 0, 0);

    private static bool TryNumber(ReadOnlySpan<char> text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
