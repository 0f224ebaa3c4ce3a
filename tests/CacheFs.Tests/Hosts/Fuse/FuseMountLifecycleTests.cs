using CacheFs.Hosts.Fuse;

namespace CacheFs.Tests.Hosts.Fuse;

/// <summary>Mounting and unmounting: clear errors, busy mounts, remounts, and callbacks that fail.</summary>
public sealed class FuseMountLifecycleTests
{
    [Fact]
    public void Mount_MissingMountPoint_ThrowsMountPointMissing()
    {
        using var volume = new TestVolume();
        var missing = Path.Combine(volume.Directory, "no-such-dir");

        var act = () => FuseMount.Mount(volume.Volume, missing, null, TestVolume.Logger);

        act.Should().Throw<FuseMountException>().Where(e => e.Error == FuseMountError.MountPointMissing && e.Message.Contains(missing));
    }

    [Fact]
    public void Mount_MountPointIsAFile_ThrowsMountPointNotDirectory()
    {
        using var volume = new TestVolume();
        var file = Path.Combine(volume.Directory, "a-file");
        File.WriteAllText(file, "x");

        var act = () => FuseMount.Mount(volume.Volume, file, null, TestVolume.Logger);

        act.Should().Throw<FuseMountException>().Where(e => e.Error == FuseMountError.MountPointNotDirectory);
    }

    [Fact]
    public void Mount_OnAnExistingMount_ThrowsMountPointBusy()
    {
        using var fx = new FuseMountFixture();
        using var other = new TestVolume();

        var act = () => FuseMount.Mount(other.Volume, fx.MountPoint + "/", null, TestVolume.Logger);

        act.Should().Throw<FuseMountException>().Where(e => e.Error == FuseMountError.MountPointBusy);
    }

    [Fact]
    public async Task Unmount_WithAFileOpen_ThrowsBusyThenSucceedsAfterClose()
    {
        using var fx = new FuseMountFixture();
        var path = Path.Combine(fx.MountPoint, "open.txt");

        using (var stream = File.Create(path))
        {
            var act = () => fx.Mount.Unmount();
            act.Should().Throw<FuseMountException>().Where(e => e.Error == FuseMountError.UnmountBusy);
            fx.Mount.Stopped.IsCompleted.Should().BeFalse();
        }

        fx.Mount.Unmount();

        fx.Mount.Stopped.IsCompletedSuccessfully.Should().BeTrue();
        (await fx.Mount.Stopped).Should().Be(0);
        Directory.EnumerateFileSystemEntries(fx.MountPoint).Should().BeEmpty("the mount point is a plain empty directory again");
    }

    [Fact]
    public void Remount_SameCache_KeepsFilesAndTimes()
    {
        using var fx = new FuseMountFixture();
        var path = Path.Combine(fx.MountPoint, "kept.txt");
        File.WriteAllText(path, "across mounts");
        var written = File.GetLastWriteTimeUtc(path);
        fx.Mount.Unmount();
        fx.Volume.Reopen();

        using var again = FuseMount.Mount(fx.Volume.Volume, fx.MountPoint, null, fx.Logger);

        File.ReadAllText(path).Should().Be("across mounts");
        File.GetLastWriteTimeUtc(path).Should().Be(written);
    }

    /// <summary>A file handle names the node id, which outlives the mount: the kernel finds it again with a lookup of ".".</summary>
    [Fact]
    public void OpenByHandle_AfterRemount_FindsTheFileByItsId()
    {
        using var fx = new FuseMountFixture();
        var path = Path.Combine(fx.MountPoint, "sub", "kept.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "by handle");
        var handle = Shell.NameToHandle(path);
        fx.Mount.Unmount();
        fx.Volume.Reopen();

        using var again = FuseMount.Mount(fx.Volume.Volume, fx.MountPoint, null, fx.Logger);

        Shell.ReadByHandle(fx.MountPoint, handle).Should().Be("by handle");
        File.ReadAllText(path).Should().Be("by handle");
    }

    [Fact]
    public async Task Stopped_UnmountedByFusermount_CompletesAndDisposeCleansUp()
    {
        using var fx = new FuseMountFixture();

        Shell.Ok($"fusermount3 -u '{fx.MountPoint}'");

        await fx.Mount.Stopped.WaitAsync(TimeSpan.FromSeconds(30));
        FuseMountFixture.IsMounted(fx.MountPoint).Should().BeFalse();
    }

    [Fact]
    public void Callback_CoreThrows_AnswersEioAndLogs()
    {
        using var fx = new FuseMountFixture();
        File.WriteAllText(Path.Combine(fx.MountPoint, "f"), "x");

        // A disposed volume throws from every change: the exception must stop at the callback, as EIO.
        fx.Volume.Volume.Dispose();
        var act = () => Directory.CreateDirectory(Path.Combine(fx.MountPoint, "never-made"));

        act.Should().Throw<IOException>().Where(e => e.Message.Contains("Input/output error"));
        fx.Errors.Should().Contain(e => e.Contains("failed; answering EIO"));
        fx.Errors.Clear();
        fx.Mount.Unmount();
        fx.Volume.Reopen();
    }
}
