using CacheFs.Sync.Control;
using CacheFs.Sync.Engine;
using CacheFs.Volume;

namespace CacheFs.Cli.Mount;

/// <summary>What a running mount answers on its control endpoint.</summary>
internal sealed class MountControl(MountSettings settings, CacheVolume volume, SyncEngine? engine, Uri? origin) : IMountControl
{
    public MountStatus Status() => new()
    {
        CacheDirectory = settings.CacheDirectory,
        MountPoint = settings.MountPoint,
        Mode = settings.Origin.Mode.ToString().ToLowerInvariant(),
        Origin = origin?.ToString(),
        Online = engine?.IsOnline ?? false,
        Session = engine?.SessionId,
        QueuedChanges = volume.OutboxLength,
        LeasesHeld = engine?.LeasesHeld ?? 0,
        Cursor = engine?.Cursor ?? 0,
        ProcessId = Environment.ProcessId,
    };

    public Task SyncAsync(CancellationToken cancellationToken) =>
        engine?.WaitForOutboxAsync(cancellationToken) ?? Task.CompletedTask;
}
