using System.Globalization;
using CacheFs.Eviction;
using CacheFs.Sync.Control;
using Spectre.Console;

namespace CacheFs.Cli.Cache;

/// <summary>The human form of the cache commands' answers: Spectre.Console tables and a progress bar.</summary>
internal static class CacheOutput
{
    private const int ListedFiles = 20;

    public static void Eviction(IAnsiConsole console, EvictionReport report)
    {
        var verb = report.DryRun ? "Would free" : "Freed";
        console.MarkupLine(
            $"{verb} [bold]{ByteSize.Format(report.FreedBytes)}[/] in {report.Freed.Count} files; cache {ByteSize.Format(report.CachedBytesBefore)} -> [bold]{ByteSize.Format(report.CachedBytesAfter)}[/]" +
            (report.TargetBytes is { } target ? $" (target {ByteSize.Format(target)}{(report.TargetReached ? ", reached" : ", [red]not reached[/]")})" : ""));
        if (report.Freed.Count > 0)
            console.Write(FileTable(report.DryRun ? "would free" : "freed", report.Freed));
        if (report.Skipped.Count > 0)
        {
            console.MarkupLine($"Skipped {report.Skipped.Count} files ({ByteSize.Format(report.Skipped.Sum(s => s.Bytes))}): " +
                string.Join(", ", report.Skipped.GroupBy(s => s.Reason).Select(g => $"{g.Count()} {Describe(g.Key)}")));
            console.Write(FileTable("skipped", report.Skipped));
        }
    }

    public static void Pins(IAnsiConsole console, IReadOnlyList<PinReport> reports)
    {
        foreach (var report in reports)
        {
            console.MarkupLine(report.Pinned
                ? $"Pinned {report.Files} files ({ByteSize.Format(report.Bytes)}); fetched {ByteSize.Format(report.FetchedBytes)}"
                : $"Unpinned {report.Files} files ({ByteSize.Format(report.Bytes)}); eviction may free them again");
            foreach (var failure in report.Failures)
                console.MarkupLineInterpolated($"  [red]not fetched[/] /{failure.Path}: {failure.Reason}");
        }
    }

    public static void Files(IAnsiConsole console, IReadOnlyList<FileState> files)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("path").AddColumn("state").AddColumn(new TableColumn("cached").RightAligned()).AddColumn(new TableColumn("size").RightAligned())
            .AddColumn("flags").AddColumn("last used (UTC)");
        foreach (var f in files)
        {
            var flags = string.Join(' ', new[] { f.Dirty ? "dirty" : null, f.Pinned ? "pinned" : null, f.Leased ? "leased" : null, f.Open ? "open" : null }.Where(x => x is not null));
            var state = f.Kind == Nodes.NodeKind.File ? f.Content.ToString().ToLowerInvariant() : f.Kind.ToString().ToLowerInvariant();
            table.AddRow(
                Markup.Escape(f.Path),
                state,
                f.Kind == Nodes.NodeKind.File ? ByteSize.Format(f.CachedBytes) : "",
                f.Kind == Nodes.NodeKind.File ? ByteSize.Format(f.Size) : "",
                flags,
                f.LastAccess.ToDateTimeOffset().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        }

        console.Write(table);
    }

    public static void Verify(IAnsiConsole console, VerifyReport report)
    {
        console.MarkupLine($"Checked {report.FilesChecked} files and {report.ObjectsChecked} objects: " +
            (report.Consistent ? "[green]the content agrees with the journal[/]" : $"[red]{report.Problems.Count(p => !p.Harmless)} mismatches[/]"));
        if (report.Problems.Count == 0)
            return;
        var table = new Table().Border(TableBorder.Rounded).AddColumn("file").AddColumn("problem");
        foreach (var p in report.Problems)
            table.AddRow(Markup.Escape(p.Path), Markup.Escape(p.Problem));
        console.Write(table);
    }

