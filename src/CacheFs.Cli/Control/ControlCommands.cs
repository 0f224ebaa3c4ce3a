using System.CommandLine;
using CacheFs.Cli.Cache;
using CacheFs.Cli.Mount;
using CacheFs.Sync.Control;

namespace CacheFs.Cli.Control;

/// <summary>
/// `cachefs sync` and `cachefs status`: ask a running mount, through its control endpoint, to finish uploading or to
/// say how it is. The mount is named by its mount point (or its cache directory), or is the only one running.
/// </summary>
internal static class ControlCommands
{
    public static Command Sync()
    {
        var timeout = new Option<double>("--timeout") { Description = "Seconds to wait for the uploads (default: wait as long as it takes)" };
        var noWait = new Option<bool>("--no-wait") { Description = "Start the uploads and return at once" };
        var command = CacheCommands.Commands("sync", "Upload every change made on a mount now and wait until the upload queue is empty.", timeout, noWait);
        command.SetAction(async (result, ct) =>
        {
            var call = new ControlCall(result);
            if (await call.LocateAsync() is { } notFound)
                return notFound;
            var seconds = result.GetValue(timeout);
            var request = new ControlRequest("sync") { TimeoutMs = seconds > 0 ? (long)(seconds * 1000) : null, NoWait = result.GetValue(noWait) };
            var (response, exit) = await call.SendAsync(request, ct);
            if (response is null)
                return exit!.Value;
            if (call.Json && response.Status is { } status)
                await call.WriteJsonAsync(status);
            if (!response.Ok)
            {
                await call.FailAsync(response.Message + (response.Status is { Online: false } ? "; they stay queued in the cache and go up when the origin is back" : ""));
                return response.Status is null ? ExitCodes.Failed : ExitCodes.NotSynced;
            }

            if (!call.Json)
                await call.Output.WriteLineAsync(response.Message);
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Status()
    {
        var command = CacheCommands.Commands("status", "Show a running mount's origin, connection, cache size and quota, file states, dirty data, upload queue and leases.");
        command.SetAction(async (result, ct) =>
        {
            var call = new ControlCall(result);
            if (await call.LocateAsync() is { } notFound)
                return notFound;
            var (response, exit) = await call.SendAsync(new ControlRequest("status"), ct);
            if (response is null)
                return exit!.Value;
            if (response.Status is not { } status)
            {
                await call.FailAsync(response.Message);
                return ExitCodes.Failed;
            }

            if (call.Json)
                await call.WriteJsonAsync(status);
            else
                CacheOutput.Status(call.Console, status);
            return ExitCodes.Ok;
        });
        return command;
    }
}
