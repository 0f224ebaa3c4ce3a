using CacheFs.Nodes;
using CacheFs.Protocol;
using CacheFs.Remote;
using CacheFs.Sync.Origin;
using CacheFs.Volume;
using Serilog;

namespace CacheFs.Sync.Engine;

/// <summary>
/// Replays the outbox against the origin, strictly in order: each entry is applied, then removed in one journal
/// transaction with what the origin answered. An unreachable origin stops the replay until it is back (offline
/// changes simply wait); a refusal that asking again cannot fix is logged and the entry dropped, except a clashing
/// upload, whose bytes are kept on the origin under a conflict name, so nothing a user wrote is lost.
/// </summary>
internal sealed class OutboxReplayer(
    CacheVolume volume,
    OriginClient client,
    SessionKeeper sessions,
    LeaseManager leases,
    ChangeOrder order,
    SyncOptions options,
    ILogger log,
    TimeProvider time) : IDisposable
{
    private const string RelistSetting = "relist";

    private readonly SemaphoreSlim _signal = new(0, 1);

    // Listed directories to list again once the outbox is empty (see Relist); kept in the journal too, so a crash
    // before they are listed does not lose the changes they stand for.
    private readonly SortedSet<string> _relist = new(LoadRelist(volume), StringComparer.Ordinal);

    /// <summary>Pulsed after each entry leaves the outbox.</summary>
    public ProgressPulse Sent { get; } = new();

    public void Dispose() => _signal.Dispose();

    /// <summary>The outbox grew (called inside the journal's write lock: only signals).</summary>
    public void Signal()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled.
            }
        }
    }

    public async Task RunAsync(CancellationToken ct)
    {
        var backoff = TimeSpan.FromMilliseconds(250);
        while (!ct.IsCancellationRequested)
        {
            await _signal.WaitAsync(TimeSpan.FromSeconds(2), ct).ConfigureAwait(false);
            bool drained;
            try
            {
                drained = await DrainAsync(ct).ConfigureAwait(false);
            }
            catch (OriginUnavailableException e)
            {
                log.Debug("Outbox replay paused: {Reason}", e.Message);
                drained = false;
            }
#pragma warning disable CA1031 // The replay loop must outlive any one bad entry; the failure is logged and retried.
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.Error(e, "Outbox replay failed; retrying");
                drained = false;
            }
#pragma warning restore CA1031

            if (drained)
            {
                backoff = TimeSpan.FromMilliseconds(250);
                continue;
            }

            await Task.Delay(backoff, time, ct).ConfigureAwait(false);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
        }
    }

    /// <summary>Applies entries until the outbox is empty (true) or the origin cannot take more now (false).</summary>
    private async Task<bool> DrainAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            // One entry at a time, read afresh: applying one may rewrite those after it (a removal's base version after
            // our own upload, the path of a file the origin made under a conflict name).
            if (volume.ReadOutbox(0, 1) is not [var entry])
            {
                await RelistAsync(ct).ConfigureAwait(false);
                return true;
            }

            if (await sessions.EnsureAsync(ct).ConfigureAwait(false) is not { } session)
                return false;
            if (!await ApplyAsync(entry, session, ct).ConfigureAwait(false))
                return false;
            Sent.Pulse();
            await leases.SettledAsync(entry.NodeId, force: false, ct).ConfigureAwait(false);
        }

        return false;
    }

    /// <summary>One entry: true when it left the outbox, false to stop and retry later.</summary>
    private async Task<bool> ApplyAsync(OutboxEntry entry, SessionInfo session, CancellationToken ct)
    {
        var mutation = new Mutation(session.SessionId);
        try
        {
            switch (entry.Kind)
            {
                case OutboxKind.Upload:
                    return await UploadAsync(entry, session, ct).ConfigureAwait(false);
                case OutboxKind.MakeDirectory:
                {
                    var request = new MakeDirectoryRequest(entry.Path, NewAttributes(volume.GetAttributes(entry.NodeId)));
                    return Complete(entry, await InParentAsync(entry.Path, session, () => client.MakeDirectoryAsync(request, mutation, ct), ct).ConfigureAwait(false));
                }

                case OutboxKind.MakeNode:
                {
                    var request = NewNodeRequest(entry, entry.Path);
                    return Complete(entry, await InParentAsync(entry.Path, session, () => client.MakeNodeAsync(request, mutation, ct), ct).ConfigureAwait(false));
                }

                case OutboxKind.Link:
                    return Complete(entry, await client.LinkAsync(new LinkRequest(entry.Path, entry.NewPath!), mutation, ct).ConfigureAwait(false));
                case OutboxKind.Rename:
                    return await RenameAsync(entry, session, mutation, ct).ConfigureAwait(false);

                case OutboxKind.Remove:
                    return await RemoveAsync(entry, mutation, ct).ConfigureAwait(false);
                case OutboxKind.SetAttributes:
                {
                    if (!volume.GetAttributes(entry.NodeId).TryGet(out var node))
                        return Complete(entry, null);
                    var request = new SetAttributesRequest(entry.Path)
                    {
                        Mode = node.Mode,
                        Uid = node.Uid,
                        Gid = node.Gid,
                        AccessTimeNs = node.AccessTime.Nanoseconds,
                        ModifyTimeNs = node.ModifyTime.Nanoseconds,
                        WindowsAttributes = node.WindowsAttributes,
                    };
                    return CompleteAndCatchUp(entry, await client.SetAttributesAsync(request, mutation, ct).ConfigureAwait(false));
                }

                case OutboxKind.SetXattr:
                {
                    if (!volume.GetXattr(entry.NodeId, entry.Name!).TryGet(out var value))
                        return Complete(entry, null); // removed since; a RemoveXattr entry follows
                    return CompleteAndCatchUp(entry, await client.SetXattrAsync(new SetXattrRequest(entry.Path, entry.Name!, value), mutation, ct).ConfigureAwait(false));
                }

                case OutboxKind.RemoveXattr:
                    return CompleteAndCatchUp(entry, await client.RemoveXattrAsync(new RemoveXattrRequest(entry.Path, entry.Name!), mutation, ct).ConfigureAwait(false));
                default:
                    log.Error("Unknown outbox entry {Kind} for /{Path}; dropped", entry.Kind, entry.Path);
                    return Complete(entry, null);
            }
        }
        catch (OriginException e) when (e.Code == ErrorCode.SessionExpired)
        {
            return false;
        }
        catch (OriginException e) when (e.Code == ErrorCode.Exists && entry.Kind is OutboxKind.MakeDirectory or OutboxKind.MakeNode)
        {
            // Made by an earlier attempt whose answer was lost (a crash between the origin's answer and our journal), or by
            // someone else. A directory, symlink or special node of the same kind is adopted (directories merge). A file
            // is adopted if it is empty (nothing of anyone's can be lost by our upload over it; our writes since moved our
            // mtime) or holds what our upload there made before the answer was lost (our mtime and size). Else it is
            // someone else's, and adopting its version would let our upload overwrite it; unadopted, our bytes go up
            // under a conflict name and theirs keep the name.
            var existing = await client.GetNodeAsync(entry.Path, ct).ConfigureAwait(false);
            var local = volume.GetAttributes(entry.NodeId);
            var same = local.IsOk && (int)local.Value.Kind == (int)existing.Kind;
            var ours = same && (existing.Size == 0 || (existing.ModifyTimeNs == NewAttributes(local).ModifyTimeNs && existing.Size == local.Value.Size));
            if (same && existing.Kind == RemoteKind.File && !ours)
                return await MakeBesideAsync(entry, existing, mutation, ct).ConfigureAwait(false);

            if (!same)
                log.Warning("/{Path} exists on the origin as another kind of node; the local one is not uploaded", entry.Path);
            return Complete(entry, same ? existing : null);
        }
        catch (OriginException e) when (e.Code == ErrorCode.LeaseConflict)
        {
            log.Information("/{Path} is leased by {Holder}; the change waits", entry.Path, e.Problem.Holder ?? "another client");
            return false;
        }
        catch (OriginException e)
        {
            log.Warning("The origin refused {Kind} of /{Path}: {Reason}; the change is dropped from the outbox", entry.Kind, entry.Path, e.Problem.Message);
            return Complete(entry, null);
        }
    }

    /// <summary>
    /// Our new file's name was taken on the origin by someone else's file: ours is made beside it under a conflict name,
    /// its queued changes that name it by the taken name follow it there (its upload, and a rename from there, so it
    /// never moves their file), and theirs appears here under the name if ours is no longer there.
    /// </summary>
    private async Task<bool> MakeBesideAsync(OutboxEntry entry, NodeInfo theirs, Mutation mutation, CancellationToken ct)
    {
        var (conflictPath, made) = await BesideAsync(entry.Path, path => client.MakeNodeAsync(NewNodeRequest(entry, path), mutation, ct)).ConfigureAwait(false);
        log.Warning("/{Path} was created on the origin too; the file made here goes up beside it as /{ConflictPath}", entry.Path, conflictPath);
        if (volume.CompleteOutbox(entry, made.Id, RemoteNodes.VersionText(made.ContentVersion), movedAside: (entry.Path, conflictPath)) != FsStatus.Ok)
            return false;
        if (volume.PathOf(entry.NodeId) == entry.Path)
            volume.FollowOwnRename(entry.Path, conflictPath);
        volume.RecordConflict(entry.Path, ConflictKind.CreatedBoth, conflictPath, "created here and on the origin");
        if (volume.ApplyRemoteNode(entry.Path, RemoteNodes.From(theirs)) == FsStatus.Busy)
            Relist(OriginPath.Parent(entry.Path));
        return true;
    }

    /// <summary>
    /// Runs <paramref name="make"/> at a free conflict name for <paramref name="path"/>: the next one when the origin has
    /// that name already (two clashes of one file within a second).
    /// </summary>
    private async Task<(string Path, NodeInfo Node)> BesideAsync(string path, Func<string, Task<NodeInfo>> make)
    {
        var when = time.GetUtcNow();
        for (var attempt = 1; ; attempt++)
        {
            var candidate = ConflictNames.For(path, options.ClientName, when, attempt);
            try
            {
                return (candidate, await make(candidate).ConfigureAwait(false));
            }
            catch (OriginException e) when (e.Code == ErrorCode.Exists && attempt < 100)
            {
                // Taken: the next number.
            }
        }
    }

    /// <summary>What the origin needs to make the local node of <paramref name="entry"/> at <paramref name="path"/>.</summary>
    private MakeNodeRequest NewNodeRequest(OutboxEntry entry, string path)
    {
        var node = volume.GetAttributes(entry.NodeId);
        var kind = node.IsOk ? node.Value.Kind : NodeKind.File;
        return new MakeNodeRequest(path, RemoteNodes.KindOf(kind), NewAttributes(node))
        {
            Target = kind == NodeKind.Symlink && volume.ReadLink(entry.NodeId).TryGet(out var target) ? target : null,
            DeviceNumber = node.IsOk ? node.Value.DeviceNumber : 0,
        };
    }

    /// <summary>
    /// A rename, after which the node catches up with the origin (it may have changed there while the rename waited, and
    /// that change was not applied over a queued rename). Clashes: a name taken there meanwhile keeps theirs and ours
    /// goes beside it under a conflict name; a node renamed or deleted there first keeps the origin's rename (the first
    /// to reach the origin stands), ours is dropped and recorded, and both directories are listed again to follow it.
    /// </summary>
    private async Task<bool> RenameAsync(OutboxEntry entry, SessionInfo session, Mutation mutation, CancellationToken ct)
    {
        var newPath = entry.NewPath!;
        var mode = (Protocol.RenameMode)entry.Flags;
        var originId = volume.GetAttributes(entry.NodeId).TryGet(out var local) && local.OriginId != 0 ? local.OriginId : (long?)null;
        if (originId is null && local is not null)
        {
            // Its create was not taken (another kind of node has the name there): whatever the origin has at the path is
            // not ours to move.
            log.Warning("/{Path} is not on the origin; its rename to /{NewPath} is not sent", entry.Path, newPath);
            return Complete(entry, null);
        }

        NodeInfo moved;
        try
        {
            var request = new RenameRequest(entry.Path, newPath, mode)
            {
                ExpectedId = originId,
                ExpectedTargetContentVersion = mode == Protocol.RenameMode.Replace ? RemoteNodes.VersionNumber(entry.BaseVersion) : null,
            };
            moved = await InParentAsync(newPath, session, () => client.RenameAsync(request, mutation, ct), ct).ConfigureAwait(false);
        }
        catch (OriginException e) when (e.Code == ErrorCode.Exists && mode == Protocol.RenameMode.NoReplace)
        {
            log.Warning("/{Path} was created on the origin while /{Old} was renamed to it here; ours is kept beside it", newPath, entry.Path);
            return await MoveAsideAsync(entry, originId, ConflictKind.CreatedBoth, e.Problem.Message, mutation, ct).ConfigureAwait(false);
        }
        catch (OriginException e) when (e.Code == ErrorCode.VersionMismatch && mode == Protocol.RenameMode.Replace)
        {
            // Renamed over here, changed there: like a delete of it, the replacement is dropped and theirs kept.
            log.Warning("/{Path} changed on the origin while /{Old} was renamed over it here; the origin's version keeps the name, ours is kept beside it", newPath, entry.Path);
            return await MoveAsideAsync(entry, originId, ConflictKind.DeletedHereEditedThere, $"replaced here by /{entry.Path}, changed on the origin ({e.Problem.Message})", mutation, ct).ConfigureAwait(false);
        }
        catch (OriginException e) when (e.Code == ErrorCode.NotFound)
        {
            log.Warning("/{Path} was renamed or deleted on the origin before its rename to /{NewPath} from here arrived; the origin's stands", entry.Path, newPath);
            Complete(entry, null);
            Relist(OriginPath.Parent(newPath));
            Relist(OriginPath.Parent(entry.Path));
            var theirs = originId is { } id ? (await client.NamesOfAsync(id, ct).ConfigureAwait(false)).Paths : [];
            foreach (var path in theirs)
                Relist(OriginPath.Parent(path)); // where the origin's rename took our node
            volume.RecordConflict(newPath, ConflictKind.RenamedBoth, theirs.Count > 0 ? theirs[0] : null, $"renamed here from /{entry.Path}, but renamed or deleted on the origin first ({e.Problem.Message})");
            return true;
        }

        return CompleteAndCatchUp(entry with { Path = newPath }, moved);
    }

    /// <summary>
    /// The name our rename meant to take holds someone else's node on the origin: ours takes a conflict name beside it
    /// there and here, the clash is recorded, and the origin's node appears here under the name.
    /// </summary>
    private async Task<bool> MoveAsideAsync(OutboxEntry entry, long? originId, ConflictKind kind, string detail, Mutation mutation, CancellationToken ct)
    {
        var newPath = entry.NewPath!;
        var (conflictPath, moved) = await BesideAsync(
            newPath,
            path => client.RenameAsync(new RenameRequest(entry.Path, path, Protocol.RenameMode.NoReplace) { ExpectedId = originId }, mutation, ct)).ConfigureAwait(false);
        log.Warning("/{Path} from here is kept as /{ConflictPath}", newPath, conflictPath);
        if (volume.CompleteOutbox(entry, moved.Id, movedAside: (newPath, conflictPath)) != FsStatus.Ok)
            return false;
        volume.FollowOwnRename(newPath, conflictPath);
        volume.RecordConflict(newPath, kind, conflictPath, detail);
        volume.ApplyRemoteNode(newPath, RemoteNodes.From(await client.GetNodeAsync(newPath, ct).ConfigureAwait(false)));
        return true;
    }

    private async Task<bool> ExistsAsync(string path, CancellationToken ct)
    {
        try
        {
            _ = await client.GetNodeAsync(path, ct).ConfigureAwait(false);
            return true;
        }
        catch (OriginException e) when (e.Code == ErrorCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>
    /// Asks for a directory the cache has listed to be listed again once the outbox is empty: a clash dropped one of our
    /// changes, so what is here and what the origin holds part there. Not before: queued changes still to be sent would
    /// make the origin's listing of the moment wrong for this cache.
    /// </summary>
    public void Relist(string directory)
    {
        lock (_relist)
        {
            if (_relist.Add(directory))
                SaveRelist();
        }
    }

    private static IEnumerable<string> LoadRelist(CacheVolume volume) =>
        volume.ReadSetting(RelistSetting) is { Length: > 0 } saved ? saved.Split('\n').Select(line => Uri.UnescapeDataString(line[1..])) : [];

    /// <summary>Called under the set's lock. One "/"-led escaped path per line: any name fits, the root is "/".</summary>
    private void SaveRelist()
    {
        if (volume.WriteSetting(RelistSetting, string.Join('\n', _relist.Select(path => "/" + Uri.EscapeDataString(path)))) != FsStatus.Ok)
            log.Warning("Could not record in the journal which directories to list again; a crash now would leave them as they are");
    }

    /// <summary>Lists again what <see cref="Relist"/> asked for; the outbox is empty.</summary>
    private async Task RelistAsync(CancellationToken ct)
    {
        while (true)
        {
            string directory;
            lock (_relist)
            {
                if (_relist.Count == 0)
                    return;
                directory = _relist.Min()!;
            }

            // Only over an empty outbox, and only if nothing of ours was queued while the origin answered; else the
            // directory stays asked for until the outbox is empty again.
            var queued = volume.OutboxLastQueued;
            if (volume.OutboxTail != 0)
                return;
            try
            {
                var applied = await order.RunAsync(
                    async () =>
                    {
                        var listing = await client.ListAsync(directory, ct).ConfigureAwait(false);
                        return volume.ApplyRelisting(directory, [.. listing.Entries.Select(e => (e.Name, RemoteNodes.From(e)))], queued);
                    },
                    ct).ConfigureAwait(false);
                if (applied == FsStatus.Busy)
                    return;
            }
            catch (OriginException e) when (e.Code == ErrorCode.NotFound)
            {
                Relist(OriginPath.Parent(directory)); // went too: its parent tells
            }

            lock (_relist)
            {
                _relist.Remove(directory);
                SaveRelist();
            }
        }
    }

    /// <summary>A new node whose directory was deleted on the origin meanwhile goes into that directory made again.</summary>
    private async Task<NodeInfo> InParentAsync(string path, SessionInfo session, Func<Task<NodeInfo>> make, CancellationToken ct)
    {
        try
        {
            return await make().ConfigureAwait(false);
        }
        catch (OriginException e) when (e.Code == ErrorCode.NotFound && path.Contains('/', StringComparison.Ordinal))
        {
            if (await ExistsAsync(OriginPath.Parent(path), ct).ConfigureAwait(false))
                throw; // not the directory: what the call itself names is missing
            await EnsureParentsAsync(path, session, ct).ConfigureAwait(false);
            return await make().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A removal takes away only the version it saw: if the file's bytes changed on the origin meanwhile (another
    /// client edited what was deleted here), theirs is kept, the removal dropped, and the file comes back here.
    /// </summary>
    private async Task<bool> RemoveAsync(OutboxEntry entry, Mutation mutation, CancellationToken ct)
    {
        var request = new RemoveRequest(entry.Path, entry.Flags == 1) { ExpectedContentVersion = RemoteNodes.VersionNumber(entry.BaseVersion) };
        try
        {
            await client.RemoveAsync(request, mutation, ct).ConfigureAwait(false);
        }
        catch (OriginException e) when (e.Code == ErrorCode.NotFound)
        {
            // Gone there too: nothing to settle.
        }
        catch (OriginException e) when (e.Code == ErrorCode.NotEmpty)
        {
            // Removed here with everything in it, but someone added to it there: theirs is kept, so the directory
            // comes back here with what the origin holds.
            log.Warning("/{Path} was removed here but holds new entries on the origin; it is kept and appears here again", entry.Path);
            Complete(entry, null);
            Relist(OriginPath.Parent(entry.Path));
            return true;
        }
        catch (OriginException e) when (e.Code == ErrorCode.VersionMismatch)
        {
            var theirs = await client.GetNodeAsync(entry.Path, ct).ConfigureAwait(false);
            log.Warning("/{Path} was deleted here but changed on the origin meanwhile; the origin's version is kept and appears here again", entry.Path);
            Complete(entry, null);
            volume.ApplyRemoteNode(entry.Path, RemoteNodes.From(theirs));
            volume.RecordConflict(entry.Path, ConflictKind.DeletedHereEditedThere, keptAs: null, $"deleted here, changed on the origin ({e.Problem.Message}): the origin's version is kept");
            return true;
        }

        return Complete(entry, null);
    }

    private async Task<bool> UploadAsync(OutboxEntry entry, SessionInfo session, CancellationToken ct)
    {
        if (!volume.GetAttributes(entry.NodeId).TryGet(out var node))
            return Complete(entry, null); // gone

        // An earlier upload already sent these bytes. A change event this queued upload held back (Busy) has asked for
        // the file's directory to be listed again once the outbox is empty (EventListener), so nothing is listed here.
        if (!node.Dirty)
            return Complete(entry, null);

        long? epoch = null;
        try
        {
            epoch = node.OriginId == 0 ? null : await leases.EpochForAsync(entry.NodeId, entry.Path, ct).ConfigureAwait(false);
        }
        catch (OriginException e) when (e.Code == ErrorCode.NotFound)
        {
            // Deleted on the origin while edited here: no lease to take; the upload below restores it.
        }

        var opened = await volume.OpenUploadAsync(entry.NodeId, ct).ConfigureAwait(false);
        if (!opened.TryGet(out var source))
        {
            log.Warning("Cannot read /{Path} for upload: {Status}", entry.Path, opened.Status);
            return opened.Status == FsStatus.NotFound ? Complete(entry, null) : false;
        }

        using (source)
        {
            try
            {
                var stored = await SendAsync(entry, source, new Mutation(session.SessionId, epoch), ct).ConfigureAwait(false);
                return volume.FinishUpload(source, entry, stored.Id, RemoteNodes.VersionText(stored.ContentVersion)) == FsStatus.Ok;
            }
            catch (OriginException e) when (e.Code == ErrorCode.NotFound || (e.Code == ErrorCode.StaleLease && epoch is null))
            {
                return await RestoreAsync(entry, source, session, ct).ConfigureAwait(false);
            }
            catch (OriginException e) when (e.Code is ErrorCode.VersionMismatch or ErrorCode.StaleLease or ErrorCode.Exists)
            {
                return await KeepAsConflictAsync(entry, source, session, e, ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Only the changed ranges when they were recorded against the version the origin should still have and are a small
    /// part of the file (a 412 then goes the clash path, which sends the whole file); otherwise the whole file.
    /// </summary>
    private async Task<NodeInfo> SendAsync(OutboxEntry entry, UploadSource source, Mutation mutation, CancellationToken ct)
    {
        if (source.BaseVersion.Length > 0 && source.Changes is { } changes && changes.Length * 2 < source.Size)
        {
            try
            {
                var patched = await client.PatchAsync(entry.Path, source, changes, source.BaseVersion, mutation, ct).ConfigureAwait(false);
                log.Debug("Uploaded /{Path}: {Changed} changed bytes in {Ranges} ranges of {Bytes}, version {Version}", entry.Path, changes.Length, changes.Count, source.Size, patched.ContentVersion);
                return patched;
            }
            catch (OriginException e) when (OriginClient.NoRangedUpload(e))
            {
                log.Information("The origin takes no ranged uploads ({Reason}); /{Path} goes up whole", e.Problem.Message, entry.Path);
            }
        }

        var stored = await client.UploadAsync(entry.Path, source, source.BaseVersion, mutation, ct).ConfigureAwait(false);
        log.Debug("Uploaded /{Path}: {Bytes} bytes, version {Version}", entry.Path, source.Size, stored.ContentVersion);
        return stored;
    }

    /// <summary>
    /// Edited here, deleted there (the file, or a directory holding it): ours is put back under its name, in directories
    /// made again where they went. Someone creating the name meanwhile makes it an ordinary clash.
    /// </summary>
    private async Task<bool> RestoreAsync(OutboxEntry entry, UploadSource source, SessionInfo session, CancellationToken ct)
    {
        await EnsureParentsAsync(entry.Path, session, ct).ConfigureAwait(false);
        NodeInfo stored;
        try
        {
            stored = await client.UploadAsync(entry.Path, source, baseVersion: "", new Mutation(session.SessionId), ct).ConfigureAwait(false);
        }
        catch (OriginException e) when (e.Code == ErrorCode.Exists)
        {
            return await KeepAsConflictAsync(entry, source, session, e, ct).ConfigureAwait(false);
        }

        log.Warning("/{Path} was deleted on the origin while it was edited here; the version from here is put back", entry.Path);
        volume.RecordConflict(entry.Path, ConflictKind.EditedHereDeletedThere, keptAs: null, "changed here, deleted on the origin: the version from here is restored");
        return volume.FinishUpload(source, entry, stored.Id, RemoteNodes.VersionText(stored.ContentVersion)) == FsStatus.Ok;
    }

    /// <summary>Makes every directory on the way to <paramref name="path"/> that the origin lost, with the local attributes.</summary>
    private async Task EnsureParentsAsync(string path, SessionInfo session, CancellationToken ct)
    {
        var parts = path.Split('/');
        for (var i = 1; i < parts.Length; i++)
        {
            var directory = string.Join('/', parts[..i]);
            try
            {
                _ = await client.GetNodeAsync(directory, ct).ConfigureAwait(false);
                continue;
            }
            catch (OriginException e) when (e.Code == ErrorCode.NotFound)
            {
                // Made below.
            }

            var local = volume.Resolve(directory);
            try
            {
                await client.MakeDirectoryAsync(new MakeDirectoryRequest(directory, NewAttributes(local)), new Mutation(session.SessionId), ct).ConfigureAwait(false);
                log.Warning("/{Directory} was deleted on the origin while it held changes from here; it is made again", directory);
                volume.RecordConflict(directory, ConflictKind.DirectoryRecreated, keptAs: null, "deleted on the origin while it held changes from here: made again");
                Relist(OriginPath.Parent(directory)); // this cache may have followed the deletion meanwhile: it comes back here too
            }
            catch (OriginException e) when (e.Code == ErrorCode.Exists)
            {
                // Made meanwhile.
            }
        }
    }

    /// <summary>
    /// The origin has a newer version than the one these bytes were based on (or our lease went stale): the origin keeps
    /// its version, ours goes up beside it under a conflict name, and the cache drops its copy of the original so the
    /// next read gets the origin's version.
    /// </summary>
    private async Task<bool> KeepAsConflictAsync(OutboxEntry entry, UploadSource source, SessionInfo session, OriginException clash, CancellationToken ct)
    {
        var (conflictPath, copy) = await BesideAsync(entry.Path, path => client.UploadAsync(path, source, baseVersion: "", new Mutation(session.SessionId), ct)).ConfigureAwait(false);
        log.Warning(
            "/{Path} changed on the origin while it was edited here ({Reason}); the local version is kept as /{ConflictPath}",
            entry.Path,
            clash.Problem.Message,
            conflictPath);
        volume.FinishUpload(source, entry, source.OriginId, source.BaseVersion);
        volume.RecordConflict(entry.Path, clash.Code == ErrorCode.Exists ? ConflictKind.CreatedBoth : ConflictKind.EditedBoth, conflictPath, clash.Problem.Message);
        await leases.SettledAsync(entry.NodeId, force: true, ct).ConfigureAwait(false);
        volume.ApplyRemoteNode(conflictPath, RemoteNodes.From(copy));
        try
        {
            if (volume.ApplyRemoteNode(entry.Path, RemoteNodes.From(await client.GetNodeAsync(entry.Path, ct).ConfigureAwait(false))) == FsStatus.Busy)
                Relist(OriginPath.Parent(entry.Path)); // more of ours is queued for it: the origin's version takes the name afterwards
        }
        catch (OriginException e) when (e.Code == ErrorCode.NotFound)
        {
            volume.ApplyRemoteRemoval(entry.Path);
        }

        return true;
    }

    /// <summary>
    /// Completes a change that leaves the node's content alone, then catches the node up with the origin's answer: a change
    /// made there while ours waited was not applied over it, and once nothing of the node is queued it may be.
    /// </summary>
    private bool CompleteAndCatchUp(OutboxEntry entry, NodeInfo result)
    {
        if (!Complete(entry, result))
            return false;

        // Only a file whose bytes moved there: our own attribute change coming back must not touch the times and size
        // programs here just set and look at (tar compares a directory's stat before and after reading it).
        if (result.Kind == RemoteKind.File && volume.GetAttributes(entry.NodeId).TryGet(out var local)
            && local.OriginVersion != RemoteNodes.VersionText(result.ContentVersion))
            volume.ApplyRemoteUpdate(entry.Path, RemoteNodes.From(result));
        return true;
    }

    private bool Complete(OutboxEntry entry, NodeInfo? result)
    {
        var status = volume.CompleteOutbox(entry, result?.Id ?? 0, result is null ? null : RemoteNodes.VersionText(result.ContentVersion));
        return status == FsStatus.Ok;
    }

    /// <summary>What a new node starts with on the origin: the local node's mode, owner and times, if it still exists.</summary>
    private static NewNodeAttributes NewAttributes(FsResult<NodeAttributes> local) =>
        local.TryGet(out var node)
            ? new NewNodeAttributes
            {
                Mode = node.Mode,
                Uid = node.Uid,
                Gid = node.Gid,
                ModifyTimeNs = node.ModifyTime.Nanoseconds,
                WindowsAttributes = node.WindowsAttributes,
            }
            : new NewNodeAttributes { Mode = Convert.ToUInt32("644", 8) };
}
