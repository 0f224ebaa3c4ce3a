using System.Diagnostics;

namespace CacheFs.Cli.Tests.Mount;

/// <summary>The real `cachefs` executable, run as a separate process.</summary>
internal static class Cachefs
{
    public static readonly string Executable = Path.Combine(AppContext.BaseDirectory, "cachefs");

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        return start;
    }

    /// <summary>Runs `cachefs args…` to its end (a foreground mount never ends: use <see cref="MountProcess"/>).</summary>
    public static async Task<CommandResult> RunAsync(params string[] arguments) =>
        await RunAsync(StartInfo(arguments), string.Join(' ', arguments));

    /// <summary>Runs any program; the output is read to its end, so the program's helpers must not keep it open.</summary>
    public static async Task<CommandResult> RunAsync(ProcessStartInfo start, string description)
    {
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{description}` did not finish within {Timeout}");
        }

        return new CommandResult(process.ExitCode, await output, await error);
    }
}

internal sealed record CommandResult(int ExitCode, string Output, string Error);
