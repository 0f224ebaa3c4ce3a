using CacheFs.Sync.Engine;
using Serilog;

namespace CacheFs.Cli.Mount;

/// <summary>
/// The last step of a clean shutdown: while the origin answers, wait for the upload queue to empty, so an unmount right
/// after a write does not leave it on this machine only. Offline, the queue stays in the journal and goes up at the next mount.
/// </summary>
internal static class UploadQueueDrain
{
    public static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    public static async Task WaitAsync(SyncEngine engine, ILogger log)
    {
        if (engine.OutboxLength == 0)
            return;
        if (!engine.IsOnline)
        {
            log.Warning("{Queued} changes wait for the origin, which is unreachable; they stay queued in the cache and go up at the next mount", engine.OutboxLength);
            return;
        }

        log.Information("Uploading {Queued} queued changes before closing", engine.OutboxLength);
        using var limit = new CancellationTokenSource(Limit);
        try
        {
            await engine.WaitForOutboxAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            log.Warning("{Queued} changes still wait for the origin after {Limit}; they stay queued in the cache and go up at the next mount", engine.OutboxLength, Limit);
        }
    }
}
