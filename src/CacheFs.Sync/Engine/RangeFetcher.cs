using System.Collections.Concurrent;
using CacheFs.Remote;
using CacheFs.Sync.Origin;
using CacheFs.Volume;
using Serilog;

namespace CacheFs.Sync.Engine;

/// <summary>
/// Lazy hydration: a read of missing bytes fetches the whole blocks it touches, in parallel; readers of the same block
/// share one fetch; a reader that goes block after block gets the next blocks fetched ahead of it.
/// </summary>
internal sealed class RangeFetcher : IContentFetcher, IDisposable
{
    private readonly CacheVolume _volume;
    private readonly OriginClient _client;
    private readonly SyncOptions _options;
    private readonly ILogger _log;
    private readonly SemaphoreSlim _parallel;
    private readonly ConcurrentDictionary<(long Node, string Version, long Block), Task<FsStatus>> _inFlight = new();
    private readonly ConcurrentDictionary<long, long> _nextBlock = new();

    public RangeFetcher(CacheVolume volume, OriginClient client, SyncOptions options, ILogger log)
    {
        _volume = volume;
        _client = client;
        _options = options;
        _log = log;
        _parallel = new SemaphoreSlim(options.ParallelFetches);
    }

    public void Dispose() => _parallel.Dispose();

    public async ValueTask<FsStatus> FetchAsync(ContentRequest request, IContentSink sink, CancellationToken cancellationToken)
    {
        if (_volume.PathOf(request.NodeId) is not { } path)
            return FsStatus.NotFound;
        long block = _options.BlockSize;
        var first = request.Offset / block;
        var last = (Math.Min(request.Offset + request.Length, request.FileSize) - 1) / block;
        var fetches = new List<Task<FsStatus>>();
        for (var b = first; b <= last; b++)
            fetches.Add(FetchBlock(path, request, b, sink));
        if (!request.ReadAhead)
            ReadAhead(request, first, last);
        foreach (var status in await Task.WhenAll(fetches).WaitAsync(cancellationToken).ConfigureAwait(false))
        {
            if (status != FsStatus.Ok)
                return status;
        }

        return FsStatus.Ok;
    }

    private Task<FsStatus> FetchBlock(string path, ContentRequest request, long block, IContentSink sink)
    {
        var key = (request.NodeId, request.OriginVersion, block);
        while (true)
        {
            if (_inFlight.TryGetValue(key, out var running))
                return running;
            var fetch = new TaskCompletionSource<FsStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!_inFlight.TryAdd(key, fetch.Task))
                continue;
            _ = RunAsync(fetch, key, path, request, block, sink);
            return fetch.Task;
        }
    }

    private async Task RunAsync(TaskCompletionSource<FsStatus> fetch, (long, string, long) key, string path, ContentRequest request, long block, IContentSink sink)
    {
        var status = FsStatus.IoError;
        await _parallel.WaitAsync().ConfigureAwait(false);
        try
        {
            var offset = block * _options.BlockSize;
            var length = Math.Min(_options.BlockSize, request.FileSize - offset);
            await _client.ReadRangeAsync(path, request.OriginVersion, offset, length, sink, CancellationToken.None).ConfigureAwait(false);
            status = FsStatus.Ok;
        }
        catch (OriginException e)
        {
            _log.Warning("Cannot fetch /{Path} (version {Version}) from the origin: {Reason}", path, request.OriginVersion, e.Message);
            status = e.Code == Protocol.ErrorCode.NotFound ? FsStatus.NotFound : FsStatus.ContentUnavailable;
        }
        catch (OriginUnavailableException e)
        {
            _log.Warning("Cannot fetch /{Path}: {Reason}", path, e.Message);
            status = FsStatus.ContentUnavailable;
        }
        catch (IOException e)
        {
            _log.Error(e, "Cannot store fetched bytes of /{Path}", path);
            status = FsStatus.IoError;
        }
        finally
        {
            _parallel.Release();
            _inFlight.TryRemove(key, out _);
            fetch.SetResult(status);
        }
    }

    /// <summary>A read that starts where the last one of the same file ended is sequential: fetch the blocks after it.</summary>
    private void ReadAhead(ContentRequest request, long first, long last)
    {
        var sequential = _nextBlock.TryGetValue(request.NodeId, out var expected) && (first == expected || first == expected - 1);
        _nextBlock[request.NodeId] = last + 1;
        if (!sequential || _options.ReadAheadBlocks <= 0)
            return;
        long block = _options.BlockSize;
        var start = (last + 1) * block;
        var length = Math.Min(_options.ReadAheadBlocks * block, request.FileSize - start);
        if (length > 0)
            _ = _volume.PrefetchAsync(request.NodeId, start, length, CancellationToken.None).AsTask();
    }
}
