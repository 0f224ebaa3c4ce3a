using CacheFs.Nodes;
using FileInfo = Fsp.Interop.FileInfo;

namespace CacheFs.Hosts.WinFsp;

/// <summary>Open files: cleanup and close, writes, flush, information, times and attributes, sizes.</summary>
internal sealed unsafe partial class WinFspFileSystem
{
    /// <summary>
    /// A handle is closed (CloseHandle); other handles may still be open, and <see cref="Close"/> comes when the last
    /// reference goes. With PostCleanupWhenModifiedOnly, WinFsp calls this only when there is something to do: the
    /// delete promised by <see cref="CanDelete"/>, or the times and archive bit NTFS updates when a modified file is closed.
    /// CleanupSetAllocationSize needs nothing: the allocation reported follows the size (FileInfoOf.AllocationUnit).
    /// </summary>
    public override void Cleanup(object FileNode, object FileDesc, string FileName, uint Flags)
    {
        var file = WinFspFile.Of(FileNode, FileDesc);
        if ((Flags & CleanupDelete) != 0)
        {
            Delete(file, FileName);
            return;
        }

        if (CleanupChanges(file, Flags) is { } changes)
        {
            var set = _volume.SetAttributes(file.NodeId, changes);
            if (!set.IsOk)
                _log.Warning("Cleanup of {File} could not set its times: {Status}", file, set.Status);
        }
    }

    /// <summary>The last reference to an open is gone: the core handle goes (and an unlinked file's content with the last).</summary>
    public override void Close(object FileNode, object FileDesc)
    {
        var file = WinFspFile.Of(FileNode, FileDesc);
        if (file.Handle == WinFspFile.NoHandle)
            return;
        var status = _volume.Release(file.Handle);
        if (status != FsStatus.Ok)
            _log.Warning("Close of {File} failed: {Status}", file, status);
    }

    public override int Write(
        object FileNode,
        object FileDesc,
        IntPtr Buffer,
        ulong Offset,
        uint Length,
        bool WriteToEndOfFile,
        bool ConstrainedIo,
        out uint BytesTransferred,
        out FileInfo FileInfo)
    {
        BytesTransferred = 0;
        FileInfo = default;
        var file = WinFspFile.Of(FileNode, FileDesc);
        if (file.Handle == WinFspFile.NoHandle)
            return NtStatus.AccessDenied; // A symlink opened as itself (for its reparse point) has no data to write.
        if (Offset > long.MaxValue && !WriteToEndOfFile)
            return NtStatus.Of(FsStatus.FileTooLarge);
        var length = (int)Math.Min(Length, int.MaxValue);
        if (ConstrainedIo)
        {
            // Paging writes (the cache manager, memory-mapped files) never extend the file: only what lies below EOF.
            var node = _volume.GetAttributes(file.NodeId);
            if (!node.IsOk)
                return NtStatus.Of(node.Status);
            length = (int)Math.Clamp(node.Value.Size - (long)Offset, 0, length);
            if (length == 0)
                return Info(file, out FileInfo);
        }

        var written = _volume.Write(file.Handle, (long)Offset, new ReadOnlySpan<byte>((void*)Buffer, length), WriteToEndOfFile);
        if (!written.IsOk)
            return NtStatus.Of(written.Status);
        BytesTransferred = (uint)written.Value.Written;
        return Info(file, out FileInfo);
    }

    /// <summary>FlushFileBuffers: the file's data and metadata survive a crash. No file means the whole volume.</summary>
    public override int Flush(object FileNode, object FileDesc, out FileInfo FileInfo)
    {
        FileInfo = default;
        if (FileNode is null && FileDesc is null)
            return NtStatus.Of(_volume.SyncVolume());
        var file = WinFspFile.Of(FileNode, FileDesc);
        var status = _volume.Sync(file.Handle);
        return status == FsStatus.Ok ? Info(file, out FileInfo) : NtStatus.Of(status);
    }

    public override int GetFileInfo(object FileNode, object FileDesc, out FileInfo FileInfo) =>
        Info(WinFspFile.Of(FileNode, FileDesc), out FileInfo);

