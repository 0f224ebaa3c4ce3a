using CacheFs.Nodes;
using CacheFs.Volume;
using Fsp;
using FileInfo = Fsp.Interop.FileInfo;

namespace CacheFs.Hosts.WinFsp;

/// <summary>Names: look up, create, open, overwrite, rename, and the checks before a delete.</summary>
internal sealed partial class WinFspFileSystem
{
    private const uint FileDirectoryFile = 0x0000_0001;
    private const uint FileNonDirectoryFile = 0x0000_0040;
    private const uint FileWriteData = 0x0002;
    private const uint FileAppendData = 0x0004;

    /// <summary>
    /// The access check's question. A symlink before the last name answers STATUS_REPARSE with where that name starts,
    /// and WinFsp follows it (ResolveReparsePoints, through GetReparsePointByName); its .NET layer does not pass that
    /// index on, so the walk starts from the first name instead and ends the same. A symlink as the last name is
    /// followed or not by WinFsp, from its reparse-point attribute and the caller's FILE_OPEN_REPARSE_POINT.
    /// </summary>
    public override int GetSecurityByName(string FileName, out uint FileAttributes, ref byte[] SecurityDescriptor)
    {
        var status = ResolveOrReparse(FileName, out var node, out var reparseIndex);
        if (status == FileSystemBase.STATUS_REPARSE)
        {
            FileAttributes = reparseIndex;
            return status;
        }

        FileAttributes = status == NtStatus.Success ? FileInfoOf.Attributes(node) : 0;
        if (status == NtStatus.Success && SecurityDescriptor is not null)
            SecurityDescriptor = DefaultSecurity.Descriptor;
        return status;
    }

    public override int Create(
        string FileName,
        uint CreateOptions,
        uint GrantedAccess,
        uint FileAttributes,
        byte[] SecurityDescriptor,
        ulong AllocationSize,
        out object FileNode,
        out object FileDesc,
        out FileInfo FileInfo,
        out string NormalizedName) =>
        CreateEx(FileName, CreateOptions, GrantedAccess, FileAttributes, SecurityDescriptor, AllocationSize, IntPtr.Zero, 0, false, out FileNode, out FileDesc, out FileInfo, out NormalizedName);

    /// <summary>A new file or directory, with the EAs NtCreateFile gave (checked before anything is made).</summary>
    public override int CreateEx(
        string FileName,
        uint CreateOptions,
        uint GrantedAccess,
        uint FileAttributes,
        byte[] SecurityDescriptor,
        ulong AllocationSize,
        IntPtr ExtraBuffer,
        uint ExtraLength,
        bool ExtraBufferIsReparsePoint,
        out object FileNode,
        out object FileDesc,
        out FileInfo FileInfo,
        out string NormalizedName)
    {
        FileNode = FileDesc = null!;
        FileInfo = default;
        NormalizedName = null!;
        if (ExtraBufferIsReparsePoint)
            return FileSystemBase.STATUS_INVALID_PARAMETER; // Only with WslFeatures, which are off.
        var eas = ReadEas(ExtraBuffer, ExtraLength, out var status);
        if (eas is null)
            return status;
        status = ResolveParent(FileName, out var parent, out var name);
        if (status != NtStatus.Success)
            return status == NtStatus.AccessDenied ? NtStatus.NameCollision : status; // Creating the root: it exists.
        var opened = (CreateOptions & FileDirectoryFile) != 0
            ? CreateDirectory(parent, name)
            : _volume.Create(parent, name, _fileOwner, FlagsOf(GrantedAccess), exclusive: true);
        if (!opened.TryGet(out var open))
            return NtStatus.Of(opened.Status);
        var file = new WinFspFile(open.Handle, open.Attributes.Id, open.Attributes.IsDirectory);
        status = SetUpNew(file, FileAttributes, AllocationSize, eas);
        if (status != NtStatus.Success)
        {
            // Windows never sees the handle, so it is closed here; the name stays, as a half-made NTFS create leaves it.
            _ = _volume.Release(file.Handle);
            return status;
        }

        FileNode = FileDesc = file;
        NormalizedName = Spelling(file.NodeId)!;
        return Info(file, out FileInfo);
    }

