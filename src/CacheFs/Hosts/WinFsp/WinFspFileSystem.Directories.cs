using CacheFs.Nodes;
using FileInfo = Fsp.Interop.FileInfo;

namespace CacheFs.Hosts.WinFsp;

/// <summary>
/// Directory listings. WinFsp asks again with the last name it got (the marker) until a call returns nothing;
/// FileSystemBase.SeekableReadDirectory packs what <see cref="ReadDirectoryEntry"/> yields into its buffer. Each open
/// keeps the listing it started (<see cref="DirectorySnapshot"/>) and takes a new one when a query starts over.
/// </summary>
internal sealed partial class WinFspFileSystem
{
    public override int ReadDirectory(
        object FileNode,
        object FileDesc,
        string Pattern,
        string Marker,
        IntPtr Buffer,
        uint Length,
        out uint BytesTransferred)
    {
        BytesTransferred = 0;
        var status = PrepareListing(WinFspFile.Of(FileNode, FileDesc), Marker);
        return status != NtStatus.Success
            ? status
            : SeekableReadDirectory(FileNode, FileDesc, Pattern, Marker, Buffer, Length, out BytesTransferred);
    }

    /// <summary>The next entry after <paramref name="Marker"/> (null: from the start) that matches <paramref name="Pattern"/>.</summary>
    public override bool ReadDirectoryEntry(
        object FileNode,
        object FileDesc,
        string Pattern,
        string Marker,
        ref object Context,
        out string FileName,
        out FileInfo FileInfo)
    {
        FileName = null!;
        FileInfo = default;
        var file = WinFspFile.Of(FileNode, FileDesc);
        if (Context is not ListingCursor cursor)
        {
            // A query from the start lists anew, unless ReadDirectory has just done so for this very call.
            if ((file.Listing is null || (Marker is null && !file.ListingFresh)) && PrepareListing(file, Marker) != NtStatus.Success)
                return false;
            file.ListingFresh = false;
            cursor = new ListingCursor(file.Listing!, file.Listing!.IndexAfter(Marker));
            Context = cursor;
        }

        var all = WildcardPattern.IsAll(Pattern);
        while (cursor.Next < cursor.Listing.Count)
        {
            var (name, info) = cursor.Listing[cursor.Next++];
            if (all || WildcardPattern.Matches(name, Pattern, ignoreCase: !_volume.Options.CaseSensitive))
            {
                FileName = name;
                FileInfo = info;
                return true;
            }
        }

        return false;
    }

    /// <summary>A query from the start (no marker) lists the directory anew; one that resumes keeps the listing it began.</summary>
    private int PrepareListing(WinFspFile file, string? marker)
    {
        if (!file.IsDirectory)
            return NtStatus.Of(FsStatus.NotDirectory);
        if (marker is not null && file.Listing is not null)
            return NtStatus.Success;
        var self = _volume.GetAttributes(file.NodeId);
        if (!self.IsOk)
            return NtStatus.Of(self.Status);
        FileInfo? parent = null;
        if (file.NodeId != NodeIds.Root)
        {
            var above = _volume.GetAttributes(self.Value.Parent);
            parent = FileInfoOf.Node(above.IsOk ? above.Value : self.Value);
        }

        var listing = DirectorySnapshot.Take(_volume, file.NodeId, FileInfoOf.Node(self.Value), parent, _nameOrder);
        if (!listing.IsOk)
            return NtStatus.Of(listing.Status);
        file.Listing = listing.Value;
        file.ListingFresh = true;
        return NtStatus.Success;
    }

    /// <summary>Where one ReadDirectory call is in the listing.</summary>
    private sealed class ListingCursor(DirectorySnapshot listing, int next)
    {
        public DirectorySnapshot Listing { get; } = listing;

        public int Next { get; set; } = next;
    }
}
