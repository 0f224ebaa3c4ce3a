namespace CacheFs.Volume;

/// <summary>One open of a node: a file (with its live state) or a directory (no content).</summary>
internal sealed class OpenHandle(long nodeId, LiveFile? file, OpenFlags flags)
{
    public long NodeId { get; } = nodeId;

    public LiveFile? File { get; } = file;

    public OpenFlags Flags { get; } = flags;

    public bool CanRead => (Flags & OpenFlags.Read) != 0;

    public bool CanWrite => (Flags & OpenFlags.Write) != 0;

    public bool Appends => (Flags & OpenFlags.Append) != 0;
}
