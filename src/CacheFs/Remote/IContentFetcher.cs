namespace CacheFs.Remote;

/// <summary>
/// What the core needs from the remote side to fill a file's missing ranges. CacheFs.Sync implements it; the core
/// calls it only for ranges that are not present, outside every lock, and writes what arrives through the sink.
/// </summary>
public interface IContentFetcher
{
    /// <summary>Brings at least [offset, offset + length) of the node's origin content into <paramref name="sink"/>.</summary>
    ValueTask<FsStatus> FetchAsync(ContentRequest request, IContentSink sink, CancellationToken cancellationToken);

    /// <summary>
    /// Every read of a file not wholly cached, present or not, before it is served: lets the fetcher keep its
    /// read-ahead window ahead of a sequential reader, whose reads of already fetched blocks never reach
    /// <see cref="FetchAsync"/>. Must return at once.
    /// </summary>
    void Reading(ContentRequest request)
    {
    }
}

/// <summary>The range of one node's origin version that a read needs.</summary>
public readonly record struct ContentRequest(long NodeId, string OriginVersion, long Offset, long Length, long FileSize)
{
    /// <summary>The request is itself read-ahead: it must not start more.</summary>
    public bool ReadAhead { get; init; }
}

/// <summary>Where fetched bytes go: the node's content object. Bytes the user wrote since are never overwritten.</summary>
public interface IContentSink
{
    FsStatus Write(long offset, ReadOnlySpan<byte> data);

    /// <summary>Whether [offset, offset + length) is cached already (a fetcher skips such blocks).</summary>
    bool IsPresent(long offset, long length);
}
