using System.Globalization;
using CacheFs.Cli.Mount;

namespace CacheFs.Cli.Tests.Mount;

/// <summary>`cachefs mount` as users run it: a separate process in the foreground or the background, and every clear error.</summary>
public sealed class MountCommandTests
{
    [Theory]
    [InlineData(Posix.SIGTERM)]
    [InlineData(Posix.SIGINT)]
    public async Task Mount_Foreground_ServesUntilSignalThenExitsCleanlyAndKeepsFiles(int signal)
    {
        using var scratch = new Scratch();
        var file = Path.Combine(scratch.MountPoint, "kept.txt");
        using (var mount = await MountProcess.StartAsync(scratch.MountPoint, scratch.Cache))
        {
            mount.Log.Should().Contain($"mounted {scratch.MountPoint} (cache {scratch.Cache})");
            await File.WriteAllTextAsync(file, "across mounts");

            mount.Signal(signal);

            (await mount.WaitForExitAsync(TimeSpan.FromSeconds(60))).Should().Be(ExitCodes.Ok, mount.Log);
            Mounts.IsMounted(scratch.MountPoint).Should().BeFalse("a clean exit unmounts");
            mount.Errors.Should().BeEmpty();
            mount.Log.Should().Contain("the journal is closed");
        }

        Directory.EnumerateFileSystemEntries(scratch.MountPoint).Should().BeEmpty("the mount point is a plain empty directory again");
        Directory.EnumerateFiles(Path.Combine(scratch.Cache, "logs")).Should().NotBeEmpty("the mount logs into its cache");
        using var again = await MountProcess.StartAsync(scratch.MountPoint, scratch.Cache);
        (await File.ReadAllTextAsync(file)).Should().Be("across mounts");
        (await again.StopAsync()).Should().Be(ExitCodes.Ok);
    }

    [Fact]
    public async Task Mount_Background_ReturnsOnceMountedAndUnmountStopsTheProcess()
    {
        using var scratch = new Scratch();

        var mounted = await Cachefs.RunAsync("mount", scratch.MountPoint, "--cache", scratch.Cache, "--background", "--threads", "4");

        mounted.ExitCode.Should().Be(ExitCodes.Ok, mounted.Error);
        mounted.Output.Should().Contain($"mounted {scratch.MountPoint} (cache {scratch.Cache}) in the background");
        Mounts.IsCacheFsMount(scratch.MountPoint).Should().BeTrue();
        var server = int.Parse(mounted.Output.Split("process ")[1].Split(';')[0], CultureInfo.InvariantCulture);
        await File.WriteAllTextAsync(Path.Combine(scratch.MountPoint, "a.txt"), "served by the background process");
        File.ReadAllText(Path.Combine(scratch.Cache, "cachefs.owner")).Trim().Should().Be(server.ToString(CultureInfo.InvariantCulture));

        var unmounted = await Cachefs.RunAsync("unmount", scratch.MountPoint);

        unmounted.ExitCode.Should().Be(ExitCodes.Ok, unmounted.Error);
        Mounts.IsMounted(scratch.MountPoint).Should().BeFalse();
        IsRunning(server).Should().BeFalse("unmount waits until the serving process has closed the cache");
        File.ReadAllText(Directory.EnumerateFiles(Path.Combine(scratch.Cache, "logs")).Single()).Should().Contain("the journal is closed");
    }

    [Fact]
    public async Task Mount_BackgroundOnACacheInUse_ReportsTheChildsErrorAndExitCode()
    {
        using var scratch = new Scratch();
        using var first = await MountProcess.StartAsync(scratch.MountPoint, scratch.Cache);
        var other = Directory.CreateDirectory(scratch.Path("other")).FullName;

        var second = await Cachefs.RunAsync("mount", other, "--cache", scratch.Cache, "--background");

        second.ExitCode.Should().Be(ExitCodes.CacheInUse);
        second.Error.Should().Contain($"cachefs: The cache directory {scratch.Cache} is in use by another CacheFs volume (process {first.Id})");
        Mounts.IsMounted(other).Should().BeFalse();
        (await first.StopAsync()).Should().Be(ExitCodes.Ok);
    }

