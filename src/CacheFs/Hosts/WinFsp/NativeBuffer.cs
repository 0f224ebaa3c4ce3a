using System.Buffers;

namespace CacheFs.Hosts.WinFsp;

/// <summary>
/// WinFsp's request buffer as <see cref="Memory{T}"/>, so the core's asynchronous read fills it in place. WinFsp keeps
/// the buffer of a pending read valid until its response is sent.
/// </summary>
internal sealed unsafe class NativeBuffer(nint pointer, int length) : MemoryManager<byte>
{
    public override Span<byte> GetSpan() => new((void*)pointer, length);

    public override MemoryHandle Pin(int elementIndex = 0) => new((byte*)pointer + elementIndex);

    public override void Unpin()
    {
        // Native memory does not move.
    }

    protected override void Dispose(bool disposing)
    {
        // WinFsp owns the memory.
    }
}
