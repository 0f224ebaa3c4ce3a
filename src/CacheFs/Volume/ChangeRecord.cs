using CacheFs.Content;
using CacheFs.Journal;

namespace CacheFs.Volume;

/// <summary>
/// What changed in a dirty file since the origin version it is based on, so an upload can send only those ranges.
/// A superset of the bytes written, punched or cut since <see cref="Base"/>: each change is noted before its bytes land,
/// and the journal learns the note in a commit before the bytes are written (<see cref="Unwritten"/>), so a killed
/// process leaves a record that still covers them. A reboot may lose a commit whose bytes survived, so the record is
/// not trusted across one (<see cref="CacheVolume"/> forgets every record then). Not known (<see cref="Base"/> null)
/// means the whole file goes up: a file with no origin version, a record given up, a record from before a reboot.
/// </summary>
/// <remarks>Guarded by the file's size lock.</remarks>
internal sealed class ChangeRecord
{
    /// <summary>Notes cover whole pages: what an editor changes, and fewer rows.</summary>
    private const long Page = 4096;

    /// <summary>A note that continues a changed run claims as much again ahead (up to this), so a sequential rewrite commits a few times, not per write.</summary>
    private const long MaxLookahead = 64L << 20;

    /// <summary>Past this many ranges (or half the file) a ranged upload would not pay: the record is given up.</summary>
    private const int MaxRanges = 16384;

    private readonly RangeSet _ranges = new();
    private readonly RangeSet _unwritten = new();
    private bool _restart;
    private bool _baseUnwritten;

    public string? Base { get; private set; }

    /// <summary>The journal must learn something before the noted bytes may land.</summary>
    public bool Unwritten => _baseUnwritten || _unwritten.Count > 0;

    /// <summary>Loads what the journal recorded for a dirty file.</summary>
    public void Load(string? baseVersion, RangeSet ranges)
    {
        Base = baseVersion;
        foreach (var (start, end) in ranges)
            _ranges.Add(start, end);
    }

    /// <summary>The first change of a clean file: a new record against <paramref name="originVersion"/> ("" when the origin has none).</summary>
    public void Start(string originVersion)
    {
        Clear();
        Base = originVersion.Length > 0 ? originVersion : null;
        _restart = true;
        _baseUnwritten = true;
    }

    /// <summary>[start, end) is about to change in a file of <paramref name="size"/> bytes (after the change).</summary>
    public void Note(long start, long end, long size)
    {
        if (Base is null || end <= start)
            return;
        var from = start / Page * Page;
        var to = Math.Min(end + Page - 1, long.MaxValue - Page) / Page * Page;
        if (_ranges.Contains(from, to))
            return;
        if (from > 0 && _ranges.At(from - 1) is { } run)
            to = Math.Max(to, from + Math.Min(run.End - run.Start, MaxLookahead));
        _ranges.Add(from, to);
        _unwritten.Add(from, to);
        if (_ranges.Count > MaxRanges || _ranges.Length > Math.Max(size, Page) / 2)
            GiveUp();
    }

    /// <summary>Writes what the journal has not learned yet into the open transaction.</summary>
    public void WriteTo(JournalWriter writer, long node)
    {
        if (Unwritten)
            writer.WriteChanges(node, Base, _restart, _unwritten);
    }

    /// <summary>The transaction that <see cref="WriteTo"/> wrote into committed.</summary>
    public void Written()
    {
        _restart = false;
        _baseUnwritten = false;
        _unwritten.TruncateTo(0);
    }

    /// <summary>An upload made <paramref name="version"/> from bytes that changed meanwhile: the record, a superset still, now counts from it.</summary>
    public void Rebase(string version)
    {
        if (Base is null)
            return;
        Base = version;
        _baseUnwritten = true;
    }

    /// <summary>The ranges to send for an upload based on <paramref name="baseVersion"/> of a file of <paramref name="size"/> bytes; null when not known.</summary>
    public RangeSet? For(string baseVersion, long size)
    {
        if (Base is null || Base != baseVersion)
            return null;
        var ranges = _ranges.Clone();
        ranges.TruncateTo(size);
        return ranges;
    }

    /// <summary>The file is clean: nothing to remember (the caller clears the journal's record in the same commit).</summary>
    public void Clear()
    {
        Base = null;
        _ranges.TruncateTo(0);
        _unwritten.TruncateTo(0);
        _restart = false;
        _baseUnwritten = false;
    }

    private void GiveUp()
    {
        Base = null;
        _ranges.TruncateTo(0);
        _unwritten.TruncateTo(0);
        _baseUnwritten = true;
    }
}
