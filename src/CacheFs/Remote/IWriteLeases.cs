namespace CacheFs.Remote;

/// <summary>
/// The origin's say over who may change a file. The core asks before a write-open of a file the origin knows, and
/// before removing or replacing one; <see cref="FsStatus.Busy"/> means another client holds it. Called outside every
/// lock, because the answer may take a round trip.
/// </summary>
public interface IWriteLeases
{
    FsStatus AcquireForWrite(long nodeId);

    /// <summary>Before a delete: the removal carries the version it removes, so the origin refuses it if that moved.</summary>
    FsStatus AcquireForRemoval(long nodeId);

    /// <summary>
    /// Before a rename over the node. Always asks the origin unless the lease is held here: the origin's rename does not
    /// check the replaced file's version, so a lease taken elsewhere just before could see its upload replaced.
    /// </summary>
    FsStatus AcquireForReplacement(long nodeId) => AcquireForRemoval(nodeId);

    /// <summary>The last writer of the node closed; the lease may go once what it wrote has reached the origin.</summary>
    void WritersClosed(long nodeId);

    /// <summary>This mount holds the node's write lease: eviction leaves its content alone.</summary>
    bool Holds(long nodeId) => false;
}
