using CacheFs.Volume;
using Fsp.Interop;

namespace CacheFs.Hosts.WinFsp;

/// <summary>
/// Another client's change (<see cref="VolumeChange"/>) as the notices WinFsp passes to Windows: directory-change
/// notifications for Explorer and other watchers, and the kernel dropping what it cached of the file (its FileInfo,
/// within FileInfoTimeout otherwise). Names are the stored spellings, as WinFsp requires (normalized names).
/// </summary>
internal static class ChangeNotices
{
    /// <param name="pathOf">The core's path of a node ("" for the root), or null when it has no name any more.</param>
    public static NotifyInfo[] Of(VolumeChange change, Func<long, string?> pathOf)
    {
        var notices = new List<NotifyInfo>(2);
        if (change.Name is { } name && pathOf(change.Parent) is { } parent)
        {
            notices.Add(new NotifyInfo
            {
                FileName = WinFspPath.FromCore(parent.Length == 0 ? name : parent + "/" + name),
                Action = change.NameRemoved ? NotifyAction.Removed : NotifyAction.Added,
                Filter = NotifyFilter.ChangeName,
            });
        }

        if (change.Node != 0 && !change.NameRemoved && pathOf(change.Node) is { Length: > 0 } path)
        {
            var filter = NotifyFilter.ChangeAttributes | NotifyFilter.ChangeLastWrite;
            notices.Add(new NotifyInfo
            {
                FileName = WinFspPath.FromCore(path),
                Action = NotifyAction.Modified,
                Filter = change.ContentChanged ? filter | NotifyFilter.ChangeSize : filter,
            });
        }

        return [.. notices];
    }
}