    /// <summary>SetFileInformationByHandle(FileBasicInfo): attributes and the four times; 0 leaves each as it is.</summary>
    public override int SetBasicInfo(
        object FileNode,
        object FileDesc,
        uint FileAttributes,
        ulong CreationTime,
        ulong LastAccessTime,
        ulong LastWriteTime,
        ulong ChangeTime,
        out FileInfo FileInfo)
    {
        FileInfo = default;
        var file = WinFspFile.Of(FileNode, FileDesc);
        var set = _volume.SetAttributes(file.NodeId, new AttributeChanges
        {
            WindowsAttributes = FileInfoOf.Given(FileAttributes),
            BirthTime = FileInfoOf.Given(CreationTime),
            AccessTime = FileInfoOf.Given(LastAccessTime),
            ModifyTime = FileInfoOf.Given(LastWriteTime),
            ChangeTime = FileInfoOf.Given(ChangeTime),
        });
        if (!set.IsOk)
            return NtStatus.Of(set.Status);
        FileInfo = Describe(set.Value);
        return NtStatus.Success;
    }

    /// <summary>
    /// End of file (SetEndOfFile: truncate or extend with zeros) or allocation size (a hint: shrinking below the end of
    /// file truncates, as NTFS does; growing reserves space in the cache without changing the size).
    /// </summary>
    public override int SetFileSize(object FileNode, object FileDesc, ulong NewSize, bool SetAllocationSize, out FileInfo FileInfo)
    {
        FileInfo = default;
        var file = WinFspFile.Of(FileNode, FileDesc);
        if (NewSize > long.MaxValue)
            return NtStatus.Of(FsStatus.FileTooLarge);
        var status = SetAllocationSize
            ? _volume.SetAllocationSize(file.Handle, (long)NewSize)
            : _volume.SetAttributes(file.NodeId, new AttributeChanges { Size = (long)NewSize }).Status;
        return status == FsStatus.Ok ? Info(file, out FileInfo) : NtStatus.Of(status);
    }

    /// <summary>
    /// The delete CanDelete allowed, by the name the open has now. The name is checked to still be this node's: cleanup
    /// cannot report a failure, so it must never remove something else.
    /// </summary>
    private void Delete(WinFspFile file, string fileName)
    {
        var status = ResolveParent(fileName, out var parent, out var name);
        var removed = FsStatus.NotFound;
        if (status == NtStatus.Success && _volume.Lookup(parent, name) is { IsOk: true } named && named.Value.Id == file.NodeId)
            removed = file.IsDirectory ? _volume.RemoveDirectory(parent, name) : _volume.Unlink(parent, name);
        if (removed == FsStatus.NotFound)
            _log.Debug("Delete on close of {FileName} ({File}): the name had gone already", fileName, file);
        else if (removed != FsStatus.Ok)
            _log.Warning("Delete on close of {FileName} ({File}) failed: {Status}", fileName, file, removed);
    }

    /// <summary>What NTFS updates when a modified handle is closed, unless the program set those times itself.</summary>
    private AttributeChanges? CleanupChanges(WinFspFile file, uint flags)
    {
        const uint timesAndArchive = CleanupSetArchiveBit | CleanupSetLastAccessTime | CleanupSetLastWriteTime | CleanupSetChangeTime;
        if ((flags & timesAndArchive) == 0)
            return null;
        var now = _volume.Now();
        uint? attributes = null;
        if ((flags & CleanupSetArchiveBit) != 0 && !file.IsDirectory)
        {
            var node = _volume.GetAttributes(file.NodeId);
            if (node.IsOk)
                attributes = node.Value.WindowsAttributes | FileInfoOf.Archive;
        }

        return new AttributeChanges
        {
            WindowsAttributes = attributes,
            AccessTime = (flags & CleanupSetLastAccessTime) != 0 ? now : null,
            ModifyTime = (flags & CleanupSetLastWriteTime) != 0 ? now : null,
            ChangeTime = (flags & CleanupSetChangeTime) != 0 ? now : null,
        };
    }
}
