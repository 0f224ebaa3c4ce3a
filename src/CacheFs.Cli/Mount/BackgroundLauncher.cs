using System.Collections.Concurrent;
using System.Diagnostics;

namespace CacheFs.Cli.Mount;

/// <summary>
/// `cachefs mount --background`: starts this same program again as a detached child (its own session, working
/// directory /, standard streams on pipes), waits for the child's one-line report, and exits — 0 once it is mounted,
/// the child's exit code and message if it is not. The child keeps serving after the parent is gone.
/// </summary>
internal static class BackgroundLauncher
{
    /// <summary>Longer than the mount's own handshake timeout, so a child that is still trying reports for itself.</summary>
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    public static int Run(MountSettings settings, TextWriter output, TextWriter error)
    {
        using var child = Process.Start(ChildStart(settings))
            ?? throw new InvalidOperationException("Cannot start the background mount process.");
        child.StandardInput.Close();
        var childErrors = new ConcurrentQueue<string>();
        child.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
                childErrors.Enqueue(e.Data);
        };
        child.BeginErrorReadLine();

        var report = child.StandardOutput.ReadLineAsync();
        if (!report.Wait(ReadyTimeout))
        {
            child.Kill();
            error.WriteLine($"cachefs: the background mount of {settings.MountPoint} was not ready within {ReadyTimeout.TotalSeconds:0} s; stopped it (see {Logging.LogSetup.Folder(settings.CacheDirectory)})");
            return ExitCodes.MountFailed;
        }

        var line = report.GetAwaiter().GetResult();
        if (line is null)
            return ChildDied(child, childErrors, settings, error);
        if (MountReport.Parse(line) is { } failure)
        {
            error.WriteLine("cachefs: " + failure.Message);
            return failure.ExitCode;
        }

        output.WriteLine($"mounted {settings.MountPoint} (cache {settings.CacheDirectory}) in the background, process {child.Id}; stop it with: cachefs unmount {settings.MountPoint}");
        return ExitCodes.Ok;
    }

    private static ProcessStartInfo ChildStart(MountSettings settings)
    {
        // Run through the dotnet muxer (dotnet CacheFs.Cli.dll), the program is the muxer and the dll its first argument.
        var program = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this program is unknown.");
        var start = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/",
        };
        if (Path.GetFileNameWithoutExtension(program) == "dotnet")
            start.ArgumentList.Add(typeof(BackgroundLauncher).Assembly.Location);
        foreach (var argument in settings.ChildArguments())
            start.ArgumentList.Add(argument);
        if (settings.Origin.Token is { } token)
            start.Environment[OriginSettings.TokenVariable] = token;
        return start;
    }

    private static int ChildDied(Process child, ConcurrentQueue<string> childErrors, MountSettings settings, TextWriter error)
    {
        // The output closed: the child is exiting, so its exit code and last words arrive shortly.
        child.WaitForExit(TimeSpan.FromSeconds(10));
        var code = child.HasExited ? child.ExitCode : ExitCodes.Failed;
        error.WriteLine($"cachefs: the background mount of {settings.MountPoint} exited with code {code} before it was ready (see {Logging.LogSetup.Folder(settings.CacheDirectory)})");
        foreach (var line in childErrors.TakeLast(20))
            error.WriteLine("  " + line);
        return code == ExitCodes.Ok ? ExitCodes.Failed : code;
    }
}
