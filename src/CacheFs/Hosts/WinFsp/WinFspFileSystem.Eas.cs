using CacheFs.Nodes;
using Fsp;
using FileInfo = Fsp.Interop.FileInfo;

namespace CacheFs.Hosts.WinFsp;

/// <summary>
/// Extended attributes (NtQueryEaFile, NtSetEaFile, the EA buffer of NtCreateFile), kept as the core's user.* xattrs
/// (<see cref="EaNames"/>). WinFsp's kernel driver asks for the whole list and itself picks entries by name or index and
/// upper-cases names; the host lists, validates and stores. An empty value deletes, and deleting a missing EA is no
/// error, as on NTFS. FILE_NEED_EA is accepted but not kept: xattrs have no flags, and all the flag does is refuse opens
/// by programs that declare FILE_NO_EA_KNOWLEDGE, which Win32 programs never do.
/// </summary>
internal sealed unsafe partial class WinFspFileSystem
{
    public override int GetEa(object FileNode, object FileDesc, IntPtr Ea, uint EaLength, out uint BytesTransferred)
    {
        BytesTransferred = 0;
        var eas = EasOf(WinFspFile.Of(FileNode, FileDesc).NodeId);
        if (!eas.IsOk)
            return NtStatus.Of(eas.Status);
        BytesTransferred = (uint)EaBuffer.Write(eas.Value, new Span<byte>((void*)Ea, (int)Math.Min(EaLength, int.MaxValue)));
        return NtStatus.Success;
    }

    public override int SetEa(object FileNode, object FileDesc, IntPtr Ea, uint EaLength, out FileInfo FileInfo)
    {
        FileInfo = default;
        var file = WinFspFile.Of(FileNode, FileDesc);
        var given = ReadEas(Ea, EaLength, out var status);
        if (given is not null)
            status = SetEas(file.NodeId, given, replaceAll: false);
        return status == NtStatus.Success ? Info(file, out FileInfo) : status;
    }

    /// <summary>An EA list from WinFsp, checked before anything is stored; null (and why) when it cannot be taken.</summary>
    private static List<Ea>? ReadEas(IntPtr buffer, uint length, out int status)
    {
        var eas = buffer == IntPtr.Zero ? [] : EaBuffer.Read(new ReadOnlySpan<byte>((void*)buffer, (int)Math.Min(length, int.MaxValue)));
        status = eas is null ? FileSystemBase.STATUS_EA_LIST_INCONSISTENT
            : eas.Exists(ea => !EaNames.IsValid(ea.Name)) ? FileSystemBase.STATUS_INVALID_EA_NAME
            : EaBuffer.ListSize(eas.Select(ea => (ea.Name.Length, ea.Value.Length))) > EaNames.MaxList ? FileSystemBase.STATUS_EA_TOO_LARGE
            : NtStatus.Success;
        return status == NtStatus.Success ? eas : null;
    }

    /// <summary>The EAs of a node as Windows sees them: its user.* xattrs that an EA can hold, one per name without case.</summary>
    private FsResult<List<Ea>> EasOf(long id)
    {
        var names = _volume.ListXattrs(id);
        if (!names.IsOk)
            return names.Status;
        var eas = new List<Ea>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names.Value)
        {
            // An empty value is no EA on Windows (it means "absent"), and one past 64 KiB - 1 does not fit an entry.
            if (EaNames.EaOf(name) is { } ea && _volume.GetXattr(id, name) is { IsOk: true, Value.Length: > 0 and <= EaNames.MaxValue } value && seen.Add(ea))
                eas.Add(new Ea(ea, value.Value));
        }

        return eas;
    }

    /// <summary>FileInfo.EaSize: what the node's EAs take, as NTFS counts it.</summary>
    private uint EaSize(long id) =>
        EasOf(id) is { IsOk: true } eas ? (uint)eas.Value.Sum(ea => EaBuffer.PackedSize(ea.Name.Length, ea.Value.Length)) : 0;

    /// <summary>
    /// Sets (or with an empty value removes) each EA given; <paramref name="replaceAll"/> (an overwrite) removes every
    /// other EA first. The set that would result is checked against what WinFsp can read back before anything changes.
    /// </summary>
    private int SetEas(long id, List<Ea> given, bool replaceAll)
    {
        var node = _volume.GetAttributes(id);
        if (!node.IsOk)
            return NtStatus.Of(node.Status);
        if (node.Value.Kind is not (NodeKind.File or NodeKind.Directory))
            return NtStatus.AccessDenied; // As Linux refuses user.* xattrs on symlinks and special files.
        var current = EasOf(id);
        var names = _volume.ListXattrs(id);
        if (!current.IsOk || !names.IsOk)
            return NtStatus.Of(current.IsOk ? names.Status : current.Status);

        var final = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var ea in given)
            final[EaNames.XattrOf(ea.Name)] = ea.Value;
        var after = replaceAll ? [] : current.Value.ToDictionary(ea => EaNames.XattrOf(ea.Name), ea => ea.Value.Length, StringComparer.Ordinal);
        foreach (var (name, value) in final)
        {
            if (value.Length == 0)
                after.Remove(name);
            else
                after[name] = value.Length;
        }

        if (EaBuffer.ListSize(after.Select(p => (p.Key.Length - EaNames.Prefix.Length, p.Value))) > EaNames.MaxList)
            return FileSystemBase.STATUS_EA_TOO_LARGE;

        // The same EA under another spelling (a Linux client's user.foo for FOO) goes, and with replaceAll every EA.
        foreach (var name in names.Value)
        {
            if (EaNames.EaOf(name) is { } ea && !final.ContainsKey(name) && (replaceAll || final.ContainsKey(EaNames.XattrOf(ea))))
            {
                var removed = _volume.RemoveXattr(id, name);
                if (removed is not (FsStatus.Ok or FsStatus.NoAttribute))
                    return NtStatus.Of(removed);
            }
        }

        foreach (var (name, value) in final)
        {
            var status = value.Length == 0 ? _volume.RemoveXattr(id, name) : _volume.SetXattr(id, name, value);
            if (status is not (FsStatus.Ok or FsStatus.NoAttribute))
                return NtStatus.Of(status);
        }

        return NtStatus.Success;
    }
}
