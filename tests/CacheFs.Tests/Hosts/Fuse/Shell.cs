using System.Diagnostics;
using System.Runtime.InteropServices;

namespace CacheFs.Tests.Hosts.Fuse;

/// <summary>Runs ordinary programs (ln, stat, setfattr, fallocate …) against the mount, and the odd libc call .NET lacks.</summary>
internal static partial class Shell
{
    private const int AtFdCwd = -100;

    public static (int ExitCode, string Output, string Error) Run(string command, string? directory = null)
    {
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory ?? Path.GetTempPath(),
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.GetAwaiter().GetResult());
    }

    /// <summary>Runs <paramref name="command"/> and returns its trimmed output; fails the test if it fails.</summary>
    public static string Ok(string command, string? directory = null)
    {
        var (code, output, error) = Run(command, directory);
        code.Should().Be(0, $"`{command}` should succeed, but said: {error}");
        return output.Trim();
    }

    public static bool Exists(string program) => Run($"command -v {program}").ExitCode == 0;

    /// <summary>renameat2(2): 0, or the errno.</summary>
    public static int Rename2(string from, string to, uint flags) =>
        RenameAt2(AtFdCwd, from, AtFdCwd, to, flags) == 0 ? 0 : Marshal.GetLastPInvokeError();

    [LibraryImport("libc", EntryPoint = "renameat2", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int RenameAt2(int fromDirectory, string from, int toDirectory, string to, uint flags);
}
