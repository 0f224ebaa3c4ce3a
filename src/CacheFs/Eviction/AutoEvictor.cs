using CacheFs.Volume;
using Serilog;

namespace CacheFs.Eviction;

/// <summary>
/// Keeps a volume's cache under its <see cref="CacheQuota"/>: on every tick it compares the cached bytes and the disk's
/// free space with the watermarks and, when one is crossed, evicts least recently used content down to the low mark.
/// Eviction itself never touches dirty, pinned, open or write-leased files (see <see cref="CacheVolume.Evict"/>).
/// </summary>
public sealed class AutoEvictor : IDisposable
{
    private readonly CacheVolume _volume;
    private readonly Func<long> _freeDisk;
    private readonly ILogger _log;
    private readonly ITimer _timer;
    private int _running;
    private long? _stuckAt;

    public AutoEvictor(CacheVolume volume, CacheQuota quota, ILogger log, TimeProvider? time = null, TimeSpan? interval = null, Func<long>? freeDisk = null)
    {
        _volume = volume;
        Quota = quota.Validated();
        _log = log.ForContext<AutoEvictor>();
        _freeDisk = freeDisk ?? (() => new DriveInfo(Path.GetFullPath(volume.Options.CacheDirectory)).AvailableFreeSpace);
        var every = interval ?? TimeSpan.FromSeconds(1);
        _timer = (time ?? TimeProvider.System).CreateTimer(_ => Tick(), null, every, every);
    }

    public CacheQuota Quota { get; }

    /// <summary>The last run that evicted something (status shows it).</summary>
    public EvictionReport? LastReport { get; private set; }

    /// <summary>One check, and an eviction if a watermark is crossed; null when nothing had to go (or a run is in progress).</summary>
    public EvictionReport? RunOnce()
    {
        if (Interlocked.Exchange(ref _running, 1) != 0)
            return null;
        try
        {
            var cached = _volume.CachedBytes();
            if (Quota.EvictionTarget(cached, _freeDisk()) is not { } target)
                return null;
            var result = _volume.Evict(new EvictionRequest { TargetBytes = target });
            if (!result.TryGet(out var report))
                return null;
            LastReport = report;
            if (report.TargetReached)
            {
                _log.Information("Cache over its limit: freed {Freed} bytes of {Files} files, now {Cached} of {Quota}", report.FreedBytes, report.Freed.Count, report.CachedBytesAfter, Quota.QuotaBytes);
                _stuckAt = null;
            }
            else if (report.FreedBytes > 0 || _stuckAt != report.CachedBytesAfter)
            {
                // Said once per level, not on every tick while dirty or pinned content keeps the cache over its limit.
                _log.Warning("Cache over its limit and cannot go lower than {Cached} bytes (target {Target}): {Skipped} files are dirty, pinned, open or leased", report.CachedBytesAfter, target, report.Skipped.Count);
                _stuckAt = report.CachedBytesAfter;
            }

            return report;
        }
        catch (Exception e) when (CacheVolume.IsFault(e) || e is ObjectDisposedException)
        {
            _log.Warning(e, "Automatic eviction failed; it tries again on the next tick");
            return null;
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    public void Dispose() => _timer.Dispose();

    private void Tick() => RunOnce();
}
