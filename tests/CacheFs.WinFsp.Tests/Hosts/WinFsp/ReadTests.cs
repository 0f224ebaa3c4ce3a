using CacheFs.Hosts.WinFsp;
using CacheFs.Tests.Hosts.Fuse;
using Fsp;
using static CacheFs.WinFsp.Tests.Hosts.WinFsp.WinFspHarness;

namespace CacheFs.WinFsp.Tests.Hosts.WinFsp;

/// <summary>Reads of bytes only the origin has: answered later, so no dispatcher thread waits for the network.</summary>
public sealed class ReadTests : IDisposable
{
    private readonly FakeReadReplies _replies = new();
    private readonly FakeOrigin _origin = new();
    private readonly WinFspHarness _h;

    public ReadTests()
    {
        _h = new WinFspHarness(replies: _replies);
        _h.Volume.Volume.Fetcher = _origin;
        _origin.Put(_h.Volume.Volume, "video.mp4", [.. Enumerable.Range(0, 100).Select(i => (byte)i)], originId: 7);
    }

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Read_NotCached_PendsThenAnswersWithTheFetchedBytes()
    {
        _origin.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var file = _h.Open("\\video.mp4", ReadData);
        var buffer = new byte[10];
        var handle = System.Runtime.InteropServices.GCHandle.Alloc(buffer, System.Runtime.InteropServices.GCHandleType.Pinned);
        try
        {
            _h.Fs.Read(file, file, handle.AddrOfPinnedObject(), 90, 10, out _).Should().Be(NtStatus.Pending);
            var hint = _replies.LastHint;
            _replies.Sent[hint].Task.IsCompleted.Should().BeFalse("the origin has not answered yet");

            _origin.Gate.SetResult();
            var (status, bytes) = await _replies.Sent[hint].Task.WaitAsync(TimeSpan.FromSeconds(30));
            status.Should().Be(NtStatus.Success);
            bytes.Should().Be(10);
            buffer.Should().Equal(Enumerable.Range(90, 10).Select(i => (byte)i));
        }
        finally
        {
            handle.Free();
        }

        // Now cached: answered at once, on the calling thread.
        _h.ReadStatus(file, 95, new byte[10], out var read).Should().Be(NtStatus.Success);
        read.Should().Be(5);
        _h.Close(file);
    }

    [Fact]
    public async Task Read_OriginUnreachable_PendingReadAnswersNetworkUnreachable()
    {
        _origin.Failure = FsStatus.ContentUnavailable;
        _origin.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var file = _h.Open("\\video.mp4", ReadData);
        var buffer = new byte[10];
        var handle = System.Runtime.InteropServices.GCHandle.Alloc(buffer, System.Runtime.InteropServices.GCHandleType.Pinned);
        try
        {
            _h.Fs.Read(file, file, handle.AddrOfPinnedObject(), 0, 10, out _).Should().Be(NtStatus.Pending);
            _origin.Gate.SetResult();
            var (status, bytes) = await _replies.Sent[_replies.LastHint].Task.WaitAsync(TimeSpan.FromSeconds(30));
            status.Should().Be(FileSystemBase.STATUS_NETWORK_UNREACHABLE);
            bytes.Should().Be(0);
        }
        finally
        {
            handle.Free();
        }

        _h.Close(file);
    }

    [Fact]
    public async Task Dispose_WithAReadStillWaiting_AnswersIt()
    {
        _origin.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var file = _h.Open("\\video.mp4", ReadData);
        var buffer = new byte[10];
        var handle = System.Runtime.InteropServices.GCHandle.Alloc(buffer, System.Runtime.InteropServices.GCHandleType.Pinned);
        try
        {
            _h.Fs.Read(file, file, handle.AddrOfPinnedObject(), 0, 10, out _).Should().Be(NtStatus.Pending);
            _h.Fs.Unmounted(null!);
            var (status, _) = await _replies.Sent[_replies.LastHint].Task.WaitAsync(TimeSpan.FromSeconds(30));
            status.Should().Be(FileSystemBase.STATUS_NETWORK_UNREACHABLE);
        }
        finally
        {
            handle.Free();
        }
    }
}
