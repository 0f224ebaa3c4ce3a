using System.CommandLine;
using CacheFs.Cli.Cache;
using CacheFs.Cli.Mount;
using CacheFs.Sync.Control;

namespace CacheFs.Cli.Admin;

/// <summary>
/// `cachefs offline` and `cachefs online`: take a mount off its origin by hand (before a train, a metered link) and
/// back. Offline by hand is the outage path itself: cached files stay readable, changes wait in the outbox.
/// </summary>
internal static class OfflineCommands
{
    public static Command Offline() => Create(
        "offline",
        "Stop talking to the origin: cached files stay readable, changes wait in the outbox until `cachefs online`.");

    public static Command Online() => Create(
        "online",
        "Talk to the origin again after `cachefs offline` (or now, after an outage): queued changes go up at once.");

    private static Command Create(string name, string description)
    {
        var command = CacheCommands.Commands(name, description);
        command.SetAction(async (result, ct) =>
        {
            var call = new ControlCall(result);
            if (await call.LocateAsync() is { } notFound)
                return notFound;
            var (response, exit) = await call.SendAsync(new ControlRequest(name), ct);
            return response is null ? exit!.Value : await call.ReportAsync(response, ExitCodes.Failed);
        });
        return command;
    }
}
