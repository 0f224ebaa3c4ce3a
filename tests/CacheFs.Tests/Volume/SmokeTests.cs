using CacheFs.Nodes;
using CacheFs.Volume;

namespace CacheFs.Tests.Volume;

public sealed class SmokeTests
{
    [Fact]
    public void CreateWriteRead_RoundTrips_AcrossReopen()
    {
        using var t = new TestVolume();
        var dir = t.MakeDir("d");
        var id = t.MakeFile("f.txt", "hello"u8.ToArray(), dir);
        t.ReadAll(id).Should().Equal("hello"u8.ToArray());
        t.Reopen();
        t.Volume.Resolve("/d/f.txt").Value.Size.Should().Be(5);
        t.ReadAll(id).Should().Equal("hello"u8.ToArray());
        t.List(dir).Should().Equal("f.txt");
    }
}
