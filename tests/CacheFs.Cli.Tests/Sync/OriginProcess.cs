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

    public static async Task<OriginProcess> StartAsync(string root, string token, int leaseTtlSeconds)
    {
        var process = Process.Start(Cachefs.StartInfo(
            ["origin", "serve", "--root", root, "--listen", "127.0.0.1:0", "--token", token, "--lease-ttl", leaseTtlSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)]))!;
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
