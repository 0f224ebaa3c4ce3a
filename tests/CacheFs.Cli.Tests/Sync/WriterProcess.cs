using System.Diagnostics;

namespace CacheFs.Cli.Tests.Sync;

/// <summary>
/// A separate process that opens a file for writing, writes given bytes and keeps the file open until told to close.
/// The test process itself must not hold a file on a mount it freezes: every process it starts would inherit the
/// descriptor, and closing it at exec sends a FLUSH that waits for the frozen mount.
/// </summary>
internal sealed class WriterProcess : IDisposable
{
    private const string Script = """
        import sys
        f = open(sys.argv[1], 'r+b')
        f.write(open(sys.argv[2], 'rb').read())
        f.flush()
        print('ready', flush=True)
        sys.stdin.readline()
        f.close()
        print('closed', flush=True)
        """;

    private readonly Process _process;

    private WriterProcess(Process process) => _process = process;

    /// <summary>Opens <paramref name="path"/> without truncating it, writes <paramref name="bytes"/> at its start, and keeps it open.</summary>
    public static async Task<WriterProcess> StartAsync(string path, byte[] bytes)
    {
        var source = Path.GetTempFileName();
        await File.WriteAllBytesAsync(source, bytes);
        var start = new ProcessStartInfo("python3") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "-c", Script, path, source })
            start.ArgumentList.Add(argument);
        var writer = new WriterProcess(Process.Start(start)!);
        var line = await writer._process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        File.Delete(source);
        line.Should().Be("ready", "the writer opened and wrote the file");
        return writer;
    }

    /// <summary>Closes the file (its upload is queued then) and waits for the writer to exit.</summary>
    public async Task CloseAsync()
    {
        await _process.StandardInput.WriteLineAsync("close");
        await _process.StandardInput.FlushAsync();
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        _process.ExitCode.Should().Be(0);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill();
        _process.Dispose();
    }
}
