using CacheFs.Journal;
using CacheFs.Nodes;

namespace CacheFs.Volume;

/// <summary>What happens to a node when one of its names goes away (unlink, rmdir, rename over it).</summary>
public sealed partial class CacheVolume
{
    // Guarded by _liveLock. Nodes whose removal is inside an uncommitted transaction: an open racing the removal must
    // not bring them back to life from the last committed row.
    private readonly HashSet<long> _dying = [];
    private readonly List<long> _objectsToDelete = [];

    /// <summary>
    /// Inside a namespace transaction: one name of <paramref name="node"/> is gone. A file that still has names keeps its
    /// row; one that is open stays as an unlinked row (readable until its last handle closes); otherwise it is removed
    /// and its content object deleted once the transaction commits.
    /// </summary>
    internal void DropLinkInTransaction(JournalWriter w, NodeAttributes node, Timestamp now)
    {
        if (node.IsDirectory)
        {
            w.DeleteNode(node.Id);
            return;
        }

        if (node.LinkCount > 1)
        {
            w.UpdateNode(node with { LinkCount = node.LinkCount - 1, ChangeTime = now });
            return;
        }

        lock (_liveLock)
        {
            if (_live.TryGetValue(node.Id, out var file))
            {
                file.Unlinked = true;
                w.UpdateNode(node with { LinkCount = 0, ChangeTime = now });
                return;
            }

            _dying.Add(node.Id);
        }

        w.DeleteNode(node.Id);
        if (node.Kind == NodeKind.File)
            _objectsToDelete.Add(node.Id);
    }

    /// <summary>After a namespace transaction: delete the content of removed nodes if it committed, forget them either way.</summary>
    private void FinishDrops(bool committed)
    {
        if (committed)
        {
            foreach (var id in _objectsToDelete)
                DeleteObject(id);
        }

        _objectsToDelete.Clear();
        lock (_liveLock)
            _dying.Clear();
    }

    private void DeleteObject(long id)
    {
        try
        {
            _store.Delete(id);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The row is gone; recovery removes the object on the next open.
            _log.Warning(e, "Could not delete the content object of node {NodeId}", id);
        }
    }
}
