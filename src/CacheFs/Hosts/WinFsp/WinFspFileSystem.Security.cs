using System.Security.AccessControl;

namespace CacheFs.Hosts.WinFsp;

/// <summary>Security: every node reports <see cref="DefaultSecurity"/>; the volume keeps no ACLs (PersistentAcls is off).</summary>
internal sealed partial class WinFspFileSystem
{
    public override int GetSecurity(object FileNode, object FileDesc, ref byte[] SecurityDescriptor)
    {
        SecurityDescriptor = DefaultSecurity.Descriptor;
        return NtStatus.Success;
    }

    /// <summary>
    /// Refused as the FUSE host refuses POSIX ACLs: a descriptor accepted and then forgotten would tell a program
    /// (robocopy /SEC, icacls) that files are protected when they are not. The volume says it keeps no ACLs, so tools
    /// that look first do not try.
    /// </summary>
    public override int SetSecurity(object FileNode, object FileDesc, AccessControlSections Sections, byte[] SecurityDescriptor) =>
        NtStatus.Of(FsStatus.NotSupported);
}
