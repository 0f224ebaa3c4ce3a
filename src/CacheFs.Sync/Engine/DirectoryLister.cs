using CacheFs.Remote;
using CacheFs.Sync.Origin;
using CacheFs.Volume;
using Serilog;

namespace CacheFs.Sync.Engine;

/// <summary>Fills an unlisted directory from the origin's listing, the first time anyone looks into it.</summary>
internal sealed class DirectoryLister(CacheVolume volume, OriginClient client, ILogger log) : IDirectoryLister
{
    public FsStatus List(long directoryId)
    {
        if (volume.PathOf(directoryId) is not { } path)
            return FsStatus.NotFound;
        try
        {
            // The host's thread waits: a lookup cannot answer before the names are known.
            var listing = client.ListAsync(path, CancellationToken.None).GetAwaiter().GetResult();
            return volume.ApplyListing(directoryId, [.. listing.Entries.Select(e => (e.Name, RemoteNodes.From(e)))]);
        }
        catch (OriginException e) when (e.Code == Protocol.ErrorCode.NotFound)
        {
            // Gone on the origin: an empty listing removes what the cache still shows of it.
            return volume.ApplyListing(directoryId, []);
        }
        catch (Exception e) when (e is OriginException or OriginUnavailableException)
        {
            log.Warning("Cannot list /{Path} from the origin: {Reason}", path, e.Message);
            return FsStatus.ContentUnavailable;
        }
    }
}
