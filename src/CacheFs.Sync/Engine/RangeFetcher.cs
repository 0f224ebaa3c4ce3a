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
    /// <summary>A read-ahead window goes out as one request (up to 8 x ReadAheadBlocks): one stream, as a download is.</summary>
    private const int MaxBlocksPerRequest = 64;
    private readonly SemaphoreSlim _parallel;
    private readonly ConcurrentDictionary<(long Node, string Version, long Block), Task<FsStatus>> _inFlight = new();
    private readonly ConcurrentDictionary<long, ReadStream> _streams = new();

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
        List<BlockFetch>? run = null;
        for (var b = first; b <= last + 1; b++)
        {
            // Consecutive missing blocks that nobody fetches yet go out as one range request (fewer round trips);
            // a block already on its way is waited for, not fetched twice. A block is claimed atomically (GetOrAdd), so
            // of two readers racing for it exactly one fetches it. Each block completes as soon as its bytes are in,
            // so a reader waits for its block, not for the whole run.
            Task<FsStatus>? running = null;
            BlockFetch? claimed = null;
            if (b <= last && !sink.IsPresent(b * block, block))
            {
                var mine = new BlockFetch(b);
                var owner = _inFlight.GetOrAdd((request.NodeId, request.OriginVersion, b), mine.Done.Task);
                if (owner == mine.Done.Task)
                    claimed = mine;
                else
                    running = owner;
            }

            if (claimed is not null)
            {
                (run ??= []).Add(claimed);
                fetches.Add(claimed.Done.Task);
            }

            if (run is not null && (claimed is null || run.Count == MaxBlocksPerRequest))
            {
                _ = RunAsync(run, path, request, sink);
                run = null;
            }

            if (running is not null)
                fetches.Add(running);
        }

        foreach (var status in await Task.WhenAll(fetches).WaitAsync(cancellationToken).ConfigureAwait(false))
        {
            if (status != FsStatus.Ok)
                return status;
        }

        return FsStatus.Ok;
    }

    /// <summary>Fetches the consecutive <paramref name="blocks"/>, all claimed by this fetch, in one request.</summary>
    private async Task RunAsync(List<BlockFetch> blocks, string path, ContentRequest request, IContentSink sink)
    {
        var status = FsStatus.IoError;
        await _parallel.WaitAsync().ConfigureAwait(false);
        try
        {
            var offset = blocks[0].Block * _options.BlockSize;
            var length = Math.Min((long)blocks.Count * _options.BlockSize, request.FileSize - offset);
            var progress = new BlockProgressSink(sink, blocks, _options.BlockSize, offset + length);
            await _client.ReadRangeAsync(path, request.OriginVersion, offset, length, progress, CancellationToken.None).ConfigureAwait(false);
            status = FsStatus.Ok;
        }
        catch (OriginException e)
        {
            _log.Warning("Cannot fetch /{Path} (version {Version}) from the origin: {Reason}", path, request.OriginVersion, e.Message);
            // The origin answered and refused: not a network matter (EHOSTUNREACH would send the user to the wrong place).
            status = e.Code == Protocol.ErrorCode.NotFound ? FsStatus.NotFound : FsStatus.IoError;
            if (e.Code is Protocol.ErrorCode.VersionMismatch or Protocol.ErrorCode.NotFound)
                _ = CatchUpAsync(path);
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
            foreach (var fetch in blocks)
            {
                _inFlight.TryRemove(KeyValuePair.Create((request.NodeId, request.OriginVersion, fetch.Block), fetch.Done.Task));
                fetch.Done.TrySetResult(status);
            }
        }
    }

    /// <summary>
    /// The cache asked for a version the origin no longer has (a change whose event this mount missed, e.g. while the
    /// node had queued changes): the node takes the origin's current state, so the next read fetches that.
    /// </summary>
    private async Task CatchUpAsync(string path)
    {
        try
        {
            _volume.ApplyRemoteUpdate(path, RemoteNodes.From(await _client.GetNodeAsync(path, CancellationToken.None).ConfigureAwait(false)));
        }
        catch (OriginException e) when (e.Code == Protocol.ErrorCode.NotFound)
        {
            _volume.ApplyRemoteRemoval(path);
        }
        catch (Exception e) when (e is OriginException or OriginUnavailableException)
        {
            _log.Debug("Cannot catch /{Path} up with the origin: {Reason}", path, e.Message);
        }
    }

    /// <summary>
    /// Keeps a window of blocks fetched ahead of a sequential reader, as the kernel's read-ahead does: the window starts
    /// at <see cref="SyncOptions.ReadAheadBlocks"/> and doubles while the reader stays sequential (up to eight times
    /// that), and the next part is asked for when the reader is half way through what was fetched ahead. A random
    /// read ends the streak.
    /// </summary>
    public void Reading(ContentRequest request)
    {
        if (_options.ReadAheadBlocks <= 0 || request.Length <= 0)
            return;
        long block = _options.BlockSize;
        var first = request.Offset / block;
        var last = (request.Offset + request.Length - 1) / block;
        var lastBlock = (request.FileSize - 1) / block;
        var state = _streams.GetOrAdd(request.NodeId, _ => new ReadStream());
        long from;
        long to;
        lock (state)
        {
            var sequential = first == state.NextBlock || first == state.NextBlock - 1;
            state.NextBlock = last + 1;
            if (!sequential || state.Version != request.OriginVersion)
            {
                state.Version = request.OriginVersion;
                state.Window = 0;
                state.Frontier = last + 1;
                return;
            }

            if (state.Frontier - last > state.Window / 2 && state.Window > 0)
                return;
            state.Window = Math.Clamp(state.Window * 2, _options.ReadAheadBlocks, _options.ReadAheadBlocks * 8);
            from = Math.Max(state.Frontier, last + 1);
            to = Math.Min(last + state.Window, lastBlock);
            state.Frontier = to + 1;
        }

        if (to >= from)
            _ = _volume.PrefetchAsync(request.NodeId, from * block, (to - from + 1) * block, CancellationToken.None).AsTask();
    }

    /// <summary>One file's sequential streak (guarded by its own lock).</summary>
    private sealed class ReadStream
    {
        public long NextBlock;
        public long Frontier;
        public long Window;
        public string Version = "";
    }
}
