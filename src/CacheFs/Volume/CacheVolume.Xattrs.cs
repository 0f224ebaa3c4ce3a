using System.Text;

namespace CacheFs.Volume;

/// <summary>Extended attributes, kept in the journal beside the node (the origin carries them to other platforms).</summary>
public sealed partial class CacheVolume
{
    /// <summary>Largest attribute name in UTF-8 bytes, as Linux's XATTR_NAME_MAX.</summary>
    public const int MaxXattrName = 255;

    /// <summary>Largest attribute value, as Linux's XATTR_SIZE_MAX.</summary>
    public const int MaxXattrValue = 64 * 1024;

    public FsResult<byte[]> GetXattr(long id, string name)
    {
        var status = CheckXattrName(name);
        if (status != FsStatus.Ok)
            return status;
        if (!GetAttributes(id).IsOk)
            return FsStatus.NotFound;
        return _journal.Read(s => s.GetXattr(id, name)) is { } value ? value : FsStatus.NoAttribute;
    }

    public FsResult<IReadOnlyList<string>> ListXattrs(long id)
    {
        if (!GetAttributes(id).IsOk)
            return FsStatus.NotFound;
        return _journal.Read(s => s.ListXattrs(id));
    }

    public FsStatus SetXattr(long id, string name, ReadOnlySpan<byte> value, XattrSetMode mode = XattrSetMode.CreateOrReplace)
    {
        var status = CheckXattrName(name);
        if (status != FsStatus.Ok)
            return status;
        if (value.Length > MaxXattrValue)
            return FsStatus.ValueTooLarge;
        var copy = value.ToArray();
        return ChangeXattrs(id, w =>
        {
            var exists = w.GetXattr(id, name) is not null;
            if (mode == XattrSetMode.CreateOnly && exists)
                return FsStatus.Exists;
            if (mode == XattrSetMode.ReplaceOnly && !exists)
                return FsStatus.NoAttribute;
            w.SetXattr(id, name, copy);
            Queue(w, Remote.OutboxKind.SetXattr, id, PathOf(w, id), name: name);
            return FsStatus.Ok;
        });
    }

    public FsStatus RemoveXattr(long id, string name)
    {
        var status = CheckXattrName(name);
        if (status != FsStatus.Ok)
            return status;
        return ChangeXattrs(id, w =>
        {
            if (!w.RemoveXattr(id, name))
                return FsStatus.NoAttribute;
            Queue(w, Remote.OutboxKind.RemoveXattr, id, PathOf(w, id), name: name);
            return FsStatus.Ok;
        });
    }

    /// <summary>One transaction: the change and the node's ctime, or nothing.</summary>
    private FsStatus ChangeXattrs(long id, Func<Journal.JournalWriter, FsStatus> change) =>
        Guard(() =>
        {
            var writer = _journal.BeginWrite();
            try
            {
                var node = writer.GetNode(id);
                if (node is null || (node.LinkCount == 0 && !_live.ContainsKey(id)))
                    return FsStatus.NotFound;
                var status = change(writer);
                if (status != FsStatus.Ok)
                    return status;
                writer.UpdateNode(node with { ChangeTime = Now() });
                writer.Commit();
                return FsStatus.Ok;
            }
            finally
            {
                writer.End();
            }
        });

    private static FsStatus CheckXattrName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('\0', StringComparison.Ordinal))
            return FsStatus.InvalidArgument;
        return Encoding.UTF8.GetByteCount(name) > MaxXattrName ? FsStatus.NameTooLong : FsStatus.Ok;
    }
}
