using System.Runtime.InteropServices;
using System.Text;
using CacheFs.Hosts.Fuse.Native;
using CacheFs.Nodes;
using CacheFs.Volume;

namespace CacheFs.Hosts.Fuse;

/// <summary>
/// opendir, readdir, releasedir, fsyncdir. Offsets handed to the kernel are the core's stable cookies shifted by two:
/// 1 and 2 are "." and "..", so a listing resumes exactly where it stopped even while names come and go.
/// </summary>
internal sealed unsafe partial class FuseHost
{
    private const long FirstCookieOffset = 2;
    private const int ListingPage = 64;

    [UnmanagedCallersOnly]
    private static int OnOpendir(byte* path, FuseFileInfo* fi)
    {
        try
        {
            return Current.Opendir(path, fi);
        }
        catch (Exception e)
        {
            return Crashed(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int OnReaddir(byte* path, void* buffer, delegate* unmanaged<void*, byte*, Stat*, long, int, int> filler, long offset, FuseFileInfo* fi, int flags)
    {
        try
        {
            return Current.Readdir(path, new DirectoryFiller(buffer, filler, (flags & FuseFlags.FUSE_READDIR_PLUS) != 0), offset, fi);
        }
        catch (Exception e)
        {
            return Crashed(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int OnReleasedir(byte* path, FuseFileInfo* fi)
    {
        try
        {
            return Errno.Reply(Current._volume.Release(fi->Handle));
        }
        catch (Exception e)
        {
            return Crashed(e);
        }
    }

    [UnmanagedCallersOnly]
    private static int OnFsyncdir(byte* path, int dataOnly, FuseFileInfo* fi)
    {
        try
        {
            return Errno.Reply(Current._volume.SyncVolume());
        }
        catch (Exception e)
        {
            return Crashed(e);
        }
    }

    private int Opendir(byte* path, FuseFileInfo* fi)
    {
        var node = Resolve(path);
        if (!node.IsOk)
            return Errno.Reply(node.Status);
        var opened = _volume.Open(node.Value.Id, OpenFlags.Read);
        if (!opened.TryGet(out var open))
            return Errno.Reply(opened.Status);
        fi->Handle = open.Handle;
        return 0;
    }

    private int Readdir(byte* path, DirectoryFiller filler, long offset, FuseFileInfo* fi)
    {
        var dir = NodeOf(path, fi);
        if (!dir.IsOk)
            return Errno.Reply(dir.Status);
        if (offset < 1 && filler.AddDot(".", (ulong)dir.Value.Id, 1))
            return 0;
        if (offset < 2 && filler.AddDot("..", ParentInode(path, dir.Value), 2))
            return 0;
        var cookie = Math.Max(0, offset - FirstCookieOffset);
        while (true)
        {
            var page = _volume.ReadDirectory(dir.Value.Id, cookie, ListingPage);
            if (!page.IsOk)
                return Errno.Reply(page.Status);
            foreach (var entry in page.Value)
            {
                if (filler.Add(entry.Name, entry.Attributes, entry.Cookie + FirstCookieOffset))
                    return 0; // The kernel's buffer is full; it comes back with the last offset it took.
            }

            if (page.Value.Count < ListingPage)
                return 0;
            cookie = page.Value[^1].Cookie;
        }
    }

    /// <summary>"..": the parent's id when the path is known; the root is its own parent.</summary>
    private ulong ParentInode(byte* path, NodeAttributes dir)
    {
        const ulong unknown = 0xFFFF_FFFF; // FUSE_UNKNOWN_INO
        if (dir.Id == NodeIds.Root)
            return (ulong)NodeIds.Root;
        var decoded = FusePath.Decode(path);
        if (!decoded.IsOk)
            return unknown;
        var parent = _volume.Resolve(FusePath.Split(decoded.Value).Parent);
        return parent.IsOk ? (ulong)parent.Value.Id : unknown;
    }

    /// <summary>libfuse's fuse_fill_dir_t and its buffer, for one readdir call.</summary>
    private readonly struct DirectoryFiller(void* buffer, delegate* unmanaged<void*, byte*, Stat*, long, int, int> fill, bool plus)
    {
        /// <summary>Adds one entry; true when the buffer is full and the entry was not taken.</summary>
        public bool Add(string name, NodeAttributes attributes, long nextOffset)
        {
            Stat stat;
            Fill(&stat, attributes);
            return Call(name, &stat, nextOffset, plus ? FuseFlags.FUSE_FILL_DIR_PLUS : 0);
        }

        public bool AddDot(string name, ulong inode, long nextOffset)
        {
            var stat = new Stat { Inode = inode, Mode = Posix.S_IFDIR };
            return Call(name, &stat, nextOffset, 0);
        }

        private bool Call(string name, Stat* stat, long nextOffset, int flags)
        {
            Span<byte> utf8 = stackalloc byte[(4 * 256) + 1];
            var length = Encoding.UTF8.GetBytes(name, utf8);
            utf8[length] = 0;
            fixed (byte* bytes = utf8)
                return fill(buffer, bytes, stat, nextOffset, flags) != 0;
        }
    }
}
