using System.Diagnostics;

namespace CacheFs.Cli.Tests.Mount;

/// <summary>Runs ordinary programs (git, sqlite3, tar, rsync, python3 …) as separate processes.</summary>
internal static class Shell
{
    public static Task<CommandResult> RunAsync(string command, string? directory = null, string? input = null)
    {
        var start = new ProcessStartInfo("/bin/bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = directory ?? Path.GetTempPath(),
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("set -euo pipefail\n" + command);
        return input is null ? Cachefs.RunAsync(start, command) : RunWithInputAsync(start, command, input);
    }

    /// <summary>Runs <paramref name="command"/> and returns its trimmed output; fails the test if it fails.</summary>
    public static async Task<string> OkAsync(string command, string? directory = null, string? input = null)
    {
        var result = await RunAsync(command, directory, input);
        result.ExitCode.Should().Be(0, $"`{command}` should succeed, but said: {result.Error}");
        return result.Output.Trim();
    }

    private static async Task<CommandResult> RunWithInputAsync(ProcessStartInfo start, string command, string input)
    {
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return new CommandResult(process.ExitCode, await output, await error);
    }
}
