using System.Collections.Concurrent;
using CacheFs.Nodes;
using CacheFs.Remote;
using CacheFs.Volume;

namespace CacheFs.Tests.Hosts.Fuse;

/// <summary>
/// A stand-in for the origin behind a mounted volume: its files are placed with the calls the sync engine makes when an
/// event arrives (<see cref="CacheVolume.ApplyRemoteNode"/> and friends), and their bytes come from here, always
/// asynchronously (as over a network), and held back while <see cref="Gate"/> is set.
/// </summary>
internal sealed class FakeOrigin : IContentFetcher
{
    private readonly ConcurrentDictionary<string, byte[]> _versions = new();
    private long _nextVersion;

    /// <summary>When set, fetches wait for it (or for the mount to stop).</summary>
    public TaskCompletionSource? Gate { get; set; }

    /// <summary>Completes when a fetch has started.</summary>
    public TaskCompletionSource Fetching { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Fetches end with this instead of bytes when not Ok.</summary>
    public FsStatus Failure { get; set; } = FsStatus.Ok;

    /// <summary>Puts a new version of a file at <paramref name="path"/> (relative to the root), as an event from the origin would.</summary>
    public RemoteNode Put(CacheVolume volume, string path, byte[] content, long originId, uint mode = 0x1A4)
    {
        var version = "v" + Interlocked.Increment(ref _nextVersion);
        _versions[version] = content;
        var time = Timestamp.FromUnix(1_700_000_000 + _nextVersion, 0);
        var node = new RemoteNode
        {
            OriginId = originId,
            Kind = NodeKind.File,
            ContentVersion = version,
            Size = content.Length,
            Mode = mode,
            AccessTime = time,
            ModifyTime = time,
            ChangeTime = time,
            BirthTime = time,
        };
        volume.ApplyRemoteNode(path, node).Should().Be(FsStatus.Ok);
        return node;
    }

    public async ValueTask<FsStatus> FetchAsync(ContentRequest request, IContentSink sink, CancellationToken cancellationToken)
    {
        Fetching.TrySetResult();
        if (Gate is { } gate)
            await gate.Task.WaitAsync(cancellationToken);
        else
            await Task.Yield();
        if (Failure != FsStatus.Ok)
            return Failure;
        var content = _versions[request.OriginVersion];
        var end = (int)Math.Min(content.Length, request.Offset + request.Length);
        var start = (int)Math.Min(request.Offset, end);
        return sink.Write(start, content.AsSpan(start, end - start));
    }
}
