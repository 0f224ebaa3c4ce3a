using System.CommandLine;
using CacheFs.Cli.Mount;
using CacheFs.Sync.Control;

namespace CacheFs.Cli.Cache;

/// <summary>
/// `cachefs cache evict|pin|unpin|ls|verify`: manage what a running mount keeps in its cache, through its control
/// endpoint. Every command takes --mount (default: the only mount running) and --json.
/// </summary>
internal static class CacheCommands
{
    public static Command Create()
    {
        var command = new Command("cache", "Manage a running mount's cache: evict, pin, unpin, ls, verify.");
        command.Subcommands.Add(Evict());
        command.Subcommands.Add(Pin(pin: true));
        command.Subcommands.Add(Pin(pin: false));
        command.Subcommands.Add(List());
        command.Subcommands.Add(Verify());
        return command;
    }

    private static Command Evict()
    {
        var to = new Option<string>("--to") { Description = "Free least recently used content until the cache holds at most this much (e.g. 0, 500M, 10G)" };
        var path = new Option<string>("--path") { Description = "Only files at or under this path" };
        var olderThan = new Option<string>("--older-than") { Description = "Only files last used longer ago than this (e.g. 30m, 12h, 7d)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would be freed and skipped; change nothing" };
        var command = Commands("evict", "Free the content of clean, unpinned, closed, unleased files, least recently used first (their names stay).", to, path, olderThan, dryRun);
        command.Validators.Add(result =>
        {
            if (result.GetValue(to) is { } size && !ByteSize.TryParse(size, out _))
                result.AddError($"--to takes a size such as 0, 500M or 10G, not '{size}'.");
            if (result.GetValue(olderThan) is { } age && !Age.TryParse(age, out _))
                result.AddError($"--older-than takes an age such as 30m, 12h or 7d, not '{age}'.");
        });
        command.SetAction(async (result, ct) =>
        {
            var call = new ControlCall(result);
            if (await call.LocateAsync() is { } notFound)
                return notFound;
            List<string>? paths = [];
            if (result.GetValue(path) is { } p && (paths = await call.RelativeAsync([p])) is null)
                return ExitCodes.PathNotFound;
            long? target = result.GetValue(to) is { } size && ByteSize.TryParse(size, out var bytes) ? bytes : null;
            double? age = result.GetValue(olderThan) is { } a && Age.TryParse(a, out var span) ? span.TotalSeconds : null;
            var (response, exit) = await call.SendAsync(
                new ControlRequest("evict") { TargetBytes = target, Paths = paths, OlderThanSeconds = age, DryRun = result.GetValue(dryRun) }, ct);
            if (response is null)
                return exit!.Value;
            if (response.Eviction is not { } report)
                return await FailedAsync(call, response);
            if (call.Json)
                await call.WriteJsonAsync(report);
            else
                CacheOutput.Eviction(call.Console, report);
            return report.TargetReached ? ExitCodes.Ok : ExitCodes.TargetNotReached;
        });
        return command;
    }

    private static Command Pin(bool pin)
    {
        var paths = new Argument<string[]>("paths") { Description = "Files or directories on the mount", Arity = ArgumentArity.OneOrMore };
        var command = Commands(
            pin ? "pin" : "unpin",
            pin
                ? "Keep files (directories: everything under them) in the cache: fetched now, never evicted, fetched again when the origin changes them."
                : "Let eviction free these files again.",
            paths);
        command.SetAction(async (result, ct) =>
        {
            var call = new ControlCall(result);
            if (await call.LocateAsync() is { } notFound)
                return notFound;
            if (await call.RelativeAsync(result.GetValue(paths)!) is not { } relative)
                return ExitCodes.PathNotFound;
            var request = new ControlRequest(pin ? "pin" : "unpin") { Paths = relative };
            var (response, exit) = pin && !call.Json
                ? await CacheOutput.WithProgressAsync(call.Console, update => call.SendAsync(request, ct, update))
                : await call.SendAsync(request, ct);
            if (response is null)
                return exit!.Value;
            if (response.Pins is not { Count: > 0 } reports)
                return await FailedAsync(call, response);
            if (call.Json)
                await call.WriteJsonAsync(reports);
            else
                CacheOutput.Pins(call.Console, reports);
            if (!response.Ok)
                await call.FailAsync(response.Message);
            return response.Ok ? ExitCodes.Ok : reports.Count < relative.Count ? ExitCodes.PathNotFound : ExitCodes.PinIncomplete;
        });
        return command;
    }

    private static Command List()
    {
        var path = new Argument<string>("path") { Description = "A file or directory on the mount (default: its root)", Arity = ArgumentArity.ZeroOrOne };
        var command = Commands("ls", "Show what the cache holds of each file: placeholder, partial or complete, dirty, pinned, leased.", path);
        command.SetAction(async (result, ct) =>
        {
            var call = new ControlCall(result);
            if (await call.LocateAsync() is { } notFound)
                return notFound;
            if (await call.RelativeAsync([result.GetValue(path) ?? call.Target!.MountPoint ?? ""]) is not { } relative)
                return ExitCodes.PathNotFound;
            var (response, exit) = await call.SendAsync(new ControlRequest("ls") { Paths = relative }, ct);
            if (response is null)
                return exit!.Value;
            if (response.Files is not { } files)
                return await FailedAsync(call, response);
            if (call.Json)
                await call.WriteJsonAsync(files);
            else
                CacheOutput.Files(call.Console, files);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Verify()
    {
        var command = Commands("verify", "Check every content object against the journal (present, sizes and ranges) and report what disagrees.");
        command.SetAction(async (result, ct) =>
        {
            var call = new ControlCall(result);
            if (await call.LocateAsync() is { } notFound)
                return notFound;
            var (response, exit) = await call.SendAsync(new ControlRequest("verify"), ct);
            if (response is null)
                return exit!.Value;
            if (response.Verify is not { } report)
                return await FailedAsync(call, response);
            if (call.Json)
                await call.WriteJsonAsync(report);
            else
                CacheOutput.Verify(call.Console, report);
            return report.Consistent ? ExitCodes.Ok : ExitCodes.VerifyFailed;
        });
        return command;
    }

    /// <summary>A command with the options every admin command takes.</summary>
    internal static Command Commands(string name, string description, params Symbol[] symbols)
    {
        var command = new Command(name, description) { ControlCall.MountOption, ControlCall.CacheOption, ControlCall.JsonOption };
        foreach (var symbol in symbols)
        {
            if (symbol is Option option)
                command.Options.Add(option);
            else if (symbol is Argument argument)
                command.Arguments.Add(argument);
        }

        return command;
    }

    private static async Task<int> FailedAsync(ControlCall call, ControlResponse response)
    {
        await call.FailAsync(response.Message);
        return response.Message.Contains("does not exist", StringComparison.Ordinal) ? ExitCodes.PathNotFound : ExitCodes.Failed;
    }
}
