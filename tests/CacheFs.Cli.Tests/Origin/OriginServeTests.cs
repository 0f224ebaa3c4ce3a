using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using CacheFs.Cli.Tests.Mount;
using CacheFs.Protocol;

namespace CacheFs.Cli.Tests.Origin;

/// <summary>`cachefs origin serve` as a separate process: it serves, refuses without a token, and stops cleanly on SIGTERM.</summary>
public sealed class OriginServeTests : IDisposable
{
    private readonly string _directory = Path.Join(Path.GetTempPath(), "cachefs-origin-cli-" + Guid.NewGuid().ToString("N"));

    public OriginServeTests()
    {
        Directory.CreateDirectory(Path.Join(_directory, "root", "shots"));
        File.WriteAllText(Path.Join(_directory, "root", "shots", "take1.txt"), "action");
    }

    private string Root => Path.Join(_directory, "root");

    [Fact]
    public async Task Serve_PrintsItsUrl_ServesTheTree_AndStopsOnSigterm()
    {
        using var process = Process.Start(Cachefs.StartInfo(["origin", "serve", "--root", Root, "--listen", "127.0.0.1:0", "--token", "s3cret"]))!;
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            if (line is null)
                throw new InvalidOperationException(await Finish(process, error));
            var uri = new Uri(line!);

            using var http = new HttpClient { BaseAddress = uri };
            (await http.GetAsync(Routes.Health)).StatusCode.Should().Be(HttpStatusCode.OK);
            (await http.GetAsync($"{Routes.List}?path=shots")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret");
            (await http.GetStringAsync($"{Routes.List}?path=shots")).Should().Contain("take1.txt");
            (await http.GetStringAsync($"{Routes.Content}?path=shots/take1.txt")).Should().Be("action");

            Posix.Kill(process.Id, Posix.SIGTERM).Should().Be(0);
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            process.ExitCode.Should().Be(0, await error);
            (await error).Should().Contain("stopping the origin").And.NotContain(" ERR ");
        }
        finally
        {
            if (!process.HasExited)
                process.Kill();
        }
    }

    [Fact]
    public async Task Serve_WithoutAToken_ExitsWithAClearMessage()
    {
        var result = await Cachefs.RunAsync("origin", "serve", "--root", Root, "--listen", "127.0.0.1:0");
        result.ExitCode.Should().Be(2);
        result.Error.Should().Contain("--token").And.Contain("--tokens-file");
        Directory.Exists(Path.Join(Root, ".cachefs-origin")).Should().BeFalse("nothing is created before the arguments are checked");
    }

    [Fact]
    public async Task Serve_WithAMissingRoot_ExitsWithAClearMessage()
    {
        var missing = Path.Join(_directory, "missing");
        var result = await Cachefs.RunAsync("origin", "serve", "--root", missing, "--token", "t");
        result.ExitCode.Should().Be(60);
        result.Error.Should().Contain(missing).And.Contain("does not exist");
        Directory.Exists(missing).Should().BeFalse();
    }

    [Fact]
    public async Task Serve_OnAPortInUse_ExitsWithAClearMessage()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var result = await Cachefs.RunAsync("origin", "serve", "--root", Root, "--listen", $"127.0.0.1:{port}", "--token", "t");
        result.ExitCode.Should().Be(63);
        result.Error.Should().Contain("in use");
    }

    [Fact]
    public async Task Serve_WithATokensFile_AcceptsEachClientsToken()
    {
        var hash = await Cachefs.RunAsync("origin", "hash-token", "ws-token");
        hash.ExitCode.Should().Be(0);
        hash.Output.Trim().Should().MatchRegex("^[0-9a-f]{64}$");
        var tokens = Path.Join(_directory, "tokens");
        File.WriteAllText(tokens, $"# who may connect\nws-001 {hash.Output.Trim()}\n");

        using var process = Process.Start(Cachefs.StartInfo(["origin", "serve", "--root", Root, "--listen", "127.0.0.1:0", "--tokens-file", tokens, "--state", Path.Join(_directory, "state")]))!;
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            if (line is null)
                throw new InvalidOperationException(await Finish(process, error));
            using var http = new HttpClient { BaseAddress = new Uri(line!) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "ws-token");
            (await http.GetAsync($"{Routes.Node}?path=shots")).StatusCode.Should().Be(HttpStatusCode.OK);
            File.Exists(Path.Join(_directory, "state", "origin.db")).Should().BeTrue();
            Directory.Exists(Path.Join(Root, ".cachefs-origin")).Should().BeFalse();
        }
        finally
        {
            Posix.Kill(process.Id, Posix.SIGINT);
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }

        process.ExitCode.Should().Be(0);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Leftovers in /tmp are harmless.
        }
    }

    private static async Task<string> Finish(Process process, Task<string> error)
    {
        if (!process.HasExited)
            process.Kill();
        await process.WaitForExitAsync();
        return $"the origin exited {process.ExitCode}: {await error}";
    }
}
