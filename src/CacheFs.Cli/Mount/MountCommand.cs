using System.CommandLine;
namespace CacheFs.Cli.Mount;

/// <summary>`cachefs mount &lt;dir&gt; --cache &lt;dir&gt;`: serves a volume at a directory through FUSE.</summary>
internal static class MountCommand
{
    /// <summary>Marks the detached child of --background; it reports to its parent instead of the terminal.</summary>
    public const string ForegroundChildName = "--foreground-child";

    public static Command Create()
    {
        var mountPoint = new Argument<string>("mount-point") { Description = "An empty directory to mount the volume on" };
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

        var command = new Command("mount", "Mount a CacheFs volume on a directory (Linux: FUSE). Runs until SIGINT/SIGTERM or `cachefs unmount`.")
        {
            mountPoint, cache, threads, background, allowOther, foregroundChild,
        };
        command.SetAction(result =>
        {
            var settings = new MountSettings(
                FullPath(result.GetValue(mountPoint)!),
                FullPath(result.GetValue(cache)!),
                result.GetValue(threads),
                result.GetValue(CommandLine.LogLevel),
                result.GetValue(allowOther));
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
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
}
