namespace CacheFs.Hosts.WinFsp;

/// <summary>
/// The one security descriptor every file and directory reports, as FAT or exFAT behave: owner and group
/// BUILTIN\Administrators, a protected DACL giving full control to SYSTEM, Administrators and Everyone (SDDL
/// "O:BAG:BAD:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;FA;;;WD)"). The cache holds no ACLs (the origin keeps POSIX
/// modes, which another platform's clients read), so access is left to the mount: the drive is the mounting user's.
/// Built by hand in self-relative form because SDDL parsing is a Win32 call, and the host compiles and is tested on
/// Linux too.
/// </summary>
internal static class DefaultSecurity
{
    private const uint FileAllAccess = 0x001F_01FF;
    private const byte ObjectAndContainerInherit = 0x01 | 0x02;
    private const ushort SelfRelative = 0x8000;
    private const ushort DaclPresent = 0x0004;
    private const ushort DaclProtected = 0x1000;

    private static readonly byte[] Administrators = Sid(5, 32, 544);
    private static readonly byte[] LocalSystem = Sid(5, 18);
    private static readonly byte[] Everyone = Sid(1, 0);

    /// <summary>A fresh copy each call: WinFsp's callers may keep or change what they are given.</summary>
    public static byte[] Descriptor => (byte[])Bytes.Clone();

    private static byte[] Bytes { get; } = Build();

    private static byte[] Build()
    {
        byte[][] trustees = [LocalSystem, Administrators, Everyone];
        var aclSize = 8 + trustees.Sum(sid => 8 + sid.Length);
        var buffer = new byte[20 + Administrators.Length + Administrators.Length + aclSize];
        var owner = 20;
        var group = owner + Administrators.Length;
        var dacl = group + Administrators.Length;

        buffer[0] = 1; // SECURITY_DESCRIPTOR_REVISION
        Write16(buffer, 2, SelfRelative | DaclPresent | DaclProtected);
        Write32(buffer, 4, (uint)owner);
        Write32(buffer, 8, (uint)group);
        Write32(buffer, 16, (uint)dacl); // offset 12, the SACL, stays 0: none.
        Administrators.CopyTo(buffer, owner);
        Administrators.CopyTo(buffer, group);

        buffer[dacl] = 2; // ACL_REVISION
        Write16(buffer, dacl + 2, (ushort)aclSize);
        Write16(buffer, dacl + 4, (ushort)trustees.Length);
        var at = dacl + 8;
        foreach (var sid in trustees)
        {
            buffer[at] = 0; // ACCESS_ALLOWED_ACE_TYPE
            buffer[at + 1] = ObjectAndContainerInherit;
            Write16(buffer, at + 2, (ushort)(8 + sid.Length));
            Write32(buffer, at + 4, FileAllAccess);
            sid.CopyTo(buffer, at + 8);
            at += 8 + sid.Length;
        }

        return buffer;
    }

    /// <summary>A SID in binary form: revision 1, a 48-bit big-endian authority, then 32-bit little-endian sub-authorities.</summary>
    private static byte[] Sid(byte authority, params uint[] subAuthorities)
    {
        var sid = new byte[8 + (4 * subAuthorities.Length)];
        sid[0] = 1;
        sid[1] = (byte)subAuthorities.Length;
        sid[7] = authority;
        for (var i = 0; i < subAuthorities.Length; i++)
            Write32(sid, 8 + (4 * i), subAuthorities[i]);
        return sid;
    }

    private static void Write16(byte[] buffer, int at, ushort value) =>
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(at), value);

    private static void Write32(byte[] buffer, int at, uint value) =>
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(at), value);
}