    public override int Open(
        string FileName,
        uint CreateOptions,
        uint GrantedAccess,
        out object FileNode,
        out object FileDesc,
        out FileInfo FileInfo,
        out string NormalizedName)
    {
        FileNode = FileDesc = null!;
        FileInfo = default;
        NormalizedName = null!;
        var status = Resolve(FileName, out var node);
        if (status != NtStatus.Success)
            return status;

        // The kind the caller insists on (RemoveDirectory opens with FILE_DIRECTORY_FILE, DeleteFile with the other).
        if ((CreateOptions & FileNonDirectoryFile) != 0 && node.IsDirectory)
            return NtStatus.Of(FsStatus.IsDirectory);
        if ((CreateOptions & FileDirectoryFile) != 0 && !node.IsDirectory && node.Kind != NodeKind.Symlink)
            return NtStatus.Of(FsStatus.NotDirectory); // A Linux client's symlink may name a directory: rmdir may take it.

        // NTFS refuses to open a read-only file for writing; the core has no such rule (POSIX checks the mode instead).
        var flags = node.IsDirectory ? OpenFlags.Read : FlagsOf(GrantedAccess);
        if ((flags & OpenFlags.Write) != 0 && (node.WindowsAttributes & FileInfoOf.ReadOnly) != 0)
            return NtStatus.AccessDenied;
        if (node.Kind is not (NodeKind.File or NodeKind.Directory))
            return OpenWithoutData(node, flags, out FileNode, out FileDesc, out FileInfo, out NormalizedName);
        var opened = _volume.Open(node.Id, flags);
        if (!opened.TryGet(out var open))
            return NtStatus.Of(opened.Status);
        var file = new WinFspFile(open.Handle, node.Id, node.IsDirectory);
        FileNode = FileDesc = file;
        NormalizedName = Spelling(node.Id)!;
        FileInfo = Describe(open.Attributes);
        return NtStatus.Success;
    }

    public override int Overwrite(
        object FileNode,
        object FileDesc,
        uint FileAttributes,
        bool ReplaceFileAttributes,
        ulong AllocationSize,
        out FileInfo FileInfo) =>
        OverwriteEx(FileNode, FileDesc, FileAttributes, ReplaceFileAttributes, AllocationSize, IntPtr.Zero, 0, out FileInfo);

    /// <summary>
    /// FILE_OVERWRITE(_IF) and FILE_SUPERSEDE of an open file: empty it, set (or add) the attributes given, and replace
    /// its EAs by those given (none: the EAs go), as NTFS and WinFsp's memfs do.
    /// </summary>
    public override int OverwriteEx(
        object FileNode,
        object FileDesc,
        uint FileAttributes,
        bool ReplaceFileAttributes,
        ulong AllocationSize,
        IntPtr Ea,
        uint EaLength,
        out FileInfo FileInfo)
    {
        FileInfo = default;
        var file = WinFspFile.Of(FileNode, FileDesc);
        var eas = ReadEas(Ea, EaLength, out var checkedEas);
        if (eas is null)
            return checkedEas;
        var node = _volume.GetAttributes(file.NodeId);
        if (!node.IsOk)
            return NtStatus.Of(node.Status);
        var given = FileInfoOf.Given(FileAttributes) ?? 0;
        var attributes = ReplaceFileAttributes ? given : node.Value.WindowsAttributes | given;
        var status = _volume.SetAttributes(file.NodeId, new AttributeChanges { Size = 0, WindowsAttributes = attributes }).Status;
        if (status == FsStatus.Ok && AllocationSize > 0)
            status = _volume.SetAllocationSize(file.Handle, (long)Math.Min(AllocationSize, long.MaxValue));
        if (status != FsStatus.Ok)
            return NtStatus.Of(status);
        var set = SetEas(file.NodeId, eas, replaceAll: true);
        return set == NtStatus.Success ? Info(file, out FileInfo) : set;
    }

    /// <summary>
    /// Asked before a delete is promised (FILE_DELETE_ON_CLOSE, FileDispositionInformation): the delete itself happens in
    /// Cleanup, which cannot fail, so every refusal Windows should show is given here.
    /// </summary>
    public override int CanDelete(object FileNode, object FileDesc, string FileName)
    {
        var file = WinFspFile.Of(FileNode, FileDesc);
        var node = _volume.GetAttributes(file.NodeId);
        if (!node.IsOk)
            return NtStatus.Of(node.Status);
        if ((node.Value.WindowsAttributes & FileInfoOf.ReadOnly) != 0)
            return NtStatus.CannotDelete;
        if (node.Value.IsDirectory)
        {
            var first = _volume.ReadDirectory(file.NodeId, 0, 1);
            if (!first.IsOk)
                return NtStatus.Of(first.Status);
            return first.Value.Count == 0 ? NtStatus.Success : NtStatus.DirectoryNotEmpty;
        }

        // Another client holding the file's write lease refuses the delete now, while Windows can still report it.
        if (node.Value.OriginId != 0 && _volume.Leases is { } leases)
            return NtStatus.Of(leases.AcquireForRemoval(file.NodeId));
        return NtStatus.Success;
    }