    [Fact]
    public async Task Mount_SameCacheTwice_SecondFailsWithCacheInUseAndFirstKeepsServing()
    {
        using var scratch = new Scratch();
        using var first = await MountProcess.StartAsync(scratch.MountPoint, scratch.Cache);
        var other = Directory.CreateDirectory(scratch.Path("other")).FullName;

        var second = await Cachefs.RunAsync("mount", other, "--cache", scratch.Cache);

        second.ExitCode.Should().Be(ExitCodes.CacheInUse);
        second.Error.Should().Contain($"is in use by another CacheFs volume (process {first.Id}); unmount it first or choose another --cache directory");
        second.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().ContainSingle("the message is printed once, not also as a log line");
        Mounts.IsMounted(other).Should().BeFalse();
        await File.WriteAllTextAsync(Path.Combine(scratch.MountPoint, "still.txt"), "served");
        (await first.StopAsync()).Should().Be(ExitCodes.Ok);
    }

    [Fact]
    public async Task Mount_OverADeadCacheFsMount_DetachesItAndServes()
    {
        using var scratch = new Scratch();
        using var dead = await MountProcess.StartAsync(scratch.MountPoint, scratch.Cache);
        await File.WriteAllTextAsync(Path.Combine(scratch.MountPoint, "synced.txt"), "before the kill");
        await dead.KillLeavingADeadMountAsync();

        using var mount = await MountProcess.StartAsync(scratch.MountPoint, scratch.Cache);

        mount.Log.Should().Contain($"{scratch.MountPoint} was a dead CacheFs mount (its process had died); detached it");
        (await File.ReadAllTextAsync(Path.Combine(scratch.MountPoint, "synced.txt"))).Should().Be("before the kill");
        (await mount.StopAsync()).Should().Be(ExitCodes.Ok);
        Mounts.IsMounted(scratch.MountPoint).Should().BeFalse();
    }

    [Fact]
    public async Task Mount_MissingMountPoint_FailsWithItsCodeAndCreatesNoCache()
    {
        using var scratch = new Scratch();
        var missing = scratch.Path("no-such-dir");

        var result = await Cachefs.RunAsync("mount", missing, "--cache", scratch.Cache);

        result.ExitCode.Should().Be(ExitCodes.MountPointMissing);
        result.Error.Should().Contain($"The mount point {missing} does not exist; create the directory first.");
        Directory.Exists(scratch.Cache).Should().BeFalse("nothing is created before the mount point is known good");
    }

    [Fact]
    public async Task Mount_MountPointIsAFile_FailsWithItsCode()
    {
        using var scratch = new Scratch();
        var file = scratch.Path("a-file");
        await File.WriteAllTextAsync(file, "x");

        var result = await Cachefs.RunAsync("mount", file, "--cache", scratch.Cache);

        result.ExitCode.Should().Be(ExitCodes.MountPointNotDirectory);
        result.Error.Should().Contain($"The mount point {file} is a file, not a directory.");
    }

    [Fact]
    public async Task Mount_MountPointNotEmpty_FailsWithItsCode()
    {
        using var scratch = new Scratch();
        await File.WriteAllTextAsync(Path.Combine(scratch.MountPoint, "precious.txt"), "x");

        var result = await Cachefs.RunAsync("mount", scratch.MountPoint, "--cache", scratch.Cache);

        result.ExitCode.Should().Be(ExitCodes.MountPointNotEmpty);
        result.Error.Should().Contain($"The mount point {scratch.MountPoint} is not empty (it holds precious.txt, …)");
    }

    [Fact]
    public async Task Mount_AlreadyMounted_FailsWithMountPointBusy()
    {
        using var scratch = new Scratch();
        using var first = await MountProcess.StartAsync(scratch.MountPoint, scratch.Cache);

        var result = await Cachefs.RunAsync("mount", scratch.MountPoint + "/", "--cache", scratch.Path("cache2"));

        result.ExitCode.Should().Be(ExitCodes.MountPointBusy);
        result.Error.Should().Contain($"{scratch.MountPoint} is already a mount point; unmount it first");
        (await first.StopAsync()).Should().Be(ExitCodes.Ok);
    }

    [Fact]
    public async Task Mount_CacheInsideTheMountPoint_FailsWithInvalidArguments()
    {
        using var scratch = new Scratch();

        var result = await Cachefs.RunAsync("mount", scratch.Root, "--cache", scratch.Cache);

        // The root holds the mount point already, so mount into an empty directory whose child is the cache.
        var empty = Directory.CreateDirectory(scratch.Path("empty")).FullName;
        var inside = await Cachefs.RunAsync("mount", empty, "--cache", Path.Combine(empty, "cache"));

        result.ExitCode.Should().Be(ExitCodes.MountPointNotEmpty);
        inside.ExitCode.Should().Be(ExitCodes.InvalidArguments);
        inside.Error.Should().Contain("is inside the mount point");
        Mounts.IsMounted(empty).Should().BeFalse();
    }