    public static void Status(IAnsiConsole console, MountStatus s)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap().PadRight(2)).AddColumn();
        void Row(string name, string value) => grid.AddRow(new Text(name), new Markup(value));
        Row("mount point", Markup.Escape(s.MountPoint ?? "-"));
        Row("cache", Markup.Escape(s.CacheDirectory));
        Row("origin", Markup.Escape(s.Origin is null ? s.Mode : $"{s.Origin} ({s.Mode})"));
        Row("connection", s.Mode == "local" ? "none (local volume)" : s.Online ? $"[green]online[/], session {Markup.Escape(s.Session ?? "-")}" : s.OfflineByHand ? "[yellow]OFFLINE by hand[/] (`cachefs online` reconnects): changes are queued and cached content stays readable" : "[red]OFFLINE[/]: the origin is unreachable; changes are queued and cached content stays readable");
        if (s.Cache is { } c)
        {
            Row("cache size", ByteSize.Format(c.CachedBytes) + (s.Quota is { } q
                ? $" of {ByteSize.Format(q.QuotaBytes)} quota ({Percent(c.CachedBytes, q.QuotaBytes)}; evicts above {q.HighPercent}% down to {q.LowPercent}%)"
                : " (no quota: --cache-size not set)"));
            Row("disk free", ByteSize.Format(s.DiskFreeBytes) + (s.Quota is { MinFreeBytes: > 0 } m ? $" (keeps at least {ByteSize.Format(m.MinFreeBytes)})" : ""));
            Row("files", $"{c.CompleteFiles} complete, {c.PartialFiles} partial, {c.PlaceholderFiles} placeholder");
            Row("dirty", $"{c.DirtyFiles} files ({ByteSize.Format(c.DirtyBytes)})");
            Row("pinned", $"{c.PinnedFiles} files ({ByteSize.Format(c.PinnedBytes)} cached)");
        }

        Row("upload queue", $"{s.QueuedChanges} changes, {ByteSize.Format(s.QueuedBytes)} of file content");
        Row("leases held", s.LeasesHeld.ToString(CultureInfo.InvariantCulture));
        Row("lock owners", s.LockOwners.ToString(CultureInfo.InvariantCulture) + (s.LockOwners > 0 ? " (`cachefs locks` lists them)" : ""));
        Row("conflicts", s.Conflicts == 0 ? "none" : $"[yellow]{s.Conflicts} open[/] (`cachefs conflicts` lists them)");
        Row("change cursor", s.Cursor.ToString(CultureInfo.InvariantCulture));
        Row("process", s.ProcessId.ToString(CultureInfo.InvariantCulture));
        console.Write(grid);
    }

    /// <summary>Runs <paramref name="work"/> under a progress bar (bytes, rate, time left) fed by its progress lines.</summary>
    public static async Task<T> WithProgressAsync<T>(IAnsiConsole console, Func<Action<ControlResponse>, Task<T>> work)
    {
        var progress = console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn());
        return await progress.StartAsync(async context =>
        {
            var task = context.AddTask("pinning", maxValue: 1);
            var result = await work(line =>
            {
                if (line.Progress is not { } p)
                    return;
                task.MaxValue = Math.Max(1, p.TotalBytes);
                task.Value = p.DoneBytes;
                task.Description = Markup.Escape(Shorten(p.Path));
            });
            task.Value = task.MaxValue;
            task.Description = "pinned";
            return result;
        });
    }

    private static Table FileTable(string what, IReadOnlyList<EvictedFile> files)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn(what).AddColumn(new TableColumn("bytes").RightAligned());
        if (files.Any(f => f.Reason is not null))
            table.AddColumn("why");
        foreach (var f in files.Take(ListedFiles))
        {
            var cells = new List<string> { Markup.Escape(f.Path), ByteSize.Format(f.Bytes) };
            if (f.Reason is { } reason)
                cells.Add(Describe(reason));
            table.AddRow(cells.ToArray());
        }

        if (files.Count > ListedFiles)
            table.AddRow($"… and {files.Count - ListedFiles} more", ByteSize.Format(files.Skip(ListedFiles).Sum(f => f.Bytes)));
        return table;
    }

    private static string Describe(SkipReason? reason) => reason switch
    {
        SkipReason.Dirty => "dirty (not uploaded yet)",
        SkipReason.Pinned => "pinned",
        SkipReason.Open => "open",
        SkipReason.Leased => "write-leased",
        SkipReason.Queued => "change queued for the origin",
        _ => "",
    };

    private static string Percent(long part, long whole) => whole == 0 ? "-" : (100.0 * part / whole).ToString("0", CultureInfo.InvariantCulture) + "%";

    private static string Shorten(string path) => path.Length <= 40 ? path : "…" + path[^39..];
}
