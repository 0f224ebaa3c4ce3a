using CacheFs.Eviction;
using CacheFs.Nodes;

namespace CacheFs.Volume;

/// <summary>
/// Pinning: a pinned file's content is fetched now and eviction never frees it; when the origin changes it, the new
/// version is fetched as soon as the change arrives. Pinning a directory pins every file under it (listing it from the
/// origin as needed) and the directory itself.
/// </summary>
public sealed partial class CacheVolume
{
    private const int HydrationChunk = 4 << 20;

    /// <summary>Sets or clears the pin of <paramref name="path"/> and what is under it; a pin then fetches what is missing.</summary>
    public async Task<FsResult<PinReport>> PinAsync(string path, bool pin, IProgress<PinProgress>? progress, CancellationToken ct)
    {
        var root = Resolve(path.Trim('/'));
        if (!root.IsOk)
            return root.Status;
        var nodes = new List<NodeAttributes>();
        var listed = CollectForPin(root.Value, nodes);
        if (listed != FsStatus.Ok)
            return listed;
        var status = Guard(() =>
        {
            var writer = _journal.BeginWrite();
            try
            {
                foreach (var node in nodes)
                {
                    if (writer.GetNode(node.Id) is { } row && row.Pinned != pin)
                        writer.UpdateNode(row with { Pinned = pin });
                }

                writer.Commit();
                return FsStatus.Ok;
            }
            finally
            {
                writer.End();
            }
        });
        if (status != FsStatus.Ok)
            return status;

        var files = nodes.Where(n => n.Kind == NodeKind.File).ToList();
        var bytes = files.Sum(f => f.Size);
        if (!pin)
            return new PinReport { Pinned = false, Files = files.Count, Bytes = bytes };

        var missing = files.Sum(f => Math.Max(0, f.Size - (GetAttributes(f.Id).TryGet(out var a) ? a.CachedBytes : 0)));
        var done = 0L;
        var failures = new List<PinFailure>();
        foreach (var file in files)
        {
            var name = PathOf(file.Id) ?? $"#{file.Id}";
            var fetched = await HydrateAsync(file.Id, n =>
            {
                done += n;
                progress?.Report(new PinProgress(name, Math.Min(done, missing), missing));
            }, ct).ConfigureAwait(false);
            if (fetched != FsStatus.Ok)
                failures.Add(new PinFailure(name, fetched == FsStatus.ContentUnavailable ? "the origin cannot be reached" : fetched.ToString()));
        }

        return new PinReport { Pinned = true, Files = files.Count, Bytes = bytes, FetchedBytes = done, Failures = failures };
    }

    /// <summary>Fetches every missing byte of a file; <paramref name="fetched"/> hears of each chunk as it lands.</summary>
    public async Task<FsStatus> HydrateAsync(long id, Action<long>? fetched, CancellationToken ct)
    {
        if (!Acquire(id).TryGet(out var file))
            return FsStatus.NotFound;
        try
        {
            long size;
            lock (file.SizeLock)
                size = file.Size;
            for (var offset = 0L; offset < size; offset += HydrationChunk)
            {
                var length = (int)Math.Min(HydrationChunk, size - offset);
                bool present;
                lock (file.SizeLock)
                    present = file.IsPresent(offset, Math.Min(length, Math.Max(0, file.Size - offset)));
                if (present)
                    continue;
                var status = await FillAsync(file, offset, length, ct).ConfigureAwait(false);
                if (status != FsStatus.Ok)
                    return status;
                fetched?.Invoke(length);
            }

            return FsStatus.Ok;
        }
        finally
        {
            ReleaseFile(file);
        }
    }

    /// <summary>A pinned file whose content the origin replaced: fetch the new version in the background.</summary>
    private void RehydrateIfPinned(long id)
    {
        if (_journal.GetNode(id) is not { Pinned: true } || Fetcher is null)
            return;
        _ = Task.Run(async () =>
        {
            var status = await HydrateAsync(id, null, CancellationToken.None).ConfigureAwait(false);
            if (status != FsStatus.Ok)
                _log.Warning("Pinned /{Path} changed on the origin and could not be fetched again: {Status}", PathOf(id), status);
        });
    }

    /// <summary>The node and, for a directory, everything under it, listing unlisted directories from the origin.</summary>
    private FsStatus CollectForPin(NodeAttributes root, List<NodeAttributes> nodes)
    {
        nodes.Add(root);
        if (!root.IsDirectory)
            return FsStatus.Ok;
        var pending = new Stack<long>([root.Id]);
        while (pending.TryPop(out var directory))
        {
            long cookie = 0;
            while (true)
            {
                var page = ReadDirectory(directory, cookie, 256);
                if (!page.TryGet(out var entries))
                    return page.Status;
                if (entries.Count == 0)
                    break;
                foreach (var entry in entries)
                {
                    nodes.Add(entry.Attributes);
                    if (entry.Attributes.IsDirectory)
                        pending.Push(entry.Attributes.Id);
                }

                cookie = entries[^1].Cookie;
            }
        }

        return FsStatus.Ok;
    }
}
