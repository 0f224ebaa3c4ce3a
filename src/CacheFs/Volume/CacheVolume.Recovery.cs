using CacheFs.Journal;
using CacheFs.Nodes;

namespace CacheFs.Volume;

public sealed partial class CacheVolume
{
    private const string CaseSetting = "case_sensitive";
    private const string OutboxSetting = "outbox";
    private const string BootSetting = "boot_id";

    /// <summary>
    /// Creates the root on first use, then recovers: unlinked nodes whose last handle died with the process are removed,
    /// objects no row points at are removed, objects are cut or extended to the size the journal committed, and rows
    /// whose content is gone are marked not present (loudly, if they held changes the origin never saw).
    /// </summary>
    private void Initialize()
    {
        CreateRootIfMissing();
        LastRecovery = Recover();
        ForgetChangesAfterReboot();
        QueueLostUploads();
        var r = LastRecovery;
        if (r.UnlinkedNodesRemoved + r.OrphanObjectsRemoved + r.ObjectsResized + r.MissingContentMarked > 0)
        {
            _log.Warning(
                "Recovered {CacheDirectory}: {Unlinked} unlinked nodes and {Orphans} orphan objects removed, {Resized} objects resized, {Missing} rows marked not present",
                Options.CacheDirectory,
                r.UnlinkedNodesRemoved,
                r.OrphanObjectsRemoved,
                r.ObjectsResized,
                r.MissingContentMarked);
        }

        foreach (var id in r.DirtyContentLost)
            _log.Error("The content of node {NodeId} had unsynced changes and is missing from the cache", id);
        _log.Information("Opened the volume on {CacheDirectory}", Options.CacheDirectory);
    }

    private void CreateRootIfMissing()
    {
        var writer = _journal.BeginWrite();
        try
        {
            var stored = writer.GetSetting(CaseSetting);
            var wanted = Options.CaseSensitive ? "1" : "0";
            if (stored is not null && stored != wanted)
            {
                throw new JournalException(
                    $"the cache {Options.CacheDirectory} was created {(stored == "1" ? "case-sensitive" : "case-insensitive")}; " +
                    "it cannot be opened with the other case rule");
            }

            var mirrors = Options.Outbox ? "1" : "0";
            var storedMirrors = writer.GetSetting(OutboxSetting) ?? (stored is null ? null : "0");
            if (storedMirrors is not null && storedMirrors != mirrors)
            {
                throw new JournalException(
                    $"the cache {Options.CacheDirectory} was created {(storedMirrors == "1" ? "for a volume backed by an origin" : "for a local volume")}; " +
                    $"it cannot be opened {(mirrors == "1" ? "with" : "without")} an origin (use another cache directory)");
            }

            if (writer.GetNode(NodeIds.Root) is null)
            {
                var now = Now();
                var root = NewAttributes(NodeKind.Directory, new NewNode(Options.RootMode, Options.RootUid, Options.RootGid), now) with
                {
                    LinkCount = 2,
                    Parent = NodeIds.Root,

                    // A mirrored root starts unlisted: its names come from the origin on first use.
                    Content = Options.Outbox ? ContentState.Placeholder : ContentState.Complete,
                };
                var id = writer.InsertNode(root, symlinkTarget: null);
                if (id != NodeIds.Root)
                    throw new JournalException($"the journal's first node got id {id}, not the root id; the journal is not a CacheFs journal");
                writer.SetSetting(CaseSetting, wanted);
                writer.SetSetting(OutboxSetting, mirrors);
            }

            writer.Commit();
        }
        finally
        {
            writer.End();
        }
    }

    /// <summary>
    /// A change record is committed before its bytes land, but not synced: a power loss may keep the bytes and lose the
    /// record. A process killed on a running machine loses neither, so only after a reboot are the records forgotten
    /// (those files go up whole).
    /// </summary>
    private void ForgetChangesAfterReboot()
    {
        var boot = Options.BootId();
        var writer = _journal.BeginWrite();
        try
        {
            if (boot is not null && writer.GetSetting(BootSetting) == boot)
                return;
            writer.ForgetAllChanges();
            if (boot is not null)
                writer.SetSetting(BootSetting, boot);
            writer.Commit();
        }
        finally
        {
            writer.End();
        }
    }

    private RecoveryReport Recover()
    {
        var unlinked = _journal.Read(s => s.ListUnlinkedNodes());
        if (unlinked.Count > 0)
            RemoveNodes(unlinked);

        var files = _journal.Read(s => s.ListFiles()).ToDictionary(f => f.Id);
        var orphans = 0;
        var resized = 0;
        var present = new HashSet<long>();
        foreach (var (id, path) in _store.Enumerate())
        {
            if (!files.TryGetValue(id, out var row) || row.State == ContentState.Placeholder)
            {
                File.Delete(path);
                orphans++;
                continue;
            }

            present.Add(id);
            var info = new FileInfo(path);

            // A partial file's object ends at its last present byte, which is no damage; only bytes past EOF are.
            if (info.Length > row.Size || (info.Length < row.Size && row.State == ContentState.Complete))
            {
                // Bytes past the committed size were never fsynced; a size the journal committed was ordered before its truncate.
                using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
                RandomAccess.SetLength(handle, row.Size);
                resized++;
            }
        }

        var missing = new List<long>();
        var dirtyLost = new List<long>();
        foreach (var row in files.Values)
        {
            if (row.State == ContentState.Placeholder || present.Contains(row.Id) || row.Size == 0)
                continue;
            missing.Add(row.Id);
            if (row.Dirty)
                dirtyLost.Add(row.Id);
        }

        if (missing.Count > 0)
            MarkNotPresent(missing);
        return new RecoveryReport(unlinked.Count, orphans, resized, missing.Count, dirtyLost);
    }

    private void RemoveNodes(List<long> ids)
    {
        var writer = _journal.BeginWrite();
        try
        {
            foreach (var id in ids)
                writer.DeleteNode(id);
            writer.Commit();
        }
        finally
        {
            writer.End();
        }

        foreach (var id in ids)
            _store.Delete(id);
    }

    private void MarkNotPresent(List<long> ids)
    {
        var writer = _journal.BeginWrite();
        try
        {
            foreach (var id in ids)
            {
                var node = writer.GetNode(id)!;
                writer.UpdateNode(node with { Content = ContentState.Placeholder, CachedBytes = 0 });
                writer.ReplaceRanges(id, new Content.RangeSet());
            }

            writer.Commit();
        }
        finally
        {
            writer.End();
        }
    }

    private static NodeAttributes NewAttributes(NodeKind kind, NewNode owner, Timestamp now) => new()
    {
        Id = 0,
        Kind = kind,
        Mode = owner.Mode & 0xFFF,
        Uid = owner.Uid,
        Gid = owner.Gid,
        LinkCount = kind == NodeKind.Directory ? 2u : 1u,
        AccessTime = now,
        ModifyTime = now,
        ChangeTime = now,
        BirthTime = now,
        LastAccess = now,
        WindowsAttributes = owner.WindowsAttributes,
        Content = ContentState.Complete,
    };
}
