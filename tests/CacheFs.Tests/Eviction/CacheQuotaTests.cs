using CacheFs.Eviction;

namespace CacheFs.Tests.Eviction;

public sealed class CacheQuotaTests
{
    private static readonly CacheQuota Quota = new(1000, HighPercent: 90, LowPercent: 70, MinFreeBytes: 100);

    [Fact]
    public void EvictionTarget_AtOrBelowHigh_Nothing()
    {
        Quota.EvictionTarget(900, freeDiskBytes: 10_000).Should().BeNull();
        Quota.EvictionTarget(0, freeDiskBytes: 10_000).Should().BeNull();
    }

    [Fact]
    public void EvictionTarget_AboveHigh_DownToLow()
    {
        Quota.EvictionTarget(901, freeDiskBytes: 10_000).Should().Be(700);
    }

    [Fact]
    public void EvictionTarget_DiskShort_FreesTheShortfall()
    {
        Quota.EvictionTarget(500, freeDiskBytes: 40).Should().Be(440);
    }

    [Fact]
    public void EvictionTarget_AboveHighAndDiskShort_TheLowerOfBoth()
    {
        Quota.EvictionTarget(950, freeDiskBytes: 0).Should().Be(700);
        new CacheQuota(1000, 90, 70, MinFreeBytes: 500).EvictionTarget(950, freeDiskBytes: 0).Should().Be(450);
    }

    [Fact]
    public void EvictionTarget_ShortfallBeyondTheCache_Zero()
    {
        Quota.EvictionTarget(50, freeDiskBytes: 0).Should().Be(0);
    }

    [Fact]
    public void Watermarks_LargeQuota_NoOverflow()
    {
        var big = new CacheQuota(long.MaxValue / 2, 90, 70);

        big.HighBytes.Should().BeGreaterThan(big.LowBytes).And.BeLessThan(big.QuotaBytes);
    }

    [Theory]
    [InlineData(0, 90, 70)]
    [InlineData(1000, 70, 90)]
    [InlineData(1000, 101, 70)]
    [InlineData(1000, 90, 0)]
    public void Validated_ImpossibleLimits_Throws(long quota, int high, int low)
    {
        var validate = () => new CacheQuota(quota, high, low).Validated();

        validate.Should().Throw<ArgumentOutOfRangeException>();
    }
}
