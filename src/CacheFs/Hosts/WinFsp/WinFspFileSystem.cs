using CacheFs.Hosts.Fuse;
using CacheFs.Nodes;
using CacheFs.Volume;
using Fsp;
using Fsp.Interop;
using Serilog;
using FileInfo = Fsp.Interop.FileInfo;

namespace CacheFs.Hosts.WinFsp;

/// <summary>
/// WinFsp's file-system callbacks mapped onto a <see cref="CacheVolume"/>, as thin as the FUSE host: translate the call,
/// call the core, map the result (<see cref="NtStatus"/>). WinFsp names files by path; a name is walked from the root
/// through the core's lookups (case-insensitive on a Windows volume), and every call on an open file uses its core
/// handle (<see cref="WinFspFile"/>). WinFsp's FileSystemHost catches whatever a callback throws and hands it to
/// <see cref="ExceptionHandler"/>, so no exception reaches the native dispatcher; late read answers catch their own.
/// </summary>
/// <remarks>
/// Operations are split by topic: names (Create, Open, Overwrite, Rename, deletes), files (Cleanup, Close, Write, Flush,
/// information, sizes), reads, directories, security, EAs and reparse points (symlinks). The host settings are in
/// <see cref="WinFspSettings"/>.
/// </remarks>
internal sealed unsafe partial class WinFspFileSystem : FileSystemBase, IDisposable
{
    private const string VolumeLabel = "CacheFs";

    private readonly CacheVolume _volume;
    private readonly ILogger _log;
    private readonly StringComparer _nameOrder;
    private readonly NewNode _fileOwner;
    private readonly NewNode _directoryOwner;

    /// <summary>Reads answered after the callback returned; shared with the FUSE host, which waits the same way.</summary>
    private readonly AsyncReplies _lateReads = new();
    private IReadReplies? _replies;
    private int _drained;

    /// <param name="replies">How pending reads are answered; null until mounted (then reads that must wait block).</param>
    public WinFspFileSystem(CacheVolume volume, ILogger log, IReadReplies? replies = null)
    {
        _volume = volume;
        _log = log.ForContext<WinFspFileSystem>();
        _replies = replies;
        _nameOrder = volume.Options.CaseSensitive ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;

        // New nodes get ordinary POSIX modes and the root's owner: the origin keeps them for the volume's Linux clients.
        var root = volume.GetAttributes(NodeIds.Root);
        var (uid, gid) = root.IsOk ? (root.Value.Uid, root.Value.Gid) : (0u, 0u);
        _fileOwner = new NewNode(0x1A4, uid, gid);
        _directoryOwner = new NewNode(0x1ED, uid, gid);
    }

    public override int Init(object Host)
    {
        if (Host is FileSystemHost host)
        {
            WinFspSettings.Apply(host, _volume.Options);
            _replies ??= new HostReadReplies(host);
        }

        return NtStatus.Success;
    }

    /// <summary>The dispatcher has stopped: no read can begin, so the late ones are cancelled and waited for.</summary>
    public override void Unmounted(object Host) => DrainLateReads();

    public override int ExceptionHandler(Exception ex)
    {
        _log.Error(ex, "WinFsp callback failed; answering STATUS_UNEXPECTED_IO_ERROR");
        return NtStatus.UnexpectedIoError;
    }

    public override int GetVolumeInfo(out VolumeInfo VolumeInfo)
    {
        VolumeInfo = default;
        var stats = _volume.GetStatistics();
        if (!stats.TryGet(out var s))
            return NtStatus.Of(stats.Status);
        VolumeInfo.TotalSize = (ulong)s.TotalBytes;
        VolumeInfo.FreeSize = (ulong)s.AvailableBytes;
        VolumeInfo.SetVolumeLabel(VolumeLabel);
        return NtStatus.Success;
    }

    public override int SetVolumeLabel(string VolumeLabel, out VolumeInfo VolumeInfo)
    {
        VolumeInfo = default;
        return NtStatus.InvalidDeviceRequest; // The label is the product's; there is nowhere to keep another.
    }

    public void Dispose()
    {
        DrainLateReads();
        _lateReads.Dispose();
    }

