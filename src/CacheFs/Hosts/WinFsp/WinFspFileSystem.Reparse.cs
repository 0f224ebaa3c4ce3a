using CacheFs.Nodes;
using CacheFs.Volume;
using Fsp;

namespace CacheFs.Hosts.WinFsp;

/// <summary>
/// Symlinks as reparse points (<see cref="SymlinkReparse"/>). A core symlink reports IO_REPARSE_TAG_SYMLINK and its
/// target; WinFsp follows it itself (ResolveReparsePoints, by <see cref="GetReparsePointByName"/>). CreateSymbolicLink
/// creates an empty file or directory and then sets the reparse point on it: the host replaces that node by a core
/// symlink of the same name, so Linux clients see a symlink; deleting the reparse point turns it back into an empty
/// file or directory, as NTFS does. Only symlinks have a core counterpart: other tags (junctions, cloud files, WSL's)
/// are refused.
/// </summary>
internal sealed partial class WinFspFileSystem
{
    public override int GetReparsePointByName(string FileName, bool IsDirectory, ref byte[] ReparseData)
    {
        var status = Resolve(FileName, out var node);
        return status == NtStatus.Success ? ReparseDataOf(node, ref ReparseData) : status;
    }

    public override int GetReparsePoint(object FileNode, object FileDesc, string FileName, ref byte[] ReparseData)
    {
        var node = _volume.GetAttributes(WinFspFile.Of(FileNode, FileDesc).NodeId);
        return node.IsOk ? ReparseDataOf(node.Value, ref ReparseData) : NtStatus.Of(node.Status);
    }

    /// <summary>FSCTL_SET_REPARSE_POINT: an empty file or directory (or a symlink, whose target changes) becomes a symlink.</summary>
    public override int SetReparsePoint(object FileNode, object FileDesc, string FileName, byte[] ReparseData)
    {
        var file = WinFspFile.Of(FileNode, FileDesc);
        if (SymlinkReparse.TagOf(ReparseData) != SymlinkReparse.Tag)
            return NtStatus.Of(FsStatus.NotSupported);
        if (SymlinkReparse.TargetOf(ReparseData) is not { } target)
            return FileSystemBase.STATUS_IO_REPARSE_DATA_INVALID;
        if (System.Text.Encoding.UTF8.GetByteCount(target) > CacheVolume.MaxSymlinkTarget)
            return NtStatus.Of(FsStatus.NameTooLong);
        var status = NamedHere(file, FileName, out var node, out var parent, out var name);
        if (status != NtStatus.Success)
            return status;
        status = CanBecomeSymlink(node);
        if (status != NtStatus.Success)
            return status;

        var oldTarget = node.Kind == NodeKind.Symlink ? _volume.ReadLink(node.Id).Value : null;
        var removed = node.IsDirectory ? _volume.RemoveDirectory(parent, name) : _volume.Unlink(parent, name);
        if (removed != FsStatus.Ok)
            return NtStatus.Of(removed);
        var made = _volume.MakeSymlink(parent, name, target, _fileOwner);
        if (!made.IsOk)
        {
            Restore(parent, name, node.Kind, oldTarget);
            return NtStatus.Of(made.Status);
        }

        var directory = node.IsDirectory || (node.WindowsAttributes & FileInfoOf.Directory) != 0;
        KeepAttributes(made.Value.Id, (node.WindowsAttributes & FileInfoOf.Settable) | (directory ? FileInfoOf.Directory : 0));
        Swap(file, WinFspFile.NoHandle, made.Value.Id, isDirectory: false);
        return NtStatus.Success;
    }

