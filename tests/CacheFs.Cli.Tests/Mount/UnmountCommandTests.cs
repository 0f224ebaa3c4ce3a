using CacheFs.Cli.Mount;

namespace CacheFs.Cli.Tests.Mount;

/// <summary>`cachefs unmount`: CacheFs mounts only, busy mounts explained, and the process behind the mount stopped.</summary>
public sealed class UnmountCommandTests
{
    [Fact]
    public async Task Unmount_ForegroundMount_EndsTheMountProcessCleanly()
    {
        using var scratch = new Scratch();
        using var mount = await MountProcess.StartAsync(scratch.MountPoint, scratch.Cache);

        var result = await Cachefs.RunAsync("unmount", scratch.MountPoint);

        result.ExitCode.Should().Be(ExitCodes.Ok, result.Error);
        mount.HasExited.Should().BeTrue("unmount returns once the serving process has closed the cache");
        mount.ExitCode.Should().Be(ExitCodes.Ok);
        mount.Log.Should().Contain($"{scratch.MountPoint} was unmounted");
    }

    [Fact]
    public async Task Unmount_DeadMount_DetachesIt()
    {
        using var scratch = new Scratch();
        using var dead = await MountProcess.StartAsync(scratch.MountPoint, scratch.Cache);
        await dead.KillLeavingADeadMountAsync();

        var result = await Cachefs.RunAsync("unmount", scratch.MountPoint);

        result.ExitCode.Should().Be(ExitCodes.Ok, result.Error);
        Mounts.IsMounted(scratch.MountPoint).Should().BeFalse();
    }

    [Fact]
    public async Task Unmount_NotMounted_FailsWithNotMounted()
    {
        using var scratch = new Scratch();

        var result = await Cachefs.RunAsync("unmount", scratch.MountPoint);

        result.ExitCode.Should().Be(ExitCodes.NotMounted);
        result.Error.Should().Contain($"{scratch.MountPoint} is not mounted.");
    }

    [Fact]
    public async Task Unmount_OtherFileSystem_RefusesAndLeavesItMounted()
    {
        using var scratch = new Scratch();
        await Shell.OkAsync($"mount -t tmpfs -o size=1m cachefs-test-tmpfs {scratch.MountPoint}");

        var result = await Cachefs.RunAsync("unmount", scratch.MountPoint);

        result.ExitCode.Should().Be(ExitCodes.NotCacheFs);
        result.Error.Should().Contain($"{scratch.MountPoint} is not a CacheFs mount (it is tmpfs from cachefs-test-tmpfs)");
        Mounts.IsMounted(scratch.MountPoint).Should().BeTrue();
    }

    [Fact]
    public async Task Unmount_WithAFileOpen_FailsBusyThenLazyDetaches()
    {
        using var scratch = new Scratch();
        using var mount = await MountProcess.StartAsync(scratch.MountPoint, scratch.Cache);
        var path = Path.Combine(scratch.MountPoint, "open.txt");

        CommandResult busy;
        CommandResult lazy;
        using (var open = File.Create(path))
        {
            busy = await Cachefs.RunAsync("unmount", scratch.MountPoint);
            Mounts.IsMounted(scratch.MountPoint).Should().BeTrue();
            lazy = await Cachefs.RunAsync("unmount", "--lazy", scratch.MountPoint);
            Mounts.IsMounted(scratch.MountPoint).Should().BeFalse("a lazy unmount detaches at once");
            open.Write("still writable after the detach"u8);
        }

        busy.ExitCode.Should().Be(ExitCodes.UnmountBusy);
        busy.Error.Should().Contain($"{scratch.MountPoint} is busy").And.Contain("cachefs unmount --lazy");
        lazy.ExitCode.Should().Be(ExitCodes.Ok, lazy.Error);
        (await mount.WaitForExitAsync(TimeSpan.FromSeconds(60))).Should().Be(ExitCodes.Ok, "the process ends once the last file is closed");
    }
}