    [Fact]
    public async Task Mount_ServiceOnLinux_RefusedAsBadArgumentsBeforeTouchingTheCache()
    {
        using var scratch = new Scratch();

        var result = await Cachefs.RunAsync("mount", scratch.MountPoint, "--cache", scratch.Cache, "--local", "--service");

        result.ExitCode.Should().Be(ExitCodes.Failed, "System.CommandLine answers bad arguments with 1");
        result.Error.Should().Contain("--service is for Windows");
        Directory.Exists(scratch.Cache).Should().BeFalse();
    }

    [Fact]
    public async Task Mount_DamagedJournal_FailsWithJournalDamaged()
    {
        using var scratch = new Scratch();
        Directory.CreateDirectory(scratch.Cache);
        await File.WriteAllTextAsync(Path.Combine(scratch.Cache, "journal.db"), new string('x', 8192));

        var result = await Cachefs.RunAsync("mount", scratch.MountPoint, "--cache", scratch.Cache);

        result.ExitCode.Should().Be(ExitCodes.JournalDamaged);
        result.Error.Should().Contain("The cache's journal cannot be used").And.Contain("move the cache directory aside");
        Mounts.IsMounted(scratch.MountPoint).Should().BeFalse();
    }

    [Fact]
    public async Task Mount_BadThreadCount_FailsAsAUsageError()
    {
        using var scratch = new Scratch();

        var result = await Cachefs.RunAsync("mount", scratch.MountPoint, "--cache", scratch.Cache, "--threads", "0");

        result.ExitCode.Should().Be(ExitCodes.Failed);
        result.Error.Should().Contain("--threads must be between 1 and 1024");
    }

    [Fact]
    public async Task Mount_WithoutDevFuse_FailsWithDeviceMissing()
    {
        using var scratch = new Scratch();

        // A private mount namespace whose /dev lacks fuse (the few nodes .NET opens are recreated).
        var result = await InPrivateNamespace(
            "mount -t tmpfs none /dev && mknod -m 666 /dev/null c 1 3 && mknod -m 666 /dev/zero c 1 5 && mknod -m 666 /dev/urandom c 1 9",
            scratch);

        result.ExitCode.Should().Be(ExitCodes.FuseDeviceMissing, result.Error);
        result.Error.Should().Contain("/dev/fuse does not exist");
    }

    [Fact]
    public async Task Mount_WithoutLibfuse_FailsWithInstallFuse3()
    {
        using var scratch = new Scratch();
        var empty = scratch.Path("empty-file");
        await File.WriteAllBytesAsync(empty, []);

        var result = await InPrivateNamespace(
            $"lib=$(readlink -f \"$(ldconfig -p | sed -n 's/.*libfuse3\\.so\\.3 .*=> //p' | head -n1)\") && mount --bind {empty} \"$lib\"",
            scratch);

        result.ExitCode.Should().Be(ExitCodes.FuseMissing, result.Error);
        result.Error.Should().Contain("libfuse3.so.3 is not installed; install fuse3: apt-get install fuse3");
    }

    [Fact]
    public async Task Mount_WithoutFusermount_FailsWithInstallFuse3()
    {
        using var scratch = new Scratch();
        var empty = scratch.Path("empty-file");
        await File.WriteAllBytesAsync(empty, []);

        var result = await InPrivateNamespace($"mount --bind {empty} \"$(command -v fusermount3)\"", scratch);

        result.ExitCode.Should().Be(ExitCodes.FuseMissing, result.Error);
        result.Error.Should().Contain("fusermount3 is not installed; install fuse3: apt-get install fuse3");
    }

    /// <summary>Runs `cachefs mount` in a mount namespace of its own, after <paramref name="setup"/> hid part of FUSE there.</summary>
    private static Task<CommandResult> InPrivateNamespace(string setup, Scratch scratch) =>
        Shell.RunAsync($"unshare --mount --propagation private sh -c '{setup.Replace("'", "'\\''", StringComparison.Ordinal)} && exec \"$0\" mount \"$1\" --cache \"$2\"' {Cachefs.Executable} {scratch.MountPoint} {scratch.Cache}");

    private static bool IsRunning(int pid) =>
        File.Exists($"/proc/{pid}/stat") && File.ReadAllText($"/proc/{pid}/stat").Split(')')[^1].Trim()[0] is not ('Z' or 'X');
}
