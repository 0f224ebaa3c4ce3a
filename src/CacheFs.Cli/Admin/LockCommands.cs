using System.CommandLine;
using System.Globalization;
using CacheFs.Cli.Cache;
using CacheFs.Cli.Mount;
using CacheFs.Protocol;
using CacheFs.Sync.Control;
using CacheFs.Sync.Origin;
using Spectre.Console;

namespace CacheFs.Cli.Admin;

/// <summary>
/// `cachefs locks`: the files a running mount holds fcntl/flock locks on, with every lock the origin keeps on them;
/// `cachefs origin locks break &lt;path&gt;`: an admin frees a file whose holder cannot let go.
/// </summary>
internal static class LockCommands
{
    public static Command Locks()
    {
        var command = CacheCommands.Commands("locks", "List the byte-range and flock locks a mount's programs hold, as the origin keeps them.");
        command.SetAction(async (result, ct) =>
        {
            var call = new ControlCall(result);
            if (await call.LocateAsync() is { } notFound)
                return notFound;
            var (response, exit) = await call.SendAsync(new ControlRequest("locks"), ct);
            if (response is null)
                return exit!.Value;
            if (response.Locks is not { } files)
            {
                await call.FailAsync(response.Message);
                return ExitCodes.Failed;
            }

            if (call.Json)
                await call.WriteJsonAsync(response);
            else if (files.All(f => f.Locks.Count == 0))
                await call.Output.WriteLineAsync("No locks held.");
            else
                call.Console.Write(Table(files));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>`cachefs origin locks break &lt;path&gt; --origin URL` (token in $CACHEFS_TOKEN or --token).</summary>
    public static Command OriginLocks()
    {
        var path = new Argument<string>("path") { Description = "The file's path on the origin, relative to its root" };
        var origin = new Option<string>("--origin") { Description = "The origin's URL", Required = true };
        var token = new Option<string>("--token") { Description = "Bearer token (default: $CACHEFS_TOKEN)" };
        var breakCommand = new Command("break", "Free every lock on a file, whoever holds it (its programs are not told: use it for a holder that is gone)") { path, origin, token };
        breakCommand.Validators.Add(result =>
        {
            if (result.GetValue(origin) is { } url && !Uri.TryCreate(url, UriKind.Absolute, out _))
                result.AddError($"--origin takes a URL such as http://host:7070, not '{url}'.");
        });
        breakCommand.SetAction(async (result, ct) =>
        {
            var error = result.InvocationConfiguration.Error;
            var secret = result.GetValue(token) ?? Environment.GetEnvironmentVariable("CACHEFS_TOKEN");
            if (string.IsNullOrEmpty(secret))
            {
                await error.WriteLineAsync("cachefs: no token: pass --token or set CACHEFS_TOKEN");
                return ExitCodes.InvalidArguments;
            }

            using var client = new OriginClient(new Uri(result.GetValue(origin)!), secret, new OriginResilience(new OriginResilienceOptions(), TimeProvider.System));
            try
            {
                var broken = await client.BreakLocksAsync(result.GetValue(path)!.TrimStart('/'), ct);
                await result.InvocationConfiguration.Output.WriteLineAsync(
                    $"Broke {broken.Locks.Count} lock(s) on /{broken.Path}" + (broken.Locks.Count == 0 ? "" : ": " + string.Join(", ", broken.Locks.Select(Describe))));
                return ExitCodes.Ok;
            }
            catch (OriginException e)
            {
                await error.WriteLineAsync($"cachefs: the origin refused: {e.Problem.Message}");
                return e.Code == ErrorCode.NotFound ? ExitCodes.PathNotFound : ExitCodes.Failed;
            }
            catch (OriginUnavailableException e)
            {
                await error.WriteLineAsync($"cachefs: {e.Message}");
                return ExitCodes.OriginFailed;
            }
        });
        return new Command("locks", "Locks the origin keeps for its clients") { breakCommand };
    }

    private static Table Table(IReadOnlyList<HeldLocks> files)
    {
        var table = new Table().AddColumns("path", "kind", "type", "range", "holder", "pid");
        foreach (var file in files)
        {
            foreach (var held in file.Locks)
            {
                table.AddRow(
                    Markup.Escape("/" + file.Path),
                    held.Family == LockFamily.Flock ? "flock" : "fcntl",
                    held.Lock.Type == LockType.Read ? "shared" : "exclusive",
                    Range(held.Lock),
                    Markup.Escape(held.Lock.ClientName),
                    held.Lock.Pid.ToString(CultureInfo.InvariantCulture));
            }
        }

        return table;
    }

    private static string Describe(HeldLockInfo held) =>
        $"{(held.Family == LockFamily.Flock ? "flock" : "fcntl")} {(held.Lock.Type == LockType.Read ? "shared" : "exclusive")} {Range(held.Lock)} of {held.Lock.ClientName}";

    private static string Range(LockDescription l) =>
        l.Length == 0 ? $"{l.Start}-end" : $"{l.Start}-{l.Start + l.Length - 1}";
}
