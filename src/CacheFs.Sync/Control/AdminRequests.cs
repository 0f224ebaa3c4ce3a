using CacheFs.Remote;
using CacheFs.Sync.Origin;

namespace CacheFs.Sync.Control;

/// <summary>The control endpoint's "conflicts", "resolve", "locks", "offline" and "online" commands.</summary>
internal static class AdminRequests
{
    public static bool Handles(string command) => command is "conflicts" or "resolve" or "locks" or "offline" or "online";

    public static async Task<ControlResponse> HandleAsync(ControlRequest request, ICacheControl cache, CancellationToken ct)
    {
        switch (request.Command)
        {
            case "conflicts":
                return new ControlResponse(true, "ok") { Conflicts = cache.Volume.ListConflicts(request.All) };
            case "resolve":
            {
                if (request.Paths is not [var path] || !Enum.TryParse<ConflictChoice>(request.Choice, ignoreCase: true, out var choice))
                    return new ControlResponse(false, "resolve takes one path and --keep mine, theirs or both");
                var resolved = cache.Volume.ResolveConflict(path, choice);
                return resolved.TryGet(out var record)
                    ? new ControlResponse(true, $"/{record.Path}: settled, keeping {choice.ToString().ToLowerInvariant()}") { Conflicts = [record] }
                    : new ControlResponse(false, resolved.Status switch
                    {
                        FsStatus.NotFound => $"no open conflict at /{path}; `cachefs conflicts` lists them",
                        FsStatus.InvalidArgument => $"keeping {choice.ToString().ToLowerInvariant()} at /{path} would delete files made here; delete them yourself, or keep mine or both",
                        var status => $"/{path}: {status}",
                    });
            }

            case "offline" or "online":
            {
                var offline = request.Command == "offline";
                if (!await cache.SetOfflineAsync(offline).ConfigureAwait(false))
                    return new ControlResponse(false, "this mount has no origin (--local): it is always offline");
                return new ControlResponse(true, offline
                    ? $"offline: changes wait in the outbox ({cache.Volume.OutboxLength} queued) until `cachefs online`"
                    : "online: reconnecting to the origin; queued changes go up now");
            }

            default:
                try
                {
                    return new ControlResponse(true, "ok") { Locks = await cache.HeldLocksAsync(ct).ConfigureAwait(false) };
                }
                catch (Exception e) when (e is OriginException or OriginUnavailableException)
                {
                    return new ControlResponse(false, $"the origin cannot say which locks are held: {e.Message}");
                }
        }
    }
}
