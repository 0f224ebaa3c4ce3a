using CacheFs.Nodes;

namespace CacheFs.Tests.Conformance;

/// <summary>One volume for a test class, on a clock the cases move by hand; each case gets a fresh directory in it.</summary>
public sealed class CoreVolumeFixture : IDisposable
{
    public ManualTime Time { get; } = new(new DateTimeOffset(2026, 1, 15, 9, 30, 0, TimeSpan.Zero));

    public CoreVolumeFixture() => Volume = new TestVolume(time: Time);

    public TestVolume Volume { get; }

    /// <summary>A new, empty directory for one case, made as the caller would make it.</summary>
    public long NewDirectory()
    {
        var made = Volume.Volume.MakeDirectory(NodeIds.Root, "case-" + Guid.NewGuid().ToString("N"), new NewNode(0x1ED, Caller.Uid, Caller.Gid));
        made.Status.Should().Be(FsStatus.Ok);
        return made.Value.Id;
    }

    public void Dispose() => Volume.Dispose();
}
