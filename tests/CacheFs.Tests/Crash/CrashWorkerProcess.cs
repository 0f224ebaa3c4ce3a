using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace CacheFs.Tests.Crash;

/// <summary>The crash worker as a child process (<c>dotnet CacheFs.CrashWorker.dll</c>): started, awaited until "ready", killed.</summary>
internal sealed class CrashWorkerProcess : IDisposable
{
    private static readonly string WorkerPath = Path.Combine(AppContext.BaseDirectory, "CacheFs.CrashWorker.dll");

    private readonly Process _process;
    private readonly TaskCompletionSource<long> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<long> _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly StringBuilder _stderr = new();

    private CrashWorkerProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Stderr
    {
        get
        {
            lock (_stderr)
                return _stderr.ToString();
        }
    }

    public static CrashWorkerProcess Start(string cacheDirectory, string ledger, int seed, string mode)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(WorkerPath);
        start.ArgumentList.Add(cacheDirectory);
        start.ArgumentList.Add(ledger);
        start.ArgumentList.Add(seed.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add(mode);
        var worker = new CrashWorkerProcess(new Process { StartInfo = start });
        worker._process.OutputDataReceived += (_, e) =>
        {
            if (e.Data == "ready")
                worker._ready.TrySetResult(Stopwatch.GetTimestamp());
            else if (e.Data == "held")
                worker._held.TrySetResult(Stopwatch.GetTimestamp());
        };
        worker._process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
                return;
            lock (worker._stderr)
                worker._stderr.AppendLine(e.Data);
        };
        worker._process.Start();
        worker._process.BeginOutputReadLine();
        worker._process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>
    /// Completes when the worker has its volume open, with the <see cref="Stopwatch"/> timestamp at which it said so;
    /// throws if it exits first or takes longer than <paramref name="timeout"/>.
    /// </summary>
    public Task<long> WaitReadyAsync(TimeSpan timeout) => WaitForAsync(_ready.Task, "ready", timeout);

    /// <summary>Completes when a "held" worker has built its scenario.</summary>
    public Task<long> WaitHeldAsync(TimeSpan timeout) => WaitForAsync(_held.Task, "held", timeout);

    /// <summary>SIGKILL (what <see cref="Process.Kill()"/> sends on Linux), then the exit status the kernel reported.</summary>
    public async Task<int> KillAsync(TimeSpan timeout)
    {
        _process.Kill();
        await _process.WaitForExitAsync().WaitAsync(timeout);
        return _process.ExitCode;
    }

    private async Task<long> WaitForAsync(Task<long> said, string what, TimeSpan timeout)
    {
        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(said, exited).WaitAsync(timeout);
        if (first == exited)
            throw new InvalidOperationException($"the crash worker exited with {_process.ExitCode} before it was {what}:\n{Stderr}");
        return await said;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill();
        _process.Dispose();
    }

    /// <summary>The dotnet host running these tests; the CLI names it in DOTNET_HOST_PATH.</summary>
    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
            return host;
        if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet")
            return self;
        return "dotnet";
    }
}
