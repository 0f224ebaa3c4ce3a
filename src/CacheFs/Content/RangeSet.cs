using System.Collections;

namespace CacheFs.Content;

/// <summary>
/// Sorted, disjoint, non-adjacent half-open byte ranges [start, end): which parts of a file the cache holds.
/// Not thread-safe; its owner guards it.
/// </summary>
public sealed class RangeSet : IEnumerable<(long Start, long End)>
{
    private readonly List<(long Start, long End)> _ranges = [];

    public int Count => _ranges.Count;

    /// <summary>Total bytes covered.</summary>
    public long Length
    {
        get
        {
            long total = 0;
            foreach (var (start, end) in _ranges)
                total += end - start;
            return total;
        }
    }

    public void Add(long start, long end)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        if (end <= start)
            return;

        // Find the first range that ends at or after start (it may touch or overlap the new one).
        var i = FirstEndingAtOrAfter(start);
        var j = i;
        while (j < _ranges.Count && _ranges[j].Start <= end)
        {
            start = Math.Min(start, _ranges[j].Start);
            end = Math.Max(end, _ranges[j].End);
            j++;
        }

        _ranges.RemoveRange(i, j - i);
        _ranges.Insert(i, (start, end));
    }

    public void Remove(long start, long end)
    {
        if (end <= start)
            return;
        var i = FirstEndingAfter(start);
        var replacement = new List<(long, long)>(2);
        var j = i;
        while (j < _ranges.Count && _ranges[j].Start < end)
        {
            var (s, e) = _ranges[j];
            if (s < start)
                replacement.Add((s, start));
            if (e > end)
                replacement.Add((end, e));
            j++;
        }

        _ranges.RemoveRange(i, j - i);
        _ranges.InsertRange(i, replacement);
    }

    /// <summary>Drops everything at or past <paramref name="size"/>: what a truncate does to the present ranges.</summary>
    public void TruncateTo(long size) => Remove(size, long.MaxValue);

    public bool Contains(long start, long end)
    {
        if (end <= start)
            return true;
        var i = FirstEndingAfter(start);
        return i < _ranges.Count && _ranges[i].Start <= start && _ranges[i].End >= end;
    }

    /// <summary>The range holding the byte at <paramref name="offset"/>, if any.</summary>
    public (long Start, long End)? At(long offset)
    {
        var i = FirstEndingAfter(offset);
        return i < _ranges.Count && _ranges[i].Start <= offset ? _ranges[i] : null;
    }

    /// <summary>The parts of [start, end) that are not present, in order.</summary>
    public List<(long Start, long End)> Missing(long start, long end)
    {
        var gaps = new List<(long, long)>();
        var cursor = start;
        for (var i = FirstEndingAfter(start); i < _ranges.Count && cursor < end; i++)
        {
            var (s, e) = _ranges[i];
            if (s > cursor)
                gaps.Add((cursor, Math.Min(s, end)));
            cursor = Math.Max(cursor, e);
        }

        if (cursor < end)
            gaps.Add((cursor, end));
        return gaps;
    }

    public RangeSet Clone()
    {
        var copy = new RangeSet();
        copy._ranges.AddRange(_ranges);
        return copy;
    }

    public IEnumerator<(long Start, long End)> GetEnumerator() => _ranges.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => string.Join(",", _ranges.Select(r => $"[{r.Start},{r.End})"));

    private int FirstEndingAtOrAfter(long offset) => Search(offset, inclusive: true);

    private int FirstEndingAfter(long offset) => Search(offset, inclusive: false);

    private int Search(long offset, bool inclusive)
    {
        int lo = 0, hi = _ranges.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            var end = _ranges[mid].End;
            if (inclusive ? end >= offset : end > offset)
                hi = mid;
            else
                lo = mid + 1;
        }

        return lo;
    }
}
