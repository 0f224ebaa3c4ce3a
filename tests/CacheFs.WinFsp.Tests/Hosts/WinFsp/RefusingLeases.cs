using CacheFs.Remote;

namespace CacheFs.WinFsp.Tests.Hosts.WinFsp;

/// <summary>Another client holds every lease: each request is refused as the origin refuses a clash.</summary>
internal sealed class RefusingLeases : IWriteLeases
{
    public int Refused { get; private set; }

    public FsStatus AcquireForWrite(long nodeId)
    {
        Refused++;
        return FsStatus.Busy;
    }

    public FsStatus AcquireForRemoval(long nodeId)
    {
        Refused++;
        return FsStatus.Busy;
    }

    public void WritersClosed(long nodeId)
    {
    }
}
