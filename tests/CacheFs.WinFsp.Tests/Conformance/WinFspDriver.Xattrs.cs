using CacheFs.Hosts.WinFsp;
using CacheFs.Volume;

namespace CacheFs.WinFsp.Tests.Conformance;

/// <summary>
/// xattrs as a Windows program reaches them: NtSetEaFile and NtQueryEaFile on an open handle, a user.* name being the EA
/// after the prefix (EaNames). Picking one EA out of the list by name, without case, is WinFsp's kernel driver's part.
/// </summary>
internal sealed unsafe partial class WinFspDriver
{
    private const uint ReadEa = 0x0008;
    private const uint WriteEa = 0x0010;

    public FsStatus SetXattr(string path, string name, ReadOnlySpan<byte> value, XattrSetMode mode = XattrSetMode.CreateOrReplace)
    {
        if (!name.StartsWith(EaNames.Prefix, StringComparison.Ordinal) || mode != XattrSetMode.CreateOrReplace)
            return FsStatus.NotSupported; // NtSetEaFile has neither other namespaces nor create-only or replace-only.
        return SetEa(path, new Ea(name[EaNames.Prefix.Length..], value.ToArray()));
    }

    public FsResult<byte[]> GetXattr(string path, string name)
    {
        if (!name.StartsWith(EaNames.Prefix, StringComparison.Ordinal))
            return FsStatus.NotSupported;
        var eas = QueryEas(path);
        if (!eas.IsOk)
            return eas.Status;
        return eas.Value.Find(ea => string.Equals(ea.Name, name[EaNames.Prefix.Length..], StringComparison.OrdinalIgnoreCase)) is { } found
            ? found.Value
            : FsStatus.NoAttribute;
    }

    public FsResult<IReadOnlyList<string>> ListXattrs(string path)
    {
        var eas = QueryEas(path);
        return eas.IsOk ? eas.Value.Select(ea => EaNames.Prefix + ea.Name).ToList() : eas.Status;
    }

    /// <summary>An empty value deletes the EA (and deleting a missing one is no error, as on NTFS).</summary>
    public FsStatus RemoveXattr(string path, string name) =>
        name.StartsWith(EaNames.Prefix, StringComparison.Ordinal) ? SetEa(path, new Ea(name[EaNames.Prefix.Length..], [])) : FsStatus.NotSupported;

    private FsStatus SetEa(string path, Ea ea)
    {
        var buffer = new byte[((8 + ea.Name.Length + 1 + ea.Value.Length) + 3) & ~3];
        var length = EaBuffer.Write([ea], buffer);
        return WithOpen(path, WriteEa, 0, (file, name) =>
        {
            fixed (byte* bytes = buffer)
                return (StatusOf.Nt(fs.SetEa(file, file, (nint)bytes, (uint)length, out _)), 0u);
        });
    }

    private FsResult<List<Ea>> QueryEas(string path)
    {
        var status = OpenName(path, ReadEa, 0, out var file, out var name);
        if (status != FsStatus.Ok)
            return status;
        var reply = new byte[16 * 1024];
        uint transferred;
        fixed (byte* bytes = reply)
            status = StatusOf.Nt(fs.GetEa(file, file, (nint)bytes, (uint)reply.Length, out transferred));
        CloseName(file, name, 0);
        return status == FsStatus.Ok ? EaBuffer.Read(reply.AsSpan(0, (int)transferred))! : status;
    }
}
