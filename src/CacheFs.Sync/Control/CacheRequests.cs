using CacheFs.Eviction;

namespace CacheFs.Sync.Control;

/// <summary>
/// The cache commands of the control endpoint: evict, pin, unpin, ls and verify. Each answers one line, except pin,
/// which first sends progress lines while it fetches.
/// </summary>
internal static class CacheRequests
{
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromMilliseconds(200);

    public static bool Handles(string command) => command is "evict" or "pin" or "unpin" or "ls" or "verify";

    public static async Task<ControlResponse> HandleAsync(ControlRequest request, ICacheControl cache, Func<ControlResponse, Task> progress, CancellationToken ct)
    {
        var volume = cache.Volume;
        switch (request.Command)
        {
            case "evict":
            {
                var evicted = volume.Evict(new EvictionRequest
                {
                    TargetBytes = request.TargetBytes,
                    Path = request.Paths is [var path, ..] ? path : null,
                    OlderThan = request.OlderThanSeconds is { } s ? TimeSpan.FromSeconds(s) : null,
                    DryRun = request.DryRun,
                });
                return evicted.TryGet(out var report)
                    ? new ControlResponse(true, "ok") { Eviction = report }
                    : Failed(request.Paths is [var first, ..] ? first : "", evicted.Status);
            }

            case "ls":
            {
                var path = request.Paths is [var p, ..] ? p : "";
                var listed = volume.ListStates(path);
                return listed.TryGet(out var files) ? new ControlResponse(true, "ok") { Files = files } : Failed(path, listed.Status);
            }

            case "verify":
            {
                var report = volume.Verify();
                return new ControlResponse(report.Consistent, report.Consistent ? "the content agrees with the journal" : "the content disagrees with the journal") { Verify = report };
            }

            default:
                return await PinAsync(request, cache, request.Command == "pin", progress, ct).ConfigureAwait(false);
        }
    }

    private static async Task<ControlResponse> PinAsync(ControlRequest request, ICacheControl cache, bool pin, Func<ControlResponse, Task> progress, CancellationToken ct)
    {
        var reports = new List<PinReport>();
        PinProgress? latest = null;
        PinProgress? sent = null;
        var reporter = new Progress(p => latest = p);
        foreach (var path in request.Paths ?? [""])
        {
            var work = cache.Volume.PinAsync(path, pin, reporter, ct);
            while (!work.IsCompleted)
            {
                await Task.WhenAny(work, Task.Delay(ProgressEvery, ct)).ConfigureAwait(false);
                if (latest is { } now && now != sent)
                {
                    await progress(new ControlResponse(true, "fetching") { Progress = now }).ConfigureAwait(false);
                    sent = now;
                }
            }

            var result = await work.ConfigureAwait(false);
            if (!result.TryGet(out var report))
                return Failed(path, result.Status) with { Pins = reports };
            reports.Add(report);
        }

        var failures = reports.Sum(r => r.Failures.Count);
        return new ControlResponse(failures == 0, failures == 0 ? "ok" : $"{failures} pinned files could not be fetched; they are fetched when next read or when the origin changes them") { Pins = reports };
    }

    private static ControlResponse Failed(string path, FsStatus status) => new(false, status switch
    {
        FsStatus.NotFound => $"/{path} does not exist on the mount",
        FsStatus.NotDirectory => $"a part of /{path} is not a directory",
        FsStatus.ContentUnavailable => $"/{path} cannot be listed: the origin is unreachable and the cache has not listed it",
        _ => $"/{path}: {status}",
    });

    /// <summary>Records the latest progress on the caller's thread (System's Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class Progress(Action<PinProgress> report) : IProgress<PinProgress>
    {
        public void Report(PinProgress value) => report(value);
    }
}
