using CacheFs.Eviction;

namespace CacheFs.Tests.Volume;

/// <summary>Verify compares every object with what the journal says is present.</summary>
public sealed class VerifyTests
{
    [Fact]
    public void Verify_AfterReadsAndEviction_Consistent()
    {
        using var o = new OriginVolume();
        var a = o.Put("a", VolumeTestExtensions.Bytes(10_000));
        o.Put("b", VolumeTestExtensions.Bytes(10_000));
        o.Read(a);
        o.Test.MakeFile("local", [1, 2, 3]);
        o.Volume.Evict(new EvictionRequest { Path = "b" });

        var report = o.Volume.Verify();

        report.Problems.Should().BeEmpty();
        report.Consistent.Should().BeTrue();
        report.FilesChecked.Should().Be(3);
        report.ObjectsChecked.Should().Be(2);
    }

    [Fact]
    public void Verify_ObjectDeleted_MissingReported()
    {
        using var o = new OriginVolume();
        var a = o.Put("a", VolumeTestExtensions.Bytes(10_000));
        o.Read(a);
        File.Delete(o.Test.ObjectPath(a));

        var report = o.Volume.Verify();

        report.Consistent.Should().BeFalse();
        report.Problems.Should().ContainSingle().Which.Should().Match<VerifyProblem>(p => p.Path == "a" && p.Problem.StartsWith("object missing", StringComparison.Ordinal));
    }

    [Fact]
    public void Verify_ObjectCut_ShortReported()
    {
        using var o = new OriginVolume();
        var a = o.Put("a", VolumeTestExtensions.Bytes(10_000));
        o.Read(a);
        using (var stream = File.OpenWrite(o.Test.ObjectPath(a)))
            stream.SetLength(100);

        o.Volume.Verify().Problems.Should().ContainSingle().Which.Problem.Should().Be("object is 100 bytes, the complete file 10000");
    }

    [Fact]
    public void Verify_StrayObject_HarmlessButListed()
    {
        using var o = new OriginVolume();
        var a = o.Put("a", VolumeTestExtensions.Bytes(100));
        File.WriteAllBytes(o.Test.ObjectPath(a), [1, 2]);

        var report = o.Volume.Verify();

        report.Consistent.Should().BeTrue();
        report.Problems.Should().ContainSingle().Which.Harmless.Should().BeTrue();
    }
}
