using Fsp;

namespace CacheFs.Hosts.WinFsp;

/// <summary>Late read answers through the running FileSystemHost.</summary>
internal sealed class HostReadReplies(FileSystemHost host) : IReadReplies
{
    public ulong RequestHint() => host.GetOperationRequestHint();

    public void SendReadResponse(ulong requestHint, int status, uint bytesTransferred) =>
        host.SendReadResponse(requestHint, status, bytesTransferred);
}
