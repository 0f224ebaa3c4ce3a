using System.Buffers.Binary;
using CacheFs.Hosts.WinFsp;
using Fsp;

namespace CacheFs.WinFsp.Tests.Hosts.WinFsp;

public sealed class SecurityTests : IDisposable
{
    private readonly WinFspHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public void GetSecurity_AnyNode_SelfRelativeDescriptorWithOwnerGroupAndThreeAces()
    {
        var file = _h.Create("\\a");
        byte[] descriptor = null!;
        _h.Fs.GetSecurity(file, file, ref descriptor).Should().Be(NtStatus.Success);
        _h.Close(file);

        descriptor[0].Should().Be(1, "revision 1");
        (BinaryPrimitives.ReadUInt16LittleEndian(descriptor.AsSpan(2)) & 0x8004).Should().Be(0x8004, "self-relative, DACL present");
        var owner = (int)BinaryPrimitives.ReadUInt32LittleEndian(descriptor.AsSpan(4));
        Sid(descriptor, owner).Should().Be("S-1-5-32-544");
        var dacl = (int)BinaryPrimitives.ReadUInt32LittleEndian(descriptor.AsSpan(16));
        BinaryPrimitives.ReadUInt16LittleEndian(descriptor.AsSpan(dacl + 2)).Should().Be((ushort)(descriptor.Length - dacl));
        BinaryPrimitives.ReadUInt16LittleEndian(descriptor.AsSpan(dacl + 4)).Should().Be(3);
        Sid(descriptor, dacl + 8 + 8).Should().Be("S-1-5-18");
    }

    [Fact]
    public void GetSecurityByName_WithBuffer_GivesTheDescriptorAndMissingGivesNone()
    {
        _h.Close(_h.Create("\\a"));
        var descriptor = Array.Empty<byte>();
        _h.Fs.GetSecurityByName("\\a", out _, ref descriptor).Should().Be(NtStatus.Success);
        descriptor.Should().Equal(DefaultSecurity.Descriptor);
        _h.Fs.GetSecurityByName("\\b", out _, ref descriptor).Should().Be(FileSystemBase.STATUS_OBJECT_NAME_NOT_FOUND);
    }

    [Fact]
    public void SetSecurity_Refused_SoNoProgramBelievesItsAclWasKept()
    {
        var file = _h.Create("\\a");
        _h.Fs.SetSecurity(file, file, default, DefaultSecurity.Descriptor) // Which sections does not matter: none is kept.
            .Should().Be(FileSystemBase.STATUS_NOT_SUPPORTED);
        _h.Close(file);
    }

    private static string Sid(byte[] bytes, int at)
    {
        var count = bytes[at + 1];
        var authority = bytes[at + 7];
        var parts = Enumerable.Range(0, count).Select(i => BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 8 + (4 * i))));
        return $"S-{bytes[at]}-{authority}-" + string.Join('-', parts);
    }
}
