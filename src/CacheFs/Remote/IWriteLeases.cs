namespace CacheFs.Remote;

/// <summary>
/// The origin's say over who may change a file. The core asks before a write-open of a file the origin knows, and
/// before removing or replacing one; <see cref="FsStatus.Busy"/> means another client holds it. Called outside every
/// lock, because the answer may take a round trip.
/// </summary>
public interface IWriteLeases
{
    FsStatus AcquireForWrite(long nodeId);

    FsStatus AcquireForRemoval(long nodeId);

    /// <summary>The last writer of the node closed; the lease may go once what it wrote has reached the origin.</summary>
    void WritersClosed(long nodeId);

    /// <summary>This mount holds the node's write lease: eviction leaves its content alone.</summary>
    bool Holds(long nodeId) => false;
}
