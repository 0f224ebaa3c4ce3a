using System.Diagnostics;
using System.Net;
using CacheFs.Protocol;

namespace CacheFs.Origin.Tests.Content;

/// <summary>
/// A full disk: the origin's root on a 4 MiB tmpfs. Needs root to mount; elsewhere the test has nothing to check and
/// passes without asserting.
/// </summary>
public sealed class NoSpaceTests : IAsyncLifetime
{
    private readonly string _directory = Path.Join(Path.GetTempPath(), "cachefs-nospace-" + Guid.NewGuid().ToString("N"));
    private bool _mounted;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _mounted = await RunAsync("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", _directory) == 0;
    }

    public async Task DisposeAsync()
    {
        if (_mounted)
            await RunAsync("umount", "-l", _directory);
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Put_LargerThanTheFreeSpace_Is507_AndTheOldVersionStays()
    {
        if (!_mounted)
            return;
        var root = Path.Join(_directory, "root");
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Join(root, "small.txt"), "old");
        await using var origin = await OriginServer.StartAsync(new OriginOptions { Root = root, Listen = "127.0.0.1:0", Tokens = [OriginToken.FromSecret("t", "t")] });
        using var http = new HttpClient { BaseAddress = origin.Uri };
        http.DefaultRequestHeaders.Authorization = new("Bearer", "t");
        using var client = new OriginClient(http);

        using var response = await client.PutRawAsync("small.txt", new byte[8 << 20]);
        await OriginClient.Problem(response, HttpStatusCode.InsufficientStorage, ErrorCode.NoSpace);

        File.ReadAllText(Path.Join(root, "small.txt")).Should().Be("old");
        Directory.EnumerateFiles(Path.Join(origin.StateDirectory, "uploads")).Should().BeEmpty();
        (await client.NodeAsync("small.txt")).Size.Should().Be(3);
    }

    private static async Task<int> RunAsync(string program, params string[] arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            await process.WaitForExitAsync();
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1;
        }
    }
}
