using System.Collections.Concurrent;
using CacheFs.Hosts.WinFsp;

namespace CacheFs.WinFsp.Tests.Hosts.WinFsp;

/// <summary>Stands in for FileSystemHost's late read answers: hands out hints and records what is sent for each.</summary>
internal sealed class FakeReadReplies : IReadReplies
{
    private long _next;

    public ConcurrentDictionary<ulong, TaskCompletionSource<(int Status, uint Bytes)>> Sent { get; } = new();

    public ulong LastHint { get; private set; }

    public ulong RequestHint()
    {
        LastHint = (ulong)Interlocked.Increment(ref _next);
        Sent[LastHint] = new TaskCompletionSource<(int, uint)>(TaskCreationOptions.RunContinuationsAsynchronously);
        return LastHint;
    }

    public void SendReadResponse(ulong requestHint, int status, uint bytesTransferred) =>
        Sent[requestHint].SetResult((status, bytesTransferred));
}
