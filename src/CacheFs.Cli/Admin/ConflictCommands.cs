using System.CommandLine;
using System.Globalization;
using CacheFs.Cli.Cache;
using CacheFs.Cli.Mount;
using CacheFs.Remote;
using CacheFs.Sync.Control;
using Spectre.Console;

namespace CacheFs.Cli.Admin;

/// <summary>
/// `cachefs conflicts [--all]` lists the clashes the mount settled while sending its changes; `cachefs conflicts
/// resolve &lt;path&gt; --keep mine|theirs|both` settles one for good.
/// </summary>
internal static class ConflictCommands
{
    public static Command Create()
    {
        var all = new Option<bool>("--all") { Description = "Settled conflicts too" };
        var command = CacheCommands.Commands("conflicts", "List the clashes between changes made here and on the origin, and where each version went.", all);
        command.Subcommands.Add(Resolve());
        command.SetAction(async (result, ct) =>
        {
            var call = new ControlCall(result);
            if (await call.LocateAsync() is { } notFound)
                return notFound;
            var (response, exit) = await call.SendAsync(new ControlRequest("conflicts") { All = result.GetValue(all) }, ct);
            if (response is null)
                return exit!.Value;
            if (response.Conflicts is not { } conflicts)
            {
                await call.FailAsync(response.Message);
                return ExitCodes.Failed;
            }

            if (call.Json)
                await call.WriteJsonAsync(response);
            else if (conflicts.Count == 0)
                await call.Output.WriteLineAsync("No conflicts.");
            else
                call.Console.Write(Table(conflicts));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Resolve()
    {
        var path = new Argument<string>("path") { Description = "The file the conflict is about, or its conflict copy" };
        var keep = new Option<string>("--keep") { Description = "mine (the version from here wins), theirs (the origin's wins) or both", Required = true };
        keep.AcceptOnlyFromAmong("mine", "theirs", "both");
        var command = CacheCommands.Commands("resolve", "Settle a conflict: keep mine, theirs or both.", path, keep);
        command.SetAction(async (result, ct) =>
        {
            var call = new ControlCall(result);
            if (await call.LocateAsync() is { } notFound)
                return notFound;
            if (await call.RelativeAsync([result.GetValue(path)!]) is not { } relative)
                return ExitCodes.PathNotFound;
            var (response, exit) = await call.SendAsync(new ControlRequest("resolve") { Paths = relative, Choice = result.GetValue(keep) }, ct);
            return response is null ? exit!.Value : await call.ReportAsync(response, ExitCodes.PathNotFound);
        });
        return command;
    }

    private static Table Table(IReadOnlyList<ConflictRecord> conflicts)
    {
        var table = new Table().AddColumns("when", "path", "what happened", "our version", "state");
        foreach (var c in conflicts)
        {
            var at = DateTimeOffset.UnixEpoch.AddTicks(c.AtNanoseconds / 100).ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            table.AddRow(
                at,
                Markup.Escape("/" + c.Path),
                Markup.Escape(Describe(c.Kind)),
                Markup.Escape(c.KeptAs is { } copy ? "/" + copy : "-"),
                c.Resolved ? "settled" : "[yellow]open[/]");
        }

        return table;
    }

    private static string Describe(ConflictKind kind) => kind switch
    {
        ConflictKind.EditedBoth => "edited here and there: theirs kept the name",
        ConflictKind.CreatedBoth => "created here and there: theirs kept the name",
        ConflictKind.EditedHereDeletedThere => "edited here, deleted there: ours restored",
        ConflictKind.DeletedHereEditedThere => "deleted here, edited there: theirs kept",
        ConflictKind.DirectoryRecreated => "deleted there while holding new files: made again",
        ConflictKind.RenamedBoth => "renamed here, renamed or deleted there first: theirs stands",
        _ => kind.ToString(),
    };
}
