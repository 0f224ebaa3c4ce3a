namespace CacheFs.Eviction;

/// <summary>
/// The automatic eviction's limits: above <see cref="HighPercent"/> of the quota (or below <see cref="MinFreeBytes"/>
/// of free disk) it frees least recently used content until the cache is at <see cref="LowPercent"/> of the quota (and
/// the disk has the minimum free again). The gap between the two keeps eviction from running on every read.
/// </summary>
public sealed record CacheQuota(long QuotaBytes, int HighPercent = 90, int LowPercent = 70, long MinFreeBytes = 0)
{
    public long HighBytes => QuotaBytes / 100 * HighPercent + QuotaBytes % 100 * HighPercent / 100;

    public long LowBytes => QuotaBytes / 100 * LowPercent + QuotaBytes % 100 * LowPercent / 100;

    /// <summary>The size to evict down to, or null when nothing needs to go.</summary>
    public long? EvictionTarget(long cachedBytes, long freeDiskBytes)
    {
        var overQuota = cachedBytes > HighBytes;
        var diskShort = MinFreeBytes - freeDiskBytes;
        if (!overQuota && diskShort <= 0)
            return null;
        var target = overQuota ? LowBytes : cachedBytes;
        if (diskShort > 0)
            target = Math.Min(target, cachedBytes - diskShort);
        return Math.Max(0, target);
    }

    /// <summary>Throws when the percentages cannot work: 0 &lt; low ≤ high ≤ 100.</summary>
    public CacheQuota Validated()
    {
        if (QuotaBytes <= 0)
            throw new ArgumentOutOfRangeException(nameof(QuotaBytes), "the cache size must be positive");
        if (LowPercent <= 0 || LowPercent > HighPercent || HighPercent > 100)
            throw new ArgumentOutOfRangeException(nameof(LowPercent), "the watermarks must satisfy 0 < low <= high <= 100");
        if (MinFreeBytes < 0)
            throw new ArgumentOutOfRangeException(nameof(MinFreeBytes), "the minimum free space cannot be negative");
        return this;
    }
}
