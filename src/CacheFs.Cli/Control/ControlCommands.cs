using System.CommandLine;
using System.Net.Sockets;
using CacheFs.Cli.Mount;
using CacheFs.Hosts.Fuse;
using CacheFs.Sync.Control;

namespace CacheFs.Cli.Control;

/// <summary>
/// `cachefs sync` and `cachefs status`: ask a running mount, through its control endpoint, to finish uploading or to
/// say how it is. The mount is named by its mount point (or its cache directory).
/// </summary>
internal static class ControlCommands
{
    public static Command Sync()
    {
        var mount = MountOption();
        var cache = CacheOption();
        var timeout = new Option<double>("--timeout") { Description = "Seconds to wait for the uploads (default: wait as long as it takes)" };
        var command = new Command("sync", "Wait until every change made on a mount has reached the origin.") { mount, cache, timeout };
        command.SetAction(async (result, ct) =>
        {
            var seconds = result.GetValue(timeout);
            var request = new ControlRequest("sync") { TimeoutMs = seconds > 0 ? (long)(seconds * 1000) : null };
            return await SendAsync(result, mount, cache, request, result.InvocationConfiguration.Output, result.InvocationConfiguration.Error, ct).ConfigureAwait(false);
        });
        return command;
    }

    public static Command Status()
    {
        var mount = MountOption();
        var cache = CacheOption();
        var command = new Command("status", "Show a running mount's origin, connection, queued changes and leases.") { mount, cache };
        command.SetAction((result, ct) =>
            SendAsync(result, mount, cache, new ControlRequest("status"), result.InvocationConfiguration.Output, result.InvocationConfiguration.Error, ct));
        return command;
    }

    private static Option<string> MountOption() => new("--mount") { Description = "The mount point of the running mount" };

    private static Option<string> CacheOption() => new("--cache") { Description = "Its cache directory instead of --mount" };

    private static async Task<int> SendAsync(
        ParseResult result,
        Option<string> mount,
        Option<string> cache,
        ControlRequest request,
        TextWriter output,
        TextWriter error,
        CancellationToken ct)
    {
        var cacheDirectory = CacheDirectoryOf(result.GetValue(mount), result.GetValue(cache), out var problem);
        if (cacheDirectory is null)
        {
            await error.WriteLineAsync("cachefs: " + problem).ConfigureAwait(false);
            return ExitCodes.NotMounted;
        }

        ControlResponse response;
        try
        {
            response = await ControlClient.SendAsync(cacheDirectory, request, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            await error.WriteLineAsync($"cachefs: no running mount answers for the cache {cacheDirectory} ({e.Message})").ConfigureAwait(false);
            return ExitCodes.NotMounted;
        }

        if (response.Status is { } status && (request.Command == "status" || !response.Ok))
            await output.WriteLineAsync(Describe(status)).ConfigureAwait(false);
        if (!response.Ok)
        {
            await error.WriteLineAsync("cachefs: " + response.Message).ConfigureAwait(false);
            return ExitCodes.Failed;
        }

        if (request.Command == "sync")
            await output.WriteLineAsync(response.Message).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    private static string? CacheDirectoryOf(string? mountPoint, string? cache, out string problem)
    {
        problem = "";
        if (cache is not null)
            return MountCommand.FullPath(cache);
        if (mountPoint is null)
        {
            problem = "name the mount: --mount <mount point> or --cache <cache directory>";
            return null;
        }

        var full = MountCommand.FullPath(mountPoint);
        var entry = MountTable.Find(full);
        if (entry is null || entry.FileSystemType != MountTable.CacheFsType)
        {
            problem = $"{full} is not a CacheFs mount";
            return null;
        }

        if (!Path.IsPathRooted(entry.Source))
        {
            problem = $"the mount table does not say which cache serves {full}; use --cache <cache directory>";
            return null;
        }

        return entry.Source;
    }

    private static string Describe(MountStatus s) =>
        $"""
        cache:          {s.CacheDirectory}
        mount point:    {s.MountPoint ?? "-"}
        origin:         {(s.Origin is null ? s.Mode : $"{s.Origin} ({s.Mode})")}
        connection:     {(s.Mode == "local" ? "none (local volume)" : s.Online ? $"online, session {s.Session}" : "OFFLINE: changes are queued and cached content stays readable")}
        queued changes: {s.QueuedChanges}
        leases held:    {s.LeasesHeld}
        change cursor:  {s.Cursor}
        process:        {s.ProcessId}
        """;
}
