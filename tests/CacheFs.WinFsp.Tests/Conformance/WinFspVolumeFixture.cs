using CacheFs.Hosts.WinFsp;
using CacheFs.Tests;
using Fsp;

namespace CacheFs.WinFsp.Tests.Conformance;

/// <summary>
/// One case-insensitive volume (as a Windows cache is made) served by one <see cref="WinFspFileSystem"/> for a test class,
/// on a clock the cases move by hand; each case gets a fresh directory, made through the host.
/// </summary>
public sealed class WinFspVolumeFixture : IDisposable
{
    public WinFspVolumeFixture()
    {
        Volume = new TestVolume(caseSensitive: false, time: Time);
        FileSystem = new WinFspFileSystem(Volume.Volume, TestVolume.Logger);
    }

    public ManualTime Time { get; } = new(new DateTimeOffset(2026, 1, 15, 9, 30, 0, TimeSpan.Zero));

    public TestVolume Volume { get; }

    internal WinFspFileSystem FileSystem { get; }

    /// <summary>A new, empty directory for one case: its WinFsp name.</summary>
    public string NewDirectory()
    {
        var name = "\\case-" + Guid.NewGuid().ToString("N");
        FileSystem.Create(name, 0x1, 0x1, 0, null!, 0, out var directory, out _, out _, out _).Should().Be(FileSystemBase.STATUS_SUCCESS);
        FileSystem.Close(directory, directory);
        return name;
    }

    public void Dispose()
    {
        FileSystem.Dispose();
        Volume.Dispose();
    }
}
