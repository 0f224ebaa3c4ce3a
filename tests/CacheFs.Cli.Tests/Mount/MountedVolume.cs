using CacheFs.Cli.Mount;

namespace CacheFs.Cli.Tests.Mount;

/// <summary>
/// One `cachefs mount` process for a test class; each test works in a directory of its own. Disposing stops the mount
/// with SIGTERM and fails if it did not exit cleanly or logged an error.
/// </summary>
public sealed class MountedVolume : IAsyncLifetime, IDisposable
{
    private readonly Scratch _scratch = new();
    private MountProcess? _mount;

    public string MountPoint => _scratch.MountPoint;

    /// <summary>Scratch space outside the mount (sources to copy in, copies out, ledgers).</summary>
    public string Outside(string name) => Directory.CreateDirectory(_scratch.Path(Path.Combine("outside", name))).FullName;

    /// <summary>A new, empty directory on the mount.</summary>
    public string Inside(string name) => Directory.CreateDirectory(Path.Combine(MountPoint, name)).FullName;

    public async Task InitializeAsync() => _mount = await MountProcess.StartAsync(_scratch.MountPoint, _scratch.Cache);

    public async Task DisposeAsync()
    {
        if (_mount is null)
            return;
        var exit = await _mount.StopAsync();
        exit.Should().Be(ExitCodes.Ok, _mount.Log);
        _mount.Errors.Should().BeEmpty("no FUSE callback may fail unexpectedly");
    }

    /// <summary>Runs after <see cref="DisposeAsync"/>, even when it failed: no process, mount or directory is left.</summary>
    public void Dispose()
    {
        _mount?.Dispose();
        _scratch.Dispose();
    }
}
