using System.CommandLine;
namespace CacheFs.Cli.Mount;

/// <summary>`cachefs mount &lt;dir&gt; --cache &lt;dir&gt;`: serves a volume at a directory through FUSE.</summary>
internal static class MountCommand
{
    /// <summary>Marks the detached child of --background; it reports to its parent instead of the terminal.</summary>
    public const string ForegroundChildName = "--foreground-child";

    public static Command Create()
    {
        var mountPoint = new Argument<string>("mount-point") { Description = "An empty directory to mount the volume on (Windows: a free drive letter such as X:, or a directory that does not exist yet)" };
        var cache = new Option<string>("--cache") { Description = "The cache directory: the journal, content objects and logs (created if missing)", Required = true };
        var threads = new Option<int>("--threads") { Description = "Most FUSE requests served at once", DefaultValueFactory = _ => 16 };
        threads.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 1024)
                result.AddError("--threads must be between 1 and 1024.");
        });
        var background = new Option<bool>("--background") { Description = "Return once mounted and keep serving from a detached process" };
        var allowOther = new Option<bool>("--allow-other") { Description = "Let other users use the mount (root, or user_allow_other in /etc/fuse.conf)" };
        var foregroundChild = new Option<bool>(ForegroundChildName) { Hidden = true };
        var origin = new Option<string>("--origin") { Description = "The origin server to mirror, e.g. http://files.example:7070 (token in --token or $CACHEFS_TOKEN)" };
        var token = new Option<string>("--token") { Description = "The bearer token for --origin (prefer $CACHEFS_TOKEN: a command line is visible to every user)" };
        var serve = new Option<string>("--serve") { Description = "Without --origin: the folder the mount's own embedded origin serves (default: <cache>/origin)" };
        var local = new Option<bool>("--local") { Description = "No origin at all: the cache is the only copy of the files" };
        var clientName = new Option<string>("--client-name") { Description = "This machine's name to the origin and other users (default: the host name)" };
        var offline = new Option<bool>("--offline") { Description = "Start offline by hand: serve what the cache holds and queue changes until `cachefs online`" };
        var service = new Option<bool>("--service") { Description = "Windows: run under the Service Control Manager (see `sc.exe create` in the README)" };

        var cacheSize = new Option<string>("--cache-size") { Description = "Cache quota (e.g. 20G): least recently used content is evicted above --cache-high percent of it, down to --cache-low" };
        var cacheHigh = new Option<int>("--cache-high") { Description = "Percent of --cache-size that starts eviction", DefaultValueFactory = _ => 90 };
        var cacheLow = new Option<int>("--cache-low") { Description = "Percent of --cache-size eviction brings the cache down to", DefaultValueFactory = _ => 70 };
        var minFree = new Option<string>("--min-free") { Description = "Free disk space to keep on the cache's disk, evicting if needed (with --cache-size)", DefaultValueFactory = _ => "1G" };

        var command = new Command("mount", "Mount a CacheFs volume on a directory (Linux: FUSE) or a drive letter (Windows: WinFsp). Runs until SIGINT/SIGTERM (Ctrl+C) or `cachefs unmount`.")
        {
            mountPoint, cache, threads, background, allowOther, foregroundChild, origin, token, serve, local, clientName, offline, service,
            cacheSize, cacheHigh, cacheLow, minFree,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(local) && (result.GetValue(origin) is not null || result.GetValue(serve) is not null))
                result.AddError("--local mounts without an origin; it cannot be combined with --origin or --serve.");
            if (result.GetValue(local) && result.GetValue(offline))
                result.AddError("--local has no origin to be offline from; --offline goes with --origin.");
            if (result.GetValue(origin) is { } text && !IsOriginAddress(text))
                result.AddError("--origin must be an http:// or https:// address, e.g. http://127.0.0.1:7070");
            if (result.GetValue(origin) is not null && result.GetValue(serve) is not null)
                result.AddError("--serve starts an origin in the mount; it cannot be combined with --origin.");
            if (result.GetValue(cacheSize) is { } size && (!Cache.ByteSize.TryParse(size, out var quota) || quota <= 0))
                result.AddError($"--cache-size takes a size such as 500M or 20G, not '{size}'.");
            if (result.GetValue(minFree) is { } free && !Cache.ByteSize.TryParse(free, out _))
                result.AddError($"--min-free takes a size such as 0, 500M or 2G, not '{free}'.");
            if (result.GetValue(service) && !OperatingSystem.IsWindows())
                result.AddError("--service is for Windows; on Linux run the mount from a systemd unit.");
        });
        command.SetAction(result =>
        {
            var settings = new MountSettings(
                MountPointPath(result.GetValue(mountPoint)!),
                FullPath(result.GetValue(cache)!),
                result.GetValue(threads),
                result.GetValue(CommandLine.LogLevel),
                result.GetValue(allowOther))
            {
                Origin = OriginOf(result.GetValue(origin), result.GetValue(token), result.GetValue(serve), result.GetValue(local), result.GetValue(clientName), result.GetValue(cache)!)
                    with { StartOffline = result.GetValue(offline) },
                Quota = QuotaOf(result.GetValue(cacheSize), result.GetValue(cacheHigh), result.GetValue(cacheLow), result.GetValue(minFree) ?? "1G"),
            };
            if (settings.Quota is { } limits && (limits.LowPercent <= 0 || limits.LowPercent > limits.HighPercent || limits.HighPercent > 100))
                return new MountReport(result.InvocationConfiguration.Error, parent: null).Failed(new MountFailure(ExitCodes.InvalidArguments, "--cache-low and --cache-high are percentages with 0 < low <= high <= 100."));
            if (settings.Origin is { Mode: OriginMode.Remote, Token: null })
                return new MountReport(result.InvocationConfiguration.Error, parent: null).Failed(new MountFailure(ExitCodes.InvalidArguments, $"--origin needs a token: --token, or ${OriginSettings.TokenVariable} in the environment."));
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
#if WINFSP
            if (OperatingSystem.IsWindows())
                return result.GetValue(service) ? WindowsService.Run(settings, error) : WindowsMount.RunInConsole(settings, error);
#endif
            if (!OperatingSystem.IsLinux())
                return new MountReport(error, parent: null).Failed(new MountFailure(ExitCodes.FuseMissing, "cachefs mount needs Linux and FUSE; the Windows host is not part of this build."));
            if (result.GetValue(background))
                return BackgroundLauncher.Run(settings, output, error);
            if (!result.GetValue(foregroundChild))
                return new ForegroundMount(settings, new MountReport(error, parent: null)).Run();
            Posix.SetSid();
            return new ForegroundMount(settings, new MountReport(error, parent: output)).Run();
        });
        return command;
    }

    public static string FullPath(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));

    private static Eviction.CacheQuota? QuotaOf(string? size, int high, int low, string minFree) =>
        size is not null && Cache.ByteSize.TryParse(size, out var quota) && Cache.ByteSize.TryParse(minFree, out var free)
            ? new Eviction.CacheQuota(quota, high, low, free)
            : null;
    /// <summary>A Windows drive letter ("x:") stays a drive letter; anything else is a path made full.</summary>
    private static string MountPointPath(string text) =>
        OperatingSystem.IsWindows() && text.Length == 2 && char.IsAsciiLetter(text[0]) && text[1] == ':' ? text.ToUpperInvariant() : FullPath(text);

    private static bool IsOriginAddress(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";

    private static OriginSettings OriginOf(string? origin, string? token, string? serve, bool local, string? clientName, string cache)
    {
        var name = string.IsNullOrWhiteSpace(clientName) ? Environment.MachineName : clientName;
        token ??= Environment.GetEnvironmentVariable(OriginSettings.TokenVariable);
        if (local)
            return OriginSettings.Local with { ClientName = name };
        if (origin is not null)
            return new OriginSettings(OriginMode.Remote, new Uri(origin), token, name, null);
        return new OriginSettings(OriginMode.Embedded, null, null, name, FullPath(serve ?? OriginSettings.DefaultServeRoot(FullPath(cache))));
    }
}
