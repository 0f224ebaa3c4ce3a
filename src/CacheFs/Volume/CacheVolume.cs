using System.Collections.Concurrent;
using CacheFs.Content;
using CacheFs.Journal;
using CacheFs.Names;
using CacheFs.Nodes;
using CacheFs.Remote;
using Serilog;

namespace CacheFs.Volume;

/// <summary>
/// The volume core: a namespace kept in the metadata journal, content in per-file objects, and every ordering rule of
/// DESIGN.md. Hosts (FUSE, WinFsp) translate OS calls into these methods and map the <see cref="FsStatus"/> back.
/// </summary>
/// <remarks>
/// Lock order, outermost first:
///   1. <see cref="_gate"/>       the per-volume ordering point for namespace changes (create, link, unlink, rmdir, rename);
///   2. <see cref="LiveFile.SizeLock"/> the per-file ordering point for size (write, append, truncate, allocate);
///   3. the journal's write lock (inside <see cref="MetadataJournal.BeginWrite"/>);
///   4. <see cref="_liveLock"/>   the table of live files and their user counts.
/// Lookups, getattr, readdir and reads take none of the first three.
/// </remarks>
public sealed partial class CacheVolume : IDisposable
{
    private const string JournalFile = "journal.db";

    private readonly Lock _gate = new();
    private readonly Lock _liveLock = new();
    private readonly ConcurrentDictionary<long, LiveFile> _live = new();
    private readonly ConcurrentDictionary<ulong, OpenHandle> _handles = new();

    // Last-access times of closed files not yet in the journal: an eviction hint, written in batches (and lost in a
    // crash, which only makes eviction slightly less exact).
    private readonly ConcurrentDictionary<long, Timestamp> _accessHints = new();

    // Hints added since the last flush (an upper bound on the dictionary's size). ConcurrentDictionary's IsEmpty and
    // Count take every bucket lock, which a stat must not pay; this is one read.
    private int _accessHintsAdded;
    private readonly CacheDirectoryLock _directoryLock;
    private readonly MetadataJournal _journal;
    private readonly ContentStore _store;
    private readonly NameRules _names;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private long _nextHandle;
    private int _disposed;

    private CacheVolume(VolumeOptions options, CacheDirectoryLock directoryLock, MetadataJournal journal, ILogger log, TimeProvider time)
    {
        Options = options;
        _directoryLock = directoryLock;
        _journal = journal;
        _store = new ContentStore(options.CacheDirectory);
        _names = options.CaseSensitive ? NameRules.Sensitive : NameRules.Insensitive;
        _log = log.ForContext<CacheVolume>();
        _time = time;
    }

    public VolumeOptions Options { get; }

    public RecoveryReport LastRecovery { get; private set; } = new(0, 0, 0, 0, []);

    /// <summary>Fills missing content ranges; null for a purely local volume (missing content is then unavailable).</summary>
    public IContentFetcher? Fetcher { get; set; }

    /// <summary>
    /// Opens the volume on its cache directory, creating the journal on first use, and recovers from whatever a crash
    /// left behind. Throws <see cref="CacheInUseException"/> when another volume holds the directory, and
    /// <see cref="JournalException"/> when the journal is damaged or from a newer version.
    /// </summary>
    public static CacheVolume Open(VolumeOptions options, ILogger log, TimeProvider? time = null)
    {
        Directory.CreateDirectory(options.CacheDirectory);
        var directoryLock = CacheDirectoryLock.Acquire(options.CacheDirectory);
        MetadataJournal? journal = null;
        try
        {
            journal = MetadataJournal.Open(Path.Combine(options.CacheDirectory, JournalFile));
            var volume = new CacheVolume(options, directoryLock, journal, log, time ?? TimeProvider.System);
            volume.Initialize();
            return volume;
        }
        catch
        {
            journal?.Dispose();
            directoryLock.Dispose();
            throw;
        }
    }

    public Timestamp Now() => Timestamp.FromDateTimeOffset(_time.GetUtcNow());

