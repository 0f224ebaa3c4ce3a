using CacheFs.Nodes;
using CacheFs.Volume;

namespace CacheFs.Sync.Tests.Harness;

internal static class VolumeAttributes
{
    public static NodeAttributes Attr(this CacheVolume volume, long id)
    {
        var got = volume.GetAttributes(id);
        got.Status.Should().Be(FsStatus.Ok);
        return got.Value;
    }
}
