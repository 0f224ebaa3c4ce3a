namespace CacheFs.Hosts.WinFsp;

/// <summary>
/// How a read that waits on the origin is answered later: the hint names the request while the dispatcher thread that
/// took it moves on (FileSystemHost.GetOperationRequestHint / SendReadResponse). Tests answer through a fake.
/// </summary>
internal interface IReadReplies
{
    /// <summary>The request being dispatched on this thread; valid only inside the Read call.</summary>
    ulong RequestHint();

    void SendReadResponse(ulong requestHint, int status, uint bytesTransferred);
}
