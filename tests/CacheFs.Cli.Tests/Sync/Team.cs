using CacheFs.Cli.Tests.Mount;

namespace CacheFs.Cli.Tests.Sync;

/// <summary>
/// One origin and several mounts of it, every one a separate process on loopback with its own cache, as a team
/// would run them. Mount i is named "ws-i" to the origin.
/// </summary>
internal sealed class Team : IAsyncDisposable
{
    public const string Token = "team-token";

    private readonly Scratch _scratch = new();
    private readonly List<MountProcess> _mounts = [];
    private string[] _mountArguments = [];
    private int _leaseTtlSeconds;

    private Team()
    {
    }

    public OriginProcess Origin { get; private set; } = null!;

    /// <summary>Between the mounts and the origin when the team was started with <c>counted</c>; null otherwise.</summary>
    public CountingRelay? Relay { get; private set; }

    /// <summary>The origin's own folder (what an admin sees on the server).</summary>
    public string OriginRoot => _scratch.Path("origin");

    public IReadOnlyList<MountProcess> Mounts => _mounts;

    public string MountPoint(int i) => _scratch.Path($"mnt{i}");

    public string Cache(int i) => _scratch.Path($"cache{i}");

    /// <summary>Starts the origin over a folder prepared by <paramref name="seed"/>, then <paramref name="mounts"/> mounts.</summary>
    /// <remarks><paramref name="mountArguments"/> go to every `cachefs mount` (e.g. --cache-size).</remarks>
    /// <remarks>With <paramref name="counted"/> the mounts reach the origin through a <see cref="CountingRelay"/>.</remarks>
    public static async Task<Team> StartAsync(int mounts, int leaseTtlSeconds = 30, Action<string>? seed = null, string[]? mountArguments = null, bool counted = false)
    {
        var team = new Team { _mountArguments = mountArguments ?? [], _leaseTtlSeconds = leaseTtlSeconds };
        try
        {
            Directory.CreateDirectory(team.OriginRoot);
            seed?.Invoke(team.OriginRoot);
            team.Origin = await OriginProcess.StartAsync(team.OriginRoot, Token, leaseTtlSeconds);
            team.Relay = counted ? new CountingRelay(team.Origin.Uri.Port) : null;
            for (var i = 0; i < mounts; i++)
                team._mounts.Add(await team.MountAsync(i));
            return team;
        }
        catch
        {
            await team.DisposeAsync();
            throw;
        }
    }

    /// <summary>(Re)mounts mount <paramref name="i"/> on its own cache.</summary>
    public async Task<MountProcess> MountAsync(int i)
    {
        Directory.CreateDirectory(MountPoint(i));
        var mount = await MountProcess.StartAsync(
            MountPoint(i),
            Cache(i),
            ["--origin", (Relay?.Uri ?? Origin.Uri).ToString(), "--token", Token, "--client-name", $"ws-{i}", .. _mountArguments]);
        if (i < _mounts.Count)
            _mounts[i] = mount;
        return mount;
    }

    /// <summary>Stops the origin: with <paramref name="kill"/>, by SIGKILL, as a crash would.</summary>
    public async Task StopOriginAsync(bool kill = false)
    {
        if (kill)
            await Origin.KillAsync();
        else
            await Origin.StopAsync();
    }

    /// <summary>Starts the stopped origin again on the same root and port.</summary>
    public async Task RestartOriginAsync()
    {
        var port = Origin.Uri.Port;
        Origin.Dispose();
        Origin = await OriginProcess.RestartAsync(OriginRoot, Token, _leaseTtlSeconds, port);
    }

    /// <summary>`cachefs offline` or `cachefs online` for mount <paramref name="i"/>.</summary>
    public async Task SetOfflineAsync(int i, bool offline)
    {
        var result = await Cachefs.RunAsync(offline ? "offline" : "online", "--mount", MountPoint(i));
        result.ExitCode.Should().Be(0, result.Error + result.Output);
    }

    /// <summary>`cachefs sync --mount`: returns once every change of mount <paramref name="i"/> reached the origin.</summary>
    public async Task SyncAsync(int i)
    {
        var result = await Cachefs.RunAsync("sync", "--mount", MountPoint(i), "--timeout", "60");
        result.ExitCode.Should().Be(0, result.Error + result.Output + "\n" + _mounts[i].Log);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var mount in _mounts)
        {
            if (!mount.HasExited)
            {
                try
                {
                    await mount.StopAsync();
                }
                catch (TimeoutException)
                {
                    // Disposed (killed) below.
                }
            }

            mount.Dispose();
        }

        Origin?.Dispose();
        if (Relay is not null)
            await Relay.DisposeAsync();
        _scratch.Dispose();
    }
}