    /// <summary>FSCTL_DELETE_REPARSE_POINT: the symlink becomes an empty file, or directory if Windows made it as one.</summary>
    public override int DeleteReparsePoint(object FileNode, object FileDesc, string FileName, byte[] ReparseData)
    {
        var file = WinFspFile.Of(FileNode, FileDesc);
        var status = NamedHere(file, FileName, out var node, out var parent, out var name);
        if (status != NtStatus.Success)
            return status;
        if (node.Kind != NodeKind.Symlink)
            return FileSystemBase.STATUS_NOT_A_REPARSE_POINT;
        if (SymlinkReparse.TagOf(ReparseData) != SymlinkReparse.Tag)
            return FileSystemBase.STATUS_IO_REPARSE_TAG_MISMATCH;

        var target = _volume.ReadLink(node.Id);
        if (!target.IsOk)
            return NtStatus.Of(target.Status);
        var removed = _volume.Unlink(parent, name);
        if (removed != FsStatus.Ok)
            return NtStatus.Of(removed);
        var directory = (node.WindowsAttributes & FileInfoOf.Directory) != 0;
        var made = directory ? CreateDirectory(parent, name) : _volume.Create(parent, name, _fileOwner, OpenFlags.Read, exclusive: true);
        if (!made.TryGet(out var open))
        {
            Restore(parent, name, NodeKind.Symlink, target.Value);
            return NtStatus.Of(made.Status);
        }

        KeepAttributes(open.Attributes.Id, node.WindowsAttributes & FileInfoOf.Settable);
        Swap(file, open.Handle, open.Attributes.Id, directory);
        return NtStatus.Success;
    }

    private int ReparseDataOf(NodeAttributes node, ref byte[] data)
    {
        if (node.Kind != NodeKind.Symlink)
            return FileSystemBase.STATUS_NOT_A_REPARSE_POINT;
        var target = _volume.ReadLink(node.Id);
        if (!target.IsOk)
            return NtStatus.Of(target.Status);
        data = SymlinkReparse.Of(target.Value);
        return NtStatus.Success;
    }

    /// <summary>A symlink replaces the node, so it must hold nothing that would be lost: no data, no names under it.</summary>
    private int CanBecomeSymlink(NodeAttributes node)
    {
        if (node.IsDirectory)
        {
            var first = _volume.ReadDirectory(node.Id, 0, 1);
            return !first.IsOk ? NtStatus.Of(first.Status) : first.Value.Count == 0 ? NtStatus.Success : NtStatus.DirectoryNotEmpty;
        }

        // NTFS keeps a file's data beside a reparse point; a core symlink has none to keep.
        return node.Kind == NodeKind.Symlink || (node.Kind == NodeKind.File && node.Size == 0) ? NtStatus.Success : NtStatus.Of(FsStatus.NotSupported);
    }

    /// <summary>The open's node, found under the name WinFsp gives (which follows renames); the name must still be this node's.</summary>
    private int NamedHere(WinFspFile file, string fileName, out NodeAttributes node, out long parent, out string name)
    {
        node = null!;
        var status = ResolveParent(fileName, out parent, out name);
        if (status != NtStatus.Success)
            return status;
        var named = _volume.Lookup(parent, name);
        if (!named.IsOk || named.Value.Id != file.NodeId)
            return NtStatus.Of(named.IsOk ? FsStatus.NotFound : named.Status);
        node = named.Value;
        return NtStatus.Success;
    }

    private void KeepAttributes(long id, uint attributes)
    {
        if (attributes != 0 && _volume.SetAttributes(id, new AttributeChanges { WindowsAttributes = attributes }) is { IsOk: false } failed)
            _log.Warning("Node {Id} lost its Windows attributes on becoming or ceasing to be a symlink: {Status}", id, failed.Status);
    }

    private void Swap(WinFspFile file, ulong handle, long nodeId, bool isDirectory)
    {
        if (file.Handle != WinFspFile.NoHandle && _volume.Release(file.Handle) is var released and not FsStatus.Ok)
            _log.Warning("Releasing {File} after it was replaced failed: {Status}", file, released);
        file.Become(handle, nodeId, isDirectory);
    }

    /// <summary>The replacement failed after the old node went: an empty one of its kind is put back (its data had none).</summary>
    private void Restore(long parent, string name, NodeKind kind, string? target)
    {
        var status = kind switch
        {
            NodeKind.Directory => _volume.MakeDirectory(parent, name, _directoryOwner).Status,
            NodeKind.Symlink => _volume.MakeSymlink(parent, name, target ?? "", _fileOwner).Status,
            _ => _volume.MakeNode(parent, name, NodeKind.File, _fileOwner).Status,
        };
        if (status != FsStatus.Ok)
            _log.Error("{Name} in directory {Parent} could not be put back after a failed reparse point change: {Status}", name, parent, status);
    }
}
