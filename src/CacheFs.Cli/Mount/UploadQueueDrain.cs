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
        var deadline = Environment.TickCount64 + (long)Limit.TotalMilliseconds;
        while (engine.OutboxLength > 0 && engine.IsOnline && Environment.TickCount64 < deadline)
        {
            engine.UploadNow();
            await Task.Delay(50);
        }

        if (engine.OutboxLength > 0)
            log.Warning("{Queued} changes still wait for the origin ({Reason}); they stay queued in the cache and go up at the next mount", engine.OutboxLength, engine.IsOnline ? $"not done after {Limit}" : "it became unreachable");
    }
}
