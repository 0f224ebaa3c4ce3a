using CacheFs.Nodes;

namespace CacheFs.Hosts.WinFsp;

/// <summary>
/// One open of a file or directory: WinFsp's FileNode and FileDesc are both this object, so every call on an open knows
/// its core handle and node without a name.
/// </summary>
internal sealed class WinFspFile(ulong handle, long nodeId, bool isDirectory)
{
    /// <summary>An open without a core handle (a symlink, or a fifo or device a Linux client made): the core never hands out 0.</summary>
    public const ulong NoHandle = 0;

    public ulong Handle { get; private set; } = handle;

    public long NodeId { get; private set; } = nodeId;

    public bool IsDirectory { get; private set; } = isDirectory;

    /// <summary>The listing this open enumerates, taken when it starts (or restarts) from the beginning.</summary>
    public DirectorySnapshot? Listing { get; set; }

    /// <summary>The listing was just taken for the ReadDirectory call now running, which need not take it again.</summary>
    public bool ListingFresh { get; set; }

    /// <summary>
    /// The open now stands for another node under the same name: a file that became a symlink (SetReparsePoint) or the
    /// reverse. The caller has released the old core handle.
    /// </summary>
    public void Become(ulong handle, long nodeId, bool isDirectory) => (Handle, NodeId, IsDirectory, Listing) = (handle, nodeId, isDirectory, null);

    /// <summary>WinFsp hands back whatever object it was given; anything else is a bug worth an exception, which it maps.</summary>
    public static WinFspFile Of(object? fileNode, object? fileDesc) =>
        fileDesc as WinFspFile ?? fileNode as WinFspFile ?? throw new ArgumentException("Not an open of this file system.", nameof(fileDesc));

    public override string ToString() => $"{(IsDirectory ? "directory" : "file")} {NodeId} (handle {Handle})";
}
