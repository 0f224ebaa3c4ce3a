using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using CacheFs.Hosts.Fuse.Native;
using CacheFs.Nodes;
using CacheFs.Volume;

namespace CacheFs.Hosts.Fuse;

/// <summary>
/// opendir, readdir, readdirplus, releasedir, fsyncdir. Offsets handed to the kernel are the core's stable cookies shifted
/// by two: 1 and 2 are "." and "..", so a listing resumes exactly where it stopped even while names come and go.
/// </summary>
internal sealed unsafe partial class FuseHost
{
    private const long FirstCookieOffset = 2;
    private const int ListingPage = 64;

    /// <summary>The kernel asks for a page or a few; more than this is not worth filling in one answer.</summary>
    private const int MaxListingBuffer = 128 * 1024;

    /// <summary>FUSE_NAME_OFFSET_DIRENTPLUS: the smallest readdirplus entry, so a buffer holds at most size / this of them.</summary>
    private const int MinPlusEntry = 152;

    [UnmanagedCallersOnly]
    private static void OnOpendir(nint request, ulong inode, FuseFileInfo* fi)
    {
        try
        {
            Finish(request, Of(request).Opendir(request, inode, fi));
        }
        catch (Exception e)
        {
            Crashed(request, e);
        }
    }

    [UnmanagedCallersOnly]
    private static void OnReaddir(nint request, ulong inode, nuint size, long offset, FuseFileInfo* fi)
    {
        try
        {
            Finish(request, Of(request).Readdir(request, inode, size, offset, plus: false));
        }
        catch (Exception e)
        {
            Crashed(request, e);
        }
    }

    [UnmanagedCallersOnly]
    private static void OnReaddirplus(nint request, ulong inode, nuint size, long offset, FuseFileInfo* fi)
    {
        try
        {
            Finish(request, Of(request).Readdir(request, inode, size, offset, plus: true));
        }
        catch (Exception e)
        {
            Crashed(request, e);
        }
    }

    [UnmanagedCallersOnly]
    private static void OnReleasedir(nint request, ulong inode, FuseFileInfo* fi)
    {
        try
        {
            Finish(request, Errno.Of(Of(request)._volume.Release(fi->Handle)));
        }
        catch (Exception e)
        {
            Crashed(request, e);
        }
    }

    [UnmanagedCallersOnly]
    private static void OnFsyncdir(nint request, ulong inode, int dataOnly, FuseFileInfo* fi)
    {
        try
        {
            Finish(request, Errno.Of(Of(request)._volume.SyncVolume()));
        }
        catch (Exception e)
        {
            Crashed(request, e);
        }
    }

    private int Opendir(nint request, ulong inode, FuseFileInfo* fi)
    {
        var opened = _volume.Open((long)inode, OpenFlags.Read);
        if (!opened.TryGet(out var open))
            return Errno.Of(opened.Status);
        fi->Handle = open.Handle;
        if (LibFuse.ReplyOpen(request, fi) != 0)
            _volume.Release(open.Handle); // Interrupted: the kernel never saw the handle, so it never releases it.
        return Replied;
    }

    /// <summary>
    /// One answer of entries after <paramref name="offset"/>, as many as fit in <paramref name="size"/> bytes. For
    /// readdirplus the kernel takes a lookup of every entry in the answer but "." and "..", so each is counted (and given
    /// back if the answer does not reach it).
    /// </summary>
    private int Readdir(nint request, ulong inode, nuint size, long offset, bool plus)
    {
        var capacity = (int)Math.Min(size, MaxListingBuffer);
        var buffer = ArrayPool<byte>.Shared.Rent(capacity);
        var counted = plus ? ArrayPool<long>.Shared.Rent((capacity / MinPlusEntry) + 1) : [];
        try
        {
            fixed (byte* start = buffer)
            {
                var listing = new Listing(request, start, capacity, plus, counted);
                var status = FillListing(ref listing, (long)inode, offset);
                if (status != FsStatus.Ok)
                    return Errno.Of(status);
                foreach (var id in counted.AsSpan(0, listing.Counted))
                    _inodes.Looked(id);
                if (LibFuse.ReplyBuffer(request, start, (nuint)listing.Used) != 0)
                {
                    foreach (var id in counted.AsSpan(0, listing.Counted))
                        _inodes.Forget(id, 1);
                }

                return Replied;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (plus)
                ArrayPool<long>.Shared.Return(counted);
        }
    }

    private FsStatus FillListing(ref Listing listing, long directory, long offset)
    {
        if (offset < 1 && !listing.AddDot(".", directory, 1))
            return FsStatus.Ok;
        if (offset < 2)
        {
            var dir = _volume.GetAttributes(directory);
            if (!dir.IsOk)
                return dir.Status;
            if (!listing.AddDot("..", directory == NodeIds.Root ? NodeIds.Root : dir.Value.Parent, 2))
                return FsStatus.Ok;
        }

        var cookie = Math.Max(0, offset - FirstCookieOffset);
        while (true)
        {
            var page = _volume.ReadDirectory(directory, cookie, ListingPage);
            if (!page.IsOk)
                return listing.Used > 0 ? FsStatus.Ok : page.Status;
            foreach (var entry in page.Value)
            {
                if (!listing.Add(this, entry.Name, entry.Attributes, entry.Cookie + FirstCookieOffset))
                    return FsStatus.Ok; // Full; the kernel comes back with the last offset it took.
            }

            if (page.Value.Count < ListingPage)
                return FsStatus.Ok;
            cookie = page.Value[^1].Cookie;
        }
    }

    /// <summary>The answer being filled: fuse_add_direntry(_plus) entries in a buffer of the kernel's size.</summary>
    private ref struct Listing(nint request, byte* buffer, int capacity, bool plus, long[] counted)
    {
        public int Used { get; private set; }

        /// <summary>How many ids at the start of the counted array the kernel will take a lookup of.</summary>
        public int Counted { get; private set; }

        /// <summary>Adds an entry; false when it does not fit (and was not added).</summary>
        public bool Add(FuseHost host, string name, NodeAttributes node, long nextOffset)
        {
            FuseEntryParam entry;
            host.FillEntry(&entry, node);
            if (!Put(name, &entry, nextOffset))
                return false;
            if (plus)
                counted[Counted++] = node.Id;
            return true;
        }

        /// <summary>"." and "..": type and inode only; the kernel takes no lookup of them, even in readdirplus.</summary>
        public bool AddDot(string name, long inode, long nextOffset)
        {
            var entry = new FuseEntryParam { Attributes = new Stat { Inode = (ulong)inode, Mode = Posix.S_IFDIR } };
            return Put(name, &entry, nextOffset);
        }

        private bool Put(string name, FuseEntryParam* entry, long nextOffset)
        {
            Span<byte> utf8 = stackalloc byte[(4 * FuseName.MaxBytes) + 1];
            var length = Encoding.UTF8.GetBytes(name, utf8);
            utf8[length] = 0;
            var room = (nuint)(capacity - Used);
            nuint needed;
            fixed (byte* bytes = utf8)
            {
                needed = plus
                    ? LibFuse.AddDirectoryEntryPlus(request, buffer + Used, room, bytes, entry, nextOffset)
                    : LibFuse.AddDirectoryEntry(request, buffer + Used, room, bytes, &entry->Attributes, nextOffset);
            }

            if (needed > room)
                return false;
            Used += (int)needed;
            return true;
        }
    }
}
