using System.Diagnostics;

namespace CacheFs.Cli.Tests.Sync;

/// <summary>A python3 process running a given script, talked to line by line (a lock holder or waiter).</summary>
internal sealed class LockerProcess : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly Process _process;

    private LockerProcess(Process process) => _process = process;

    public static Task<LockerProcess> StartAsync(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        return Task.FromResult(new LockerProcess(Process.Start(start)!));
    }

    public async Task<string> ReadLineAsync() =>
        await _process.StandardOutput.ReadLineAsync().WaitAsync(Patience) ?? "(exited)";

    public async Task SendLineAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>SIGKILL, as a user's Ctrl-C or kill would end a process stuck waiting for a lock.</summary>
    public async Task KillAndWaitAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync().WaitAsync(Patience);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill();
        _process.Dispose();
    }
}
