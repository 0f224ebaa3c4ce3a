using System.Buffers.Binary;
using System.Text;
using CacheFs.Tests.Conformance;
using Fsp;

namespace CacheFs.WinFsp.Tests.Conformance;

/// <summary>
/// Symlinks as a Windows program makes and reads them (CreateSymbolicLink: create, FSCTL_SET_REPARSE_POINT; readlink:
/// FSCTL_GET_REPARSE_POINT), and as WinFsp and the I/O manager follow them in a path.
/// </summary>
internal sealed partial class WinFspDriver
{
    private const uint ReparsePoint = 0x400;
    private const uint SymlinkTag = 0xA000_000C;
    private const uint RelativeFlag = 1;
    private const int MaxHops = 32; // WinFsp's ResolveReparsePoints gives up after as many.

    /// <summary>A relative target with Windows' separators, in both the substitute and print names, as CreateSymbolicLink writes it.</summary>
    public FsStatus Symlink(string target, string path)
    {
        var name = Name(path);
        var status = Follow(ref name, followLast: false);
        if (status != FsStatus.Ok)
            return status;
        status = StatusOf.Nt(fs.Create(name, NonDirectoryFile, WriteData | WriteAttributes | Delete, 0, null!, 0, out var file, out _, out _, out _));
        if (status != FsStatus.Ok)
            return status;
        var windows = Encoding.Unicode.GetBytes(target.Replace('/', '\\'));
        var data = new byte[20 + (2 * windows.Length)];
        BinaryPrimitives.WriteUInt32LittleEndian(data, SymlinkTag);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(4), (ushort)(data.Length - 8));
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(10), (ushort)windows.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(12), (ushort)windows.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(14), (ushort)windows.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(16), RelativeFlag);
        windows.CopyTo(data, 20);
        windows.CopyTo(data, 20 + windows.Length);

        status = StatusOf.Nt(fs.SetReparsePoint(file, file, name, data));
        if (status != FsStatus.Ok)
        {
            // CreateSymbolicLink deletes the file it made when the reparse point is refused.
            fs.SetDelete(file, file, name, true);
            CloseName(file, name, FileSystemBase.CleanupDelete);
            return status;
        }

        CloseName(file, name, 0);
        return FsStatus.Ok;
    }

    /// <summary>The substitute name of the link's reparse point, its separators turned back to '/'.</summary>
    public FsResult<string> ReadLink(string path)
    {
        var status = OpenName(path, ReadAttributes, 0, out var file, out var name);
        if (status != FsStatus.Ok)
            return status;
        byte[] data = null!;
        status = StatusOf.Nt(fs.GetReparsePoint(file, file, name, ref data));
        CloseName(file, name, 0);
        return status == FsStatus.Ok ? Substitute(data).Name.Replace('\\', '/') : status;
    }

    /// <summary>
    /// What WinFsp's ResolveReparsePoints and the I/O manager do with a name before the file system opens it: a symlink on
    /// the way (GetSecurityByName's STATUS_REPARSE, at the index it gives) or, when <paramref name="followLast"/>, as the
    /// last name is replaced by its target, until none is left. A target outside the volume cannot be followed here.
    /// </summary>
    private FsStatus Follow(ref string name, bool followLast)
    {
        for (var hops = 0; hops < MaxHops; hops++)
        {
            byte[] descriptor = null!;
            var status = fs.GetSecurityByName(name, out var attributes, ref descriptor);
            int end;
            if (status == FileSystemBase.STATUS_REPARSE)
                end = name.IndexOf('\\', (int)attributes) is var slash and >= 0 ? slash : name.Length;
            else if (status == FileSystemBase.STATUS_SUCCESS && followLast && (attributes & ReparsePoint) != 0)
                end = name.Length;
            else
                return FsStatus.Ok; // Nothing to follow: the open itself answers (not found included).

            byte[] data = null!;
            status = fs.GetReparsePointByName(name[..end], false, ref data);
            if (status != FileSystemBase.STATUS_SUCCESS)
                return StatusOf.Nt(status);
            var (target, relative) = Substitute(data);
            if (!relative)
                return FsStatus.NotFound;
            var parent = name[..name.LastIndexOf('\\', end - 1)];
            name = Normalize((target.StartsWith('\\') ? target : parent + "\\" + target) + name[end..]);
        }

        return FsStatus.IoError; // STATUS_REPARSE_POINT_NOT_RESOLVED: a loop.
    }

    private static (string Name, bool Relative) Substitute(byte[] data)
    {
        int offset = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(8)), length = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(10));
        return (Encoding.Unicode.GetString(data, 20 + offset, length), (BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(16)) & RelativeFlag) != 0);
    }

    /// <summary>"." and ".." resolved, as ResolveReparsePoints does in what it builds.</summary>
    private static string Normalize(string name)
    {
        var parts = new List<string>();
        foreach (var part in name.Split('\\', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == "..")
            {
                if (parts.Count > 0)
                    parts.RemoveAt(parts.Count - 1);
            }
            else if (part != ".")
            {
                parts.Add(part);
            }
        }

        return "\\" + string.Join('\\', parts);
    }
}
