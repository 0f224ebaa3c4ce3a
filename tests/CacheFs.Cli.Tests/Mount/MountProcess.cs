using System.Collections.Concurrent;
using System.Diagnostics;

namespace CacheFs.Cli.Tests.Mount;

/// <summary>
/// `cachefs mount` running in the foreground as a child process: the mount lives in that process, never in the test
/// process. Its log lines (stderr) are kept; disposing kills it if it still runs and detaches the mount.
/// </summary>
internal sealed class MountProcess : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log = new();
    private readonly TaskCompletionSource _mounted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private MountProcess(Process process, string mountPoint)
    {
        _process = process;
        MountPoint = mountPoint;
    }

    public string MountPoint { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Everything the process logged to the console so far.</summary>
    public string Log => string.Join('\n', _log);

    /// <summary>Log lines at error level or worse: a clean run has none.</summary>
    public IEnumerable<string> Errors => _log.Where(line => line.Contains(" ERR ", StringComparison.Ordinal) || line.Contains(" FTL ", StringComparison.Ordinal));

    /// <summary>Starts `cachefs mount <paramref name="mountPoint"/> --cache <paramref name="cache"/> …` and waits until it has logged "mounted".</summary>
    public static async Task<MountProcess> StartAsync(string mountPoint, string cache, params string[] more)
    {
        var mount = Start(mountPoint, cache, more);
        try
        {
            await mount.WaitUntilMountedAsync();
            return mount;
        }
        catch
        {
            mount.Dispose();
            throw;
        }
    }

    public static MountProcess Start(string mountPoint, string cache, params string[] more)
    {
        var process = Process.Start(Cachefs.StartInfo(["mount", mountPoint, "--cache", cache, .. more]))!;
        process.StandardInput.Close();
        var mount = new MountProcess(process, mountPoint);
        process.ErrorDataReceived += (_, e) => mount.OnLine(e.Data);
        process.OutputDataReceived += (_, e) => mount.OnLine(e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return mount;
    }

    public async Task WaitUntilMountedAsync()
    {
        var first = await Task.WhenAny(_mounted.Task, _process.WaitForExitAsync(), Task.Delay(StartTimeout));
        if (first != _mounted.Task)
            throw new InvalidOperationException($"`cachefs mount {MountPoint}` did not mount ({(_process.HasExited ? $"exit {_process.ExitCode}" : "timed out")}):\n{Log}");
        Mounts.IsCacheFsMount(MountPoint).Should().BeTrue("the process said it mounted");
    }

    public void Signal(int signal) => Posix.Kill(_process.Id, signal).Should().Be(0);

    /// <summary>Waits for the process to exit and returns its exit code; fails the test if it does not within the bound.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"`cachefs mount {MountPoint}` did not exit within {timeout}:\n{Log}");
        }

        return _process.ExitCode;
    }

    /// <summary>SIGTERM, then the exit code of the clean shutdown.</summary>
    public async Task<int> StopAsync()
    {
        Signal(Posix.SIGTERM);
        return await WaitForExitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>
    /// Kills the process so that its mount stays behind, dead (ENOTCONN), as when fusermount3's auto_unmount misses:
    /// the helper is stopped before the kill and killed after it. (Disposing still detaches the dead mount.)
    /// </summary>
    public async Task KillLeavingADeadMountAsync()
    {
        var helper = int.Parse(await Shell.OkAsync($"pgrep -P {Id} -x fusermount3"), System.Globalization.CultureInfo.InvariantCulture);
        Posix.Kill(helper, Posix.SIGSTOP).Should().Be(0);
        Signal(Posix.SIGKILL);
        await WaitForExitAsync(TimeSpan.FromSeconds(30));
        Posix.Kill(helper, Posix.SIGKILL).Should().Be(0);
        (await Eventually.TrueAsync(() => Mounts.IsDead(MountPoint), TimeSpan.FromSeconds(10))).Should().BeTrue("the mount is left dead");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(10_000);
        }

        Mounts.ForceUnmountAll(MountPoint);
        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
            return;
        _log.Enqueue(line);
        if (line.Contains(" mounted " + MountPoint + " ", StringComparison.Ordinal))
            _mounted.TrySetResult();
    }
}
