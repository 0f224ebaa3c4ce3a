using CacheFs.Nodes;
using CacheFs.Remote;
using CacheFs.Tests.Hosts.Fuse;
using CacheFs.Volume;

namespace CacheFs.Tests.Volume;

/// <summary>A volume whose files come from a <see cref="FakeOrigin"/> (clean, evictable), on a clock the test moves.</summary>
internal sealed class OriginVolume : IDisposable
{
    private long _nextOriginId = 100;

    public OriginVolume()
    {
        Test = new TestVolume(time: Time);
        Test.Volume.Fetcher = Origin;
    }

    public ManualTime Time { get; } = new(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));

    public FakeOrigin Origin { get; } = new();

    public TestVolume Test { get; }

    public CacheVolume Volume => Test.Volume;

    /// <summary>Places an origin file (a placeholder) and returns its node id.</summary>
    public long Put(string path, byte[] content, long? originId = null)
    {
        Origin.Put(Volume, path, content, originId ?? Interlocked.Increment(ref _nextOriginId));
        return Volume.At(path).Id;
    }

    /// <summary>Reads a file whole (fetching it), a minute after the previous read, so reads have a clear LRU order.</summary>
    public byte[] Read(long id)
    {
        Time.Advance(TimeSpan.FromMinutes(1));
        return Volume.ReadAll(id);
    }

    public void Dispose() => Test.Dispose();
}