    public FsResult<NodeAttributes> GetAttributes(long id)
    {
        var node = _journal.GetNode(id);
        if (node is null || (node.LinkCount == 0 && !_live.ContainsKey(id)))
            return FsStatus.NotFound;
        return Overlay(node);
    }

    public FsResult<NodeAttributes> Lookup(long parent, string name)
    {
        var status = NameRules.Validate(name);
        if (status != FsStatus.Ok)
            return status;
        var fold = _names.Fold(name);
        var found = _journal.LookupNode(parent, fold);
        if (found is { } hit)
            return Overlay(hit.Node);
        var directory = _journal.GetNode(parent);
        if (!NeedsListing(directory))
            return MissingChildStatus(directory);
        status = EnsureListed(parent);
        if (status != FsStatus.Ok)
            return status;
        found = _journal.LookupNode(parent, fold);
        return found is { } listed ? Overlay(listed.Node) : FsStatus.NotFound;
    }

    /// <summary>Asks the origin for a directory's names if the cache has not listed it yet; a no-op for a local volume.</summary>
    internal FsStatus EnsureListed(long directory) =>
        NeedsListing(_journal.GetNode(directory)) ? Lister!.List(directory) : FsStatus.Ok;

    /// <summary>Resolves a '/'-separated path from the root (no '.' or '..' components; the host resolves those).</summary>
    public FsResult<NodeAttributes> Resolve(string path)
    {
        var current = GetAttributes(NodeIds.Root);
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!current.IsOk)
                return current;
            if (!current.Value.IsDirectory)
                return FsStatus.NotDirectory;
            current = Lookup(current.Value.Id, part);
        }

        return current;
    }

    /// <summary>Up to <paramref name="max"/> entries after <paramref name="afterCookie"/> (0 starts the listing), with attributes.</summary>
    public FsResult<IReadOnlyList<DirectoryEntry>> ReadDirectory(long directory, long afterCookie, int max)
    {
        if (max <= 0)
            return FsStatus.InvalidArgument;
        var node = _journal.GetNode(directory);
        if (node is null)
            return FsStatus.NotFound;
        if (!node.IsDirectory)
            return FsStatus.NotDirectory;
        if (NeedsListing(node))
        {
            var listed = Lister!.List(directory);
            if (listed != FsStatus.Ok)
                return listed;
        }

        var entries = _journal.ListEntries(directory, afterCookie, max);
        for (var i = 0; i < entries.Count; i++)
        {
            if (_live.TryGetValue(entries[i].Attributes.Id, out _))
                entries[i] = entries[i] with { Attributes = Overlay(entries[i].Attributes) };
        }

        return entries;
    }

    public FsResult<string> ReadLink(long id)
    {
        var node = _journal.GetNode(id);
        if (node is null)
            return FsStatus.NotFound;
        if (node.Kind != NodeKind.Symlink)
            return FsStatus.InvalidArgument;
        return _journal.Read(s => s.GetSymlinkTarget(id)) ?? "";
    }

    public FsResult<VolumeStats> GetStatistics()
    {
        var nodes = _journal.Read(s => s.CountNodes());
        try
        {
            var drive = new DriveInfo(Path.GetFullPath(Options.CacheDirectory));
            const int blockSize = 4096;
            return new VolumeStats(
                blockSize,
                drive.TotalSize,
                drive.TotalFreeSpace,
                drive.AvailableFreeSpace,
                nodes,
                FreeNodes: Math.Max(0, drive.AvailableFreeSpace / blockSize),
                NameRules.MaxNameBytes);
        }
        catch (IOException e)
        {
            _log.Warning(e, "Cannot read free space of {CacheDirectory}", Options.CacheDirectory);
            return FsStatus.IoError;
        }
    }

    /// <summary>SQLite's full integrity check of the journal: "ok" or what is wrong.</summary>
    public string CheckJournalIntegrity() => _journal.CheckIntegrity(quick: false);

    /// <summary>Makes every committed namespace change durable (fsync of a directory, or of the whole volume).</summary>
    public FsStatus SyncVolume()
    {
        FlushAccessHints();
        foreach (var file in _live.Values)
        {
            var status = FlushMetadata(file);
            if (status != FsStatus.Ok)
                return status;
        }

        return Guard(() =>
        {
            _journal.MakeDurable();
            return FsStatus.Ok;
        });
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        foreach (var handle in _handles.Keys.ToArray())
            Release(handle);
        FlushAccessHints();
        _journal.Dispose();
        _directoryLock.Dispose();
        _log.Information("Closed the volume on {CacheDirectory}", Options.CacheDirectory);
    }

    private NodeAttributes Overlay(NodeAttributes node)
    {
        if (Volatile.Read(ref _accessHintsAdded) > 0 && _accessHints.TryGetValue(node.Id, out var hint) && hint > node.LastAccess)
            node = node with { LastAccess = hint };
        if (!_live.TryGetValue(node.Id, out var file))
            return node;
        lock (file.SizeLock)
            return file.Overlay(node);
    }

    private void HintAccess(long id, Timestamp lastAccess)
    {
        _accessHints.AddOrUpdate(id, lastAccess, (_, old) => old > lastAccess ? old : lastAccess);
        if (Interlocked.Increment(ref _accessHintsAdded) >= 1024)
            FlushAccessHints();
    }

    /// <summary>Writes the pending last-access hints in one transaction.</summary>
    private void FlushAccessHints()
    {
        // Only the additions counted before the snapshot are taken off afterwards: one made meanwhile keeps the count
        // above zero until the next flush, so a stat never skips a hint that is still only in memory.
        var counted = Volatile.Read(ref _accessHintsAdded);
        if (counted == 0)
            return;
        var hints = _accessHints.ToArray();
        var status = Guard(() =>
        {
            var writer = _journal.BeginWrite();
            try
            {
                foreach (var (id, lastAccess) in hints)
                    writer.TouchLastAccess(id, lastAccess);
                writer.Commit();
                return FsStatus.Ok;
            }
            finally
            {
                writer.End();
            }
        });
        if (status != FsStatus.Ok)
            return;
        foreach (var hint in hints)
            _accessHints.TryRemove(hint);
        Interlocked.Add(ref _accessHintsAdded, -counted);
    }

    /// <summary>Why a name was not found: the parent itself may be missing or not a directory.</summary>
    internal static FsStatus MissingChildStatus(NodeAttributes? parent) =>
        parent is null || parent.IsDirectory ? FsStatus.NotFound : FsStatus.NotDirectory;

    private OpenHandle? HandleOf(ulong handle) => _handles.TryGetValue(handle, out var open) ? open : null;

    /// <summary>Turns the disk's failures into statuses at the edge of each operation: nothing escapes to a host.</summary>
    private FsStatus Guard(Func<FsStatus> work)
    {
        try
        {
            return work();
        }
        catch (Exception e) when (IsFault(e))
        {
            return Fault(e);
        }
    }

    /// <summary>
    /// What the disk and the journal throw: .NET reports EACCES, EPERM and EISDIR (an object path that became a folder)
    /// as <see cref="UnauthorizedAccessException"/>, not as an <see cref="IOException"/>.
    /// </summary>
    internal static bool IsFault(Exception e) => e is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException;

    internal FsStatus Fault(Exception e)
    {
        var status = IsDiskFull(e) ? FsStatus.NoSpace : FsStatus.IoError;
        _log.Error(e, "Volume operation failed with {Status}", status);
        return status;
    }

    private static bool IsDiskFull(Exception e) => e switch
    {
        IOException io => (io.HResult & 0xFFFF) is 28 or 112 or 39, // ENOSPC; ERROR_DISK_FULL; ERROR_HANDLE_DISK_FULL
        Microsoft.Data.Sqlite.SqliteException sql => sql.SqliteErrorCode == 13, // SQLITE_FULL
        _ => false,
    };
}