    /// <summary>Setting the delete disposition asks <see cref="CanDelete"/>; clearing it always works (WinFsp's rule).</summary>
    public override int SetDelete(object FileNode, object FileDesc, string FileName, bool DeleteFile) =>
        DeleteFile ? CanDelete(FileNode, FileDesc, FileName) : NtStatus.Success;

    public override int Rename(object FileNode, object FileDesc, string FileName, string NewFileName, bool ReplaceIfExists)
    {
        var file = WinFspFile.Of(FileNode, FileDesc);
        var status = ResolveParent(FileName, out var parent, out var name);
        if (status != NtStatus.Success)
            return status;
        status = ResolveParent(NewFileName, out var newParent, out var newName);
        if (status != NtStatus.Success)
            return status;
        if (ReplaceIfExists)
        {
            // NTFS replaces files only, never a directory nor a read-only file (POSIX would replace an empty directory).
            var target = _volume.Lookup(newParent, newName);
            if (target.IsOk && target.Value.Id != file.NodeId &&
                (target.Value.IsDirectory || (target.Value.WindowsAttributes & FileInfoOf.ReadOnly) != 0))
                return NtStatus.AccessDenied;
        }

        return NtStatus.Of(_volume.Rename(parent, name, newParent, newName, ReplaceIfExists ? RenameMode.Replace : RenameMode.NoReplace));
    }

    /// <summary>
    /// The core handle's mode from the access Windows granted: a write handle takes the origin's write lease, so only a
    /// handle that may change the content is one. FILE_APPEND_DATA without FILE_WRITE_DATA writes only at the end.
    /// </summary>
    private static OpenFlags FlagsOf(uint grantedAccess)
    {
        var flags = OpenFlags.Read; // Attribute-only opens read nothing, but a read handle costs the core nothing either.
        if ((grantedAccess & (FileWriteData | FileAppendData)) != 0)
            flags |= OpenFlags.Write;
        if ((grantedAccess & (FileWriteData | FileAppendData)) == FileAppendData)
            flags |= OpenFlags.Append;
        return flags;
    }

    /// <summary>
    /// A symlink (opened as itself, FILE_OPEN_REPARSE_POINT), fifo or device has no data Windows can read or write, but it
    /// can be listed, looked at, renamed and deleted, and a symlink's reparse point changed: it is opened without a core
    /// handle. Only a symlink may be opened for writing, which is how its reparse point is set.
    /// </summary>
    private int OpenWithoutData(NodeAttributes node, OpenFlags flags, out object fileNode, out object fileDesc, out FileInfo info, out string normalizedName)
    {
        fileNode = fileDesc = null!;
        info = default;
        normalizedName = null!;
        if ((flags & OpenFlags.Write) != 0 && node.Kind != NodeKind.Symlink)
            return NtStatus.AccessDenied;
        fileNode = fileDesc = new WinFspFile(WinFspFile.NoHandle, node.Id, isDirectory: false);
        normalizedName = Spelling(node.Id)!;
        info = Describe(node);
        return NtStatus.Success;
    }

    private FsResult<OpenResult> CreateDirectory(long parent, string name)
    {
        var made = _volume.MakeDirectory(parent, name, _directoryOwner);
        return made.IsOk ? _volume.Open(made.Value.Id, OpenFlags.Read) : made.Status;
    }

    /// <summary>The attributes, EAs and allocation a create asks for, on the node just made.</summary>
    private int SetUpNew(WinFspFile file, uint fileAttributes, ulong allocationSize, List<Ea> eas)
    {
        if (eas.Count > 0 && SetEas(file.NodeId, eas, replaceAll: false) is var status and not NtStatus.Success)
            return status;

        if (FileInfoOf.Given(fileAttributes) is { } attributes and not 0)
        {
            var set = _volume.SetAttributes(file.NodeId, new AttributeChanges { WindowsAttributes = attributes });
            if (!set.IsOk)
                return NtStatus.Of(set.Status);
        }

        if (allocationSize > 0 && !file.IsDirectory)
            return NtStatus.Of(_volume.SetAllocationSize(file.Handle, (long)Math.Min(allocationSize, long.MaxValue)));
        return NtStatus.Success;
    }
}
