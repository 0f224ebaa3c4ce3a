using CacheFs.Content;
using CacheFs.Nodes;
using Microsoft.Win32.SafeHandles;

namespace CacheFs.Volume;

/// <summary>
/// The in-memory state of a file that is open (or being changed): one per node, shared by every handle and every
/// hard link, so all of them reach the same content object (DESIGN invariant 4).
/// </summary>
/// <remarks>
/// <see cref="SizeLock"/> is the file's one ordering point for size: every write, append, truncate and allocation holds
/// it, and EOF is decided inside it. The members below it are guarded by it. <see cref="Users"/> and
/// <see cref="Unlinked"/> are guarded by the volume's live-file lock.
/// Size, times and the cached-range record are written back to the journal on flush, fsync and release.
/// </remarks>
internal sealed class LiveFile
{
    public LiveFile(NodeAttributes node, RangeSet? ranges, SafeFileHandle? content)
    {
        Id = node.Id;
        Size = node.Size;
        ModifyTime = node.ModifyTime;
        ChangeTime = node.ChangeTime;
        AccessTime = node.AccessTime;
        LastAccess = node.LastAccess;
        Content = node.Content;
        OriginVersion = node.OriginVersion;
        OriginId = node.OriginId;
        DirtyRecorded = node.Dirty;
        Ranges = ranges ?? new RangeSet();
        Object = content;
    }

    public long Id { get; }

    public Lock SizeLock { get; } = new();

    public int Users { get; set; }

    public bool Unlinked { get; set; }

    public long Size { get; set; }

    public Timestamp ModifyTime { get; set; }

    public Timestamp ChangeTime { get; set; }

    public Timestamp AccessTime { get; set; }

    public Timestamp LastAccess { get; set; }

    public ContentState Content { get; set; }

    public string OriginVersion { get; set; }

    public long OriginId { get; set; }

    /// <summary>Rises with every change to the bytes or the size, so an upload can tell whether what it sent is still current.</summary>
    public long ContentGeneration { get; set; }

    /// <summary>The <see cref="ContentGeneration"/> the last queued upload covers.</summary>
    public long QueuedGeneration { get; set; }

    /// <summary>Open handles that may write (guarded by the volume's live-file lock).</summary>
    public int Writers { get; set; }

    /// <summary>Present ranges; meaningful only while <see cref="Content"/> is <see cref="ContentState.Partial"/>.</summary>
    public RangeSet Ranges { get; }

    public SafeFileHandle? Object { get; set; }

    /// <summary>Size, times or ranges differ from the journal.</summary>
    public bool MetadataDirty { get; set; }

    /// <summary>Reads moved <see cref="LastAccess"/>; written back at release, not per read.</summary>
    public bool AccessDirty { get; set; }

    /// <summary>The object file was created and its name is not yet known durable (fsync syncs its folder once).</summary>
    public bool ObjectNameUnsynced { get; set; }

    /// <summary>The journal already says this file has changes the origin has not seen.</summary>
    public bool DirtyRecorded { get; set; }

    /// <summary>Which ranges changed since the origin version the file is based on (meaningful while dirty).</summary>
    public ChangeRecord Changes { get; } = new();

    /// <summary>
    /// The write lease went back to the origin while writers still had the file open (another client asked, and
    /// nothing was unsent): the next write takes it again before it changes a byte.
    /// </summary>
    public volatile bool LeaseNeeded;

    public bool IsPresent(long offset, long length) =>
        Content == ContentState.Complete || (Content == ContentState.Partial && Ranges.Contains(offset, offset + length));

    /// <summary>Bytes of content the cache holds, at 4 KiB granularity for whole files.</summary>
    public long CachedBytes => Content switch
    {
        ContentState.Complete => (Size + 4095) & ~4095L,
        ContentState.Partial => Ranges.Length,
        _ => 0,
    };

    /// <summary>Applies the live values over a snapshot read from the journal.</summary>
    public NodeAttributes Overlay(NodeAttributes node) => node with
    {
        Size = Size,
        ModifyTime = ModifyTime,
        ChangeTime = ChangeTime > node.ChangeTime ? ChangeTime : node.ChangeTime,
        AccessTime = AccessTime,
        LastAccess = LastAccess,
        Content = Content,
        CachedBytes = CachedBytes,
        Dirty = DirtyRecorded,
    };
}
