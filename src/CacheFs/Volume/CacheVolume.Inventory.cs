using CacheFs.Content;
using CacheFs.Eviction;
using CacheFs.Journal;
using CacheFs.Nodes;

namespace CacheFs.Volume;

/// <summary>What the cache holds: per-file states for `cachefs cache ls`, totals for status, and verify.</summary>
public sealed partial class CacheVolume
{
    public CacheUsage Usage() => CacheUsage.Of(ListCachedFiles());

    /// <summary>The state of <paramref name="path"/>, or of each entry of it when it is a directory.</summary>
    public FsResult<IReadOnlyList<FileState>> ListStates(string path)
    {
        var trimmed = path.Trim('/');
        var node = Resolve(trimmed);
        if (!node.IsOk)
            return node.Status;
        if (!node.Value.IsDirectory)
            return new[] { StateOf(trimmed, node.Value) };
        var states = new List<FileState>();
        long cookie = 0;
        while (true)
        {
            var page = ReadDirectory(node.Value.Id, cookie, 256);
            if (!page.TryGet(out var entries))
                return page.Status;
            if (entries.Count == 0)
                break;
            foreach (var entry in entries)
                states.Add(StateOf(trimmed.Length == 0 ? entry.Name : trimmed + "/" + entry.Name, entry.Attributes));
            cookie = entries[^1].Cookie;
        }

        return states;
    }

    /// <summary>
    /// Checks every content object against its journal row, by the rules recovery enforces: an object for every file the
    /// journal says has content, none longer than its file, a complete file's object as long as the file, a partial
    /// file's reaching its last present range. Open files are checked against what they hold in memory.
    /// </summary>
    public VerifyReport Verify()
    {
        var files = ListCachedFiles().ToDictionary(f => f.Id);
        var ranges = _journal.Read(s => s.ListPartialRanges());
        var problems = new List<VerifyProblem>();
        var objects = new Dictionary<long, long>();
        foreach (var (id, path) in _store.Enumerate())
        {
            if (id < 0)
            {
                problems.Add(new VerifyProblem(path, "a file in the object store that is not an object", Harmless: true));
                continue;
            }

            objects[id] = new FileInfo(path).Length;
        }

        var objectCount = objects.Count;
        foreach (var file in files.Values)
        {
            var name = PathOf(file.Id) ?? $"#{file.Id}";
            var length = objects.TryGetValue(file.Id, out var l) ? l : (long?)null;
            if (_live.TryGetValue(file.Id, out var live))
            {
                lock (live.SizeLock)
                {
                    if (live.Content == ContentState.Partial)
                        ranges[file.Id] = live.Ranges.Clone();
                }
            }

            var problem = Check(file, length, ranges.GetValueOrDefault(file.Id));
            if (problem is not null)
                problems.Add(new VerifyProblem(name, problem, Harmless: problem.StartsWith("stray", StringComparison.Ordinal)));
            objects.Remove(file.Id);
        }

        foreach (var id in objects.Keys)
            problems.Add(new VerifyProblem($"#{id}", "stray object: no file has this id (the next mount removes it)", Harmless: true));
        return new VerifyReport { FilesChecked = files.Count, ObjectsChecked = objectCount, Problems = problems };
    }

    /// <summary>What is wrong with one file's object, or null.</summary>
    internal static string? Check(CachedFile file, long? objectLength, RangeSet? present)
    {
        switch (file.Content)
        {
            case ContentState.Placeholder:
                return objectLength is > 0 ? "stray object: the journal says nothing is cached (the next mount removes it)" : null;
            case ContentState.Complete when file.Size > 0 && objectLength is null:
                return file.Dirty ? "object missing: the journal says the file is complete and has unsent changes" : "object missing: the journal says the file is complete";
            case ContentState.Complete when objectLength < file.Size && !file.Dirty:
                return $"object is {objectLength} bytes, the complete file {file.Size}";
            case ContentState.Partial:
                var end = present is { Count: > 0 } ? present.Max(r => r.End) : 0;
                if (end > 0 && objectLength is null)
                    return "object missing: the journal says ranges are present";
                if (objectLength < end && !file.Dirty)
                    return $"object is {objectLength} bytes, the journal says bytes up to {end} are present";
                break;
        }

        return objectLength > file.Size ? $"object is {objectLength} bytes, longer than the file ({file.Size})" : null;
    }

    private FileState StateOf(string path, NodeAttributes node) => new(
        path,
        node.Kind,
        node.Size,
        node.Content,
        node.CachedBytes,
        node.Dirty,
        node.Pinned,
        Leased: Leases?.Holds(node.Id) == true,
        Open: _live.ContainsKey(node.Id),
        node.LastAccess);
}
