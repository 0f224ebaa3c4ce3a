using System.Runtime.Versioning;
using System.Text;
using CacheFs.Hosts.Fuse;

namespace CacheFs.Tests.Hosts.Fuse;

/// <summary>
/// Changes from the origin reach the kernel at once: names, attributes and pages it cached are dropped through the
/// low-level notifications. The mount trusts what it cached for a minute here, so only a notification explains a change
/// seen sooner.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class FuseMountInvalidationTests : IDisposable
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(1);
    private readonly FuseMountFixture _fx = new(new FuseMountOptions { AttributeTimeout = Long, EntryTimeout = Long, NegativeTimeout = Long });
    private readonly FakeOrigin _origin = new();

    public FuseMountInvalidationTests() => _fx.Volume.Volume.Fetcher = _origin;

    public void Dispose() => _fx.Dispose();

    [Fact]
    public void RemoteNewName_AfterTheKernelCachedItMissing_ShowsAtOnce()
    {
        var dir = _fx.NewDirectory("d");
        File.Exists(Path.Combine(dir, "new")).Should().BeFalse();

        _origin.Put(_fx.Volume.Volume, "d/new", "hello"u8.ToArray(), originId: 7);

        File.ReadAllText(Path.Combine(dir, "new")).Should().Be("hello");
    }

    [Fact]
    public void RemoteRemoval_OfACachedName_GoneAtOnce()
    {
        var dir = _fx.NewDirectory("d");
        _origin.Put(_fx.Volume.Volume, "d/f", "x"u8.ToArray(), originId: 7);
        File.Exists(Path.Combine(dir, "f")).Should().BeTrue();

        _fx.Volume.Volume.ApplyRemoteRemoval("d/f").Should().Be(FsStatus.Ok);

        File.Exists(Path.Combine(dir, "f")).Should().BeFalse();
        Directory.EnumerateFileSystemEntries(dir).Should().BeEmpty();
    }

    [Fact]
    public void RemoteRename_OfACachedName_MovesAtOnce()
    {
        var dir = _fx.NewDirectory("d");
        _origin.Put(_fx.Volume.Volume, "d/a", "x"u8.ToArray(), originId: 7);
        File.Exists(Path.Combine(dir, "a")).Should().BeTrue();
        File.Exists(Path.Combine(dir, "b")).Should().BeFalse();

        _fx.Volume.Volume.ApplyRemoteRename("d/a", "d/b").Should().Be(FsStatus.Ok);

        File.Exists(Path.Combine(dir, "a")).Should().BeFalse();
        File.ReadAllText(Path.Combine(dir, "b")).Should().Be("x");
    }

    [Fact]
    public void RemoteAttributeChange_ShowsInStatAtOnce()
    {
        var dir = _fx.NewDirectory("d");
        _origin.Put(_fx.Volume.Volume, "d/f", "x"u8.ToArray(), originId: 7, mode: Convert.ToUInt32("644", 8));
        Shell.Ok("stat -c %a d/f", _fx.MountPoint).Should().Be("644");

        _origin.Put(_fx.Volume.Volume, "d/f", "x"u8.ToArray(), originId: 7, mode: Convert.ToUInt32("600", 8));

        Shell.Ok("stat -c %a d/f", _fx.MountPoint).Should().Be("600");
        Directory.Exists(dir).Should().BeTrue();
    }

    /// <summary>The pages the kernel holds of the old version go, even for a handle opened before the change.</summary>
    [Fact]
    public void RemoteContentChange_IsReadThroughAHandleOpenBefore()
    {
        var path = Path.Combine(_fx.NewDirectory("d"), "f");
        _origin.Put(_fx.Volume.Volume, "d/f", "first version"u8.ToArray(), originId: 7);
        using var handle = File.OpenHandle(path);
        ReadAll(handle).Should().Be("first version");

        _origin.Put(_fx.Volume.Volume, "d/f", "other version"u8.ToArray(), originId: 7);

        ReadAll(handle).Should().Be("other version");
        File.ReadAllText(path).Should().Be("other version");
    }

    private static string ReadAll(Microsoft.Win32.SafeHandles.SafeFileHandle handle)
    {
        var buffer = new byte[100];
        var n = RandomAccess.Read(handle, buffer, 0);
        return Encoding.UTF8.GetString(buffer, 0, n);
    }
}
