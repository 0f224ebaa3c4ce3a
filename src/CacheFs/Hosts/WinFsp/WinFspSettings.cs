using CacheFs.Volume;
using Fsp;

namespace CacheFs.Hosts.WinFsp;

/// <summary>The volume parameters WinFsp mounts with, each chosen for a reason (README, "Windows host").</summary>
internal static class WinFspSettings
{
    /// <summary>
    /// The dispatcher's threads. Reads that wait on the origin answer later (STATUS_PENDING) and free their thread, so
    /// threads only wait on the cache disk and the journal; one per core, at least two so a long fsync never stalls
    /// every other call. WinFsp's own default is the same floor.
    /// </summary>
    public static uint ThreadCount => (uint)Math.Max(2, Environment.ProcessorCount);

    public static void Apply(FileSystemHost host, VolumeOptions options)
    {
        // 4 KiB sectors, one per allocation unit: the cache's blocks (and NTFS's default cluster), so the sizes Explorer
        // shows on disk match what the cache holds and unbuffered I/O aligns with the content store.
        host.SectorSize = 4096;
        host.SectorsPerAllocationUnit = 1;
        host.MaxComponentLength = 255; // The core's name limit (NameRules), as NTFS.
        host.VolumeSerialNumber = 0x4361_4673; // "CaFs": fixed, so shortcuts and MRU lists survive a remount.

        // Case-insensitive and case-preserving, as NTFS: the core folds names the same way (a Windows volume's cache is
        // created case-insensitive); a case-sensitive cache (a Linux volume) is served case-sensitively instead.
        host.CaseSensitiveSearch = options.CaseSensitive;
        host.CasePreservedNames = true;
        host.UnicodeOnDisk = true;

        // Attributes and sizes cached by the kernel for one second: enough to spare the journal the stat storms of
        // Explorer and build tools. Another client's change is notified (ChangeNotices), which drops the cached copy; a
        // notice dropped during a rename leaves this as the bound on how long Windows shows the old state.
        host.FileInfoTimeout = 1000;

        // Cleanup only for handles that changed something (written, deleted, times set): a read-only close needs nothing
        // from the core until Close, so most closes cost one callback instead of two.
        host.PostCleanupWhenModifiedOnly = true;

        // POSIX delete and rename (FILE_DISPOSITION_POSIX_SEMANTICS, which DeleteFile uses where offered): the name goes
        // at once while other handles keep the file, which the core supports as on Linux (an unlinked file's content stays
        // until its last handle closes), and another machine's delete never waits for this one's programs to close.
        host.SupportsPosixUnlinkRename = true;

        // The query's pattern reaches ReadDirectory, which skips names that do not match before they cross to the kernel.
        host.PassQueryDirectoryPattern = true;

        // No ACLs (DefaultSecurity) or streams are kept: saying so lets programs (robocopy, Explorer) skip them instead
        // of failing half-way. EAs are the core's user.* xattrs (EaNames) and symlink reparse points its symlinks
        // (SymlinkReparse), so Linux clients see both; making a symlink still takes Windows' own privilege check.
        host.PersistentAcls = false;
        host.NamedStreams = false;
        host.ExtendedAttributes = true;
        host.ReparsePoints = true;

        // No prefix: the volume is a local disk (\Device\WinFsp.Disk), not a network share. Programs treat network drives
        // differently (Office opens documents read-only or refuses, services cannot see mapped drives, backup tools skip
        // them), which is not what a local cache of the origin should get.
        host.Prefix = null;
        host.FileSystemName = "CacheFs";
    }
}
