using System.Collections.Concurrent;
using System.Diagnostics;
using CacheFs.Cli.Tests.Mount;

namespace CacheFs.Cli.Tests.Sync;

/// <summary>`cachefs origin serve` as a separate process on loopback (any free port); its first output line is its address.</summary>
internal sealed class OriginProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log = new();

    private OriginProcess(Process process, Uri uri, string root)
    {
        _process = process;
        Uri = uri;
        Root = root;
    }

    public Uri Uri { get; }

    public string Root { get; }

    public string Log => string.Join('\n', _log);

    public int Id => _process.Id;

    /// <summary>Starts an origin on <paramref name="port"/> (0: any free one).</summary>
    public static async Task<OriginProcess> StartAsync(string root, string token, int leaseTtlSeconds, int port = 0)
    {
        var process = Process.Start(Cachefs.StartInfo(
            ["origin", "serve", "--root", root, "--listen", $"127.0.0.1:{port}", "--token", token, "--lease-ttl", leaseTtlSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)]))!;
        process.StandardInput.Close();
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (line is null || !Uri.TryCreate(line, UriKind.Absolute, out var uri))
        {
            var error = await process.StandardError.ReadToEndAsync();
            process.Dispose();
            throw new InvalidOperationException($"the origin did not start: {line}\n{error}");
        }

        var origin = new OriginProcess(process, uri, root);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
                origin._log.Enqueue(e.Data);
        };
        process.BeginErrorReadLine();
        return origin;
    }

    /// <summary>
    /// Starts the origin again on the same root and port, as an admin restarting the server would; the mounts keep
    /// their address. The port may take a moment to be free again.
    /// </summary>
    public static async Task<OriginProcess> RestartAsync(string root, string token, int leaseTtlSeconds, int port)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartAsync(root, token, leaseTtlSeconds, port);
            }
            catch (InvalidOperationException) when (attempt < 20)
            {
                await Task.Delay(250);
            }
        }
    }

    /// <summary>Kills the origin at once (a crash, a pulled cable); nothing is flushed.</summary>
    public async Task KillAsync()
    {
        Posix.Kill(_process.Id, Posix.SIGKILL).Should().Be(0);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
    }

    public async Task<int> StopAsync()
    {
        Posix.Kill(_process.Id, Posix.SIGTERM).Should().Be(0);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }
}