    private void DrainLateReads()
    {
        if (Interlocked.Exchange(ref _drained, 1) == 0 && !_lateReads.Drain(TimeSpan.FromSeconds(30)))
            _log.Warning("Reads waiting on the origin were still unanswered when the volume was unmounted");
    }

    /// <summary>Walks a WinFsp name from the root; <paramref name="inParent"/> says the walk stopped before the last name.</summary>
    private FsResult<NodeAttributes> Walk(string[] parts, out bool inParent)
    {
        var current = _volume.GetAttributes(NodeIds.Root);
        for (var i = 0; i < parts.Length; i++)
        {
            inParent = true;
            if (!current.IsOk)
                return current;
            if (!current.Value.IsDirectory)
                return FsStatus.NotDirectory;
            current = _volume.Lookup(current.Value.Id, parts[i]);
        }

        inParent = false;
        return current;
    }

    private int Resolve(string fileName, out NodeAttributes node)
    {
        var found = Walk(WinFspPath.Components(fileName), out var inParent);
        node = found.IsOk ? found.Value : null!;
        return found.IsOk ? NtStatus.Success : NtStatus.OfLookup(found.Status, inParent);
    }

    /// <summary>
    /// <see cref="Resolve"/>, except that a symlink before the last name stops the walk with STATUS_REPARSE and the index
    /// in <paramref name="fileName"/> where that name starts, as WinFsp's FindReparsePoint reports it.
    /// </summary>
    private int ResolveOrReparse(string fileName, out NodeAttributes node, out uint reparseIndex)
    {
        node = null!;
        reparseIndex = 0;
        var current = _volume.GetAttributes(NodeIds.Root);
        int start = 0, previous = 0;
        while (true)
        {
            while (start < fileName.Length && fileName[start] == '\\')
                start++;
            if (start >= fileName.Length)
                break;
            if (!current.IsOk)
                return NtStatus.OfLookup(current.Status, inParent: true);
            if (current.Value.Kind == NodeKind.Symlink)
            {
                reparseIndex = (uint)previous;
                return FileSystemBase.STATUS_REPARSE;
            }

            if (!current.Value.IsDirectory)
                return NtStatus.OfLookup(FsStatus.NotDirectory, inParent: true);
            var end = fileName.IndexOf('\\', start);
            end = end < 0 ? fileName.Length : end;
            current = _volume.Lookup(current.Value.Id, fileName[start..end]);
            (previous, start) = (start, end);
        }

        if (!current.IsOk)
            return NtStatus.OfLookup(current.Status, inParent: false);
        node = current.Value;
        return NtStatus.Success;
    }

    /// <summary>The directory that holds the last name of <paramref name="fileName"/>, and that name.</summary>
    private int ResolveParent(string fileName, out long parent, out string name)
    {
        var (parts, last) = WinFspPath.Split(fileName);
        var found = Walk(parts, out _);
        parent = found.IsOk ? found.Value.Id : 0;
        name = last ?? "";
        if (!found.IsOk)
            return NtStatus.OfLookup(found.Status, inParent: true);
        if (!found.Value.IsDirectory)
            return NtStatus.OfLookup(FsStatus.NotDirectory, inParent: true);
        return last is null ? NtStatus.AccessDenied : NtStatus.Success; // The root has no parent to change it in.
    }

    /// <summary>The name as the volume spells it (the case it was created with), for WinFsp's normalized name.</summary>
    private string? Spelling(long id) => id == NodeIds.Root ? "\\" : _volume.PathOf(id) is { } path ? WinFspPath.FromCore(path) : null;

    private int Info(WinFspFile file, out FileInfo info)
    {
        var node = _volume.GetAttributes(file.NodeId);
        info = node.IsOk ? Describe(node.Value) : default;
        return NtStatus.Of(node.Status);
    }

    /// <summary>A node's FileInfo with what only the volume knows: the size of its EAs (listings report 0, see README).</summary>
    private FileInfo Describe(NodeAttributes node)
    {
        var info = FileInfoOf.Node(node);
        info.EaSize = EaSize(node.Id);
        return info;
    }
}
