namespace CacheFs.Remote;

/// <summary>
/// Fills a directory the origin has and the cache has not listed yet (its <see cref="Nodes.ContentState"/> is
/// <see cref="Nodes.ContentState.Placeholder"/>). The core calls it outside every lock before a lookup miss or a
/// listing; the implementation fetches the listing and hands it to <see cref="Volume.CacheVolume.ApplyListing"/>.
/// </summary>
public interface IDirectoryLister
{
    FsStatus List(long directoryId);
}
