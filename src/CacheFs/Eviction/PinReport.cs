namespace CacheFs.Eviction;

/// <summary>How far a pin's hydration is: bytes fetched of the bytes that were missing.</summary>
public readonly record struct PinProgress(string Path, long DoneBytes, long TotalBytes);

/// <summary>A file pin could not fill, and why.</summary>
public sealed record PinFailure(string Path, string Reason);

/// <summary>What `cachefs cache pin` or `unpin` did.</summary>
public sealed record PinReport
{
    public required bool Pinned { get; init; }
    public int Files { get; init; }
    public long Bytes { get; init; }

    /// <summary>Bytes fetched from the origin to complete the pinned files.</summary>
    public long FetchedBytes { get; init; }
    public IReadOnlyList<PinFailure> Failures { get; init; } = [];
}
