using CacheFs.Volume;
using FileInfo = Fsp.Interop.FileInfo;

namespace CacheFs.Hosts.WinFsp;

/// <summary>
/// A directory's names as one enumeration sees them, sorted as NTFS returns them ("." and ".." first, then by name under
/// the volume's case rule). WinFsp resumes a listing with the last name it got (the marker), not a cookie; in name
/// order "the first name after the marker" is a binary search and still well defined when the marker itself has been
/// deleted or renamed meanwhile, which an order by creation (the core's cookies) cannot give.
/// </summary>
internal sealed class DirectorySnapshot
{
    private const int PageSize = 1024;

    private readonly List<(string Name, FileInfo Info)> _entries;
    private readonly StringComparer _order;
    private readonly int _dots;

    private DirectorySnapshot(List<(string Name, FileInfo Info)> entries, StringComparer order, int dots)
    {
        _entries = entries;
        _order = order;
        _dots = dots;
    }

    public int Count => _entries.Count;

    public (string Name, FileInfo Info) this[int index] => _entries[index];

    /// <summary>Reads every name of the directory from the core, page by page in its cookie order, then sorts them.</summary>
    public static FsResult<DirectorySnapshot> Take(CacheVolume volume, long directory, FileInfo self, FileInfo? parent, StringComparer order)
    {
        var names = new List<(string Name, FileInfo Info)>();
        for (long cookie = 0; ;)
        {
            var page = volume.ReadDirectory(directory, cookie, PageSize);
            if (!page.IsOk)
                return page.Status;
            if (page.Value.Count == 0)
                break;
            foreach (var entry in page.Value)
                names.Add((entry.Name, FileInfoOf.Node(entry.Attributes)));
            cookie = page.Value[^1].Cookie;
        }

        names.Sort((a, b) => order.Compare(a.Name, b.Name));

        // The root has no "." and "..", as on NTFS; every other directory lists both first.
        if (parent is { } above)
            names.InsertRange(0, [(".", self), ("..", above)]);
        return new DirectorySnapshot(names, order, parent is null ? 0 : 2);
    }

    /// <summary>Where a listing resumes: the first entry after <paramref name="marker"/>, or the first one for none.</summary>
    public int IndexAfter(string? marker)
    {
        if (marker is null)
            return 0;
        if (_dots > 0 && marker is "." or "..")
            return marker == "." ? 1 : 2;
        int low = _dots, high = _entries.Count;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (_order.Compare(_entries[middle].Name, marker) <= 0)
                low = middle + 1;
            else
                high = middle;
        }

        return low;
    }
}
