using CacheFs.Sync.Origin;

namespace CacheFs.Sync.Engine;

/// <summary>How a mount talks to its origin.</summary>
public sealed record SyncOptions
{
    public required Uri Origin { get; init; }

    public required string Token { get; init; }

    /// <summary>How this machine is named to the origin and to other users (lease holders, conflict copies).</summary>
    public string ClientName { get; init; } = Environment.MachineName;

    /// <summary>The unit of lazy hydration; a read fetches the blocks it touches.</summary>
    public int BlockSize { get; init; } = 1 << 20;

    /// <summary>Blocks fetched ahead of a sequential reader.</summary>
    public int ReadAheadBlocks { get; init; } = 8;

    /// <summary>Range requests in flight at once for one mount.</summary>
    public int ParallelFetches { get; init; } = 8;

    /// <summary>
    /// How long a write-open waits for another client to give its lease back (it does at once when it has nothing
    /// unsent) before it fails with <see cref="FsStatus.Busy"/>.
    /// </summary>
    public TimeSpan LeaseBreakWait { get; init; } = TimeSpan.FromSeconds(2);

    public OriginResilienceOptions Resilience { get; init; } = new();

    /// <summary>Start offline by hand (`cachefs mount --offline`): nothing is asked of the origin until `cachefs online`.</summary>
    public bool StartOffline { get; init; }
}
