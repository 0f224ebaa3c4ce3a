using System.Buffers.Binary;
using System.Text;
using CacheFs.Hosts.WinFsp;
using CacheFs.Tests.Volume;
using Fsp;

namespace CacheFs.WinFsp.Tests.Hosts.WinFsp;

/// <summary>EAs (NtSetEaFile, NtQueryEaFile, the EA buffer of NtCreateFile) as the core's user.* xattrs.</summary>
public sealed unsafe class EaTests : IDisposable
{
    private readonly WinFspHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public void SetEa_ThenGetEa_RoundTripsUpperCasedAsAUserXattr()
    {
        var file = _h.Create("\\f");

        SetEa(file, ("MyAttr", [0, 1, 255])).Should().Be(NtStatus.Success);

        _h.Volume.Volume.GetXattr(Id("f"), "user.MYATTR").Value.Should().Equal(0, 1, 255);
        GetEa(file).Should().ContainSingle().Which.Should().Be(("MYATTR", "00-01-FF"));
        _h.Close(file);
    }

    [Fact]
    public void SetEa_EmptyValue_DeletesAndAMissingNameIsNoError()
    {
        var file = _h.Create("\\f");
        SetEa(file, ("a", [1]), ("b", [2])).Should().Be(NtStatus.Success);

        SetEa(file, ("A", []), ("never", [])).Should().Be(NtStatus.Success);

        GetEa(file).Should().Equal(("B", "02"));
        _h.Volume.Volume.ListXattrs(Id("f")).Value.Should().Equal("user.B");
        _h.Close(file);
    }

    [Fact]
    public void GetEa_XattrsALinuxClientSet_ShowsTheUserNamespaceOnlyAndNoEmptyValues()
    {
        _h.Close(_h.Create("\\f"));
        var id = Id("f");
        _h.Volume.Volume.SetXattr(id, "user.mime_type", "text/plain"u8).Should().Be(FsStatus.Ok);
        _h.Volume.Volume.SetXattr(id, "trusted.secret", [1]).Should().Be(FsStatus.Ok);
        _h.Volume.Volume.SetXattr(id, "user.empty", []).Should().Be(FsStatus.Ok);
        _h.Volume.Volume.SetXattr(id, "user.not*valid", [1]).Should().Be(FsStatus.Ok);
        _h.Volume.Volume.SetXattr(id, "user.big", new byte[65536]).Should().Be(FsStatus.Ok);

        var file = _h.Open("\\f", ReadDataOnly);
        GetEa(file).Should().Equal(("MIME_TYPE", BitConverter.ToString("text/plain"u8.ToArray())));
        _h.Info(file).EaSize.Should().Be((uint)(5 + "MIME_TYPE".Length + "text/plain".Length));
        _h.Close(file);
    }

    [Fact]
    public void SetEa_NameALinuxXattrHasInAnotherCase_ReplacesIt()
    {
        var file = _h.Create("\\f");
        _h.Volume.Volume.SetXattr(Id("f"), "user.tag", [1]).Should().Be(FsStatus.Ok);

        SetEa(file, ("Tag", [2])).Should().Be(NtStatus.Success);

        _h.Volume.Volume.ListXattrs(Id("f")).Value.Should().Equal("user.TAG");
        GetEa(file).Should().Equal(("TAG", "02"));
        _h.Close(file);
    }

    [Fact]
    public void SetEa_InvalidOrTooLongName_InvalidEaNameAndNothingStored()
    {
        var file = _h.Create("\\f");
        var longest = new string('N', EaNames.MaxName);

        SetEa(file, ("ok", [1]), ("bad*name", [1])).Should().Be(FileSystemBase.STATUS_INVALID_EA_NAME);
        SetEa(file, (longest + "N", [1])).Should().Be(FileSystemBase.STATUS_INVALID_EA_NAME);
        SetEa(file, ("\u00e9t\u00e9", [1])).Should().Be(FileSystemBase.STATUS_INVALID_EA_NAME);
        GetEa(file).Should().BeEmpty();

        SetEa(file, (longest, [1])).Should().Be(NtStatus.Success);
        _h.Volume.Volume.ListXattrs(Id("f")).Value.Should().Equal(["user." + longest], "the longest EA name fills the xattr name limit");
        _h.Close(file);
    }

    [Fact]
    public void SetEa_SetLargerThanWinFspCanReadBack_EaTooLargeAndNothingChanged()
    {
        var file = _h.Create("\\f");
        SetEa(file, ("first", new byte[10_000])).Should().Be(NtStatus.Success);

        SetEa(file, ("second", new byte[6_000])).Should().Be(FileSystemBase.STATUS_EA_TOO_LARGE);
        SetEa(file, ("huge", new byte[60_000])).Should().Be(FileSystemBase.STATUS_EA_TOO_LARGE);

        GetEa(file).Select(ea => ea.Name).Should().Equal("FIRST");
        SetEa(file, ("first", []), ("second", new byte[15_000])).Should().Be(NtStatus.Success, "what the change leaves is what counts");
        GetEa(file).Select(ea => ea.Name).Should().Equal("SECOND");
        _h.Close(file);
    }

    [Fact]
    public void SetEa_InconsistentList_EaListInconsistent()
    {
        var file = _h.Create("\\f");
        var buffer = Buffer(("name", [1, 2, 3]));

        Call(buffer[..^1], (ea, length) => _h.Fs.SetEa(file, file, ea, length, out _)).Should().Be(FileSystemBase.STATUS_EA_LIST_INCONSISTENT);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, 2); // A next entry inside this one.
        Call(buffer, (ea, length) => _h.Fs.SetEa(file, file, ea, length, out _)).Should().Be(FileSystemBase.STATUS_EA_LIST_INCONSISTENT);

        GetEa(file).Should().BeEmpty();
        _h.Close(file);
    }

    [Fact]
    public void SetEa_NeedEaFlag_IsAcceptedAndNotKept()
    {
        var file = _h.Create("\\f");
        var buffer = Buffer(("needed", [1]));
        buffer[4] = 0x80;

        Call(buffer, (ea, length) => _h.Fs.SetEa(file, file, ea, length, out _)).Should().Be(NtStatus.Success);

        var reply = new byte[256];
        Call(reply, (ea, length) => _h.Fs.GetEa(file, file, ea, length, out _)).Should().Be(NtStatus.Success);
        reply[4].Should().Be(0, "xattrs keep no flags");
        _h.Close(file);
    }

    [Fact]
    public void GetEa_ReplyBufferTooSmall_GivesTheEntriesThatFit()
    {
        var file = _h.Create("\\f");
        SetEa(file, ("a", [1]), ("b", [2])).Should().Be(NtStatus.Success);

        var reply = new byte[14];
        uint transferred = 0;
        Call(reply, (ea, length) => _h.Fs.GetEa(file, file, ea, length, out transferred)).Should().Be(NtStatus.Success);

        transferred.Should().Be(8 + 2 + 1);
        EaBuffer.Read(reply.AsSpan(0, (int)transferred))!.Select(ea => ea.Name).Should().Equal("A");
        _h.Close(file);
    }

    [Fact]
    public void FileInfo_EaSize_IsThePackedSizeOfTheEas()
    {
        var file = _h.Create("\\f");
        _h.Info(file).EaSize.Should().Be(0);

        var status = Call(Buffer(("A", [1, 2]), ("BC", [3])), (ea, length) => _h.Fs.SetEa(file, file, ea, length, out var info) is var s && info.EaSize == 16 ? s : -1);

        status.Should().Be(NtStatus.Success);
        _h.Info(file).EaSize.Should().Be((5 + 1 + 2) + (5 + 2 + 1));
        _h.Close(file);
    }

    [Fact]
    public void CreateEx_WithEas_MakesTheFileWithThemAndABadListMakesNothing()
    {
        var made = Call(Buffer(("origin", "x"u8.ToArray())), (ea, length) =>
            _h.Fs.CreateEx("\\f", 0, WinFspHarness.ReadWrite, 0, null!, 0, ea, length, false, out var file, out _, out var info, out _) is var s && s == NtStatus.Success
                ? (info.EaSize == 5 + 6 + 1 ? Closed(file, s) : -1)
                : s);
        var refused = Call(Buffer(("bad?", [1])), (ea, length) =>
            _h.Fs.CreateEx("\\g", 0, WinFspHarness.ReadWrite, 0, null!, 0, ea, length, false, out _, out _, out _, out _));

        made.Should().Be(NtStatus.Success);
        refused.Should().Be(FileSystemBase.STATUS_INVALID_EA_NAME);
        _h.Volume.Volume.GetXattr(Id("f"), "user.ORIGIN").Value.Should().Equal("x"u8.ToArray());
        _h.OpenStatus("\\g", WinFspHarness.ReadData, out _, out _).Should().Be(FileSystemBase.STATUS_OBJECT_NAME_NOT_FOUND);
    }

    [Fact]
    public void OverwriteEx_ReplacesTheEasByThoseGivenOrRemovesThem()
    {
        var file = _h.Create("\\f");
        SetEa(file, ("a", [1]), ("b", [2])).Should().Be(NtStatus.Success);
        _h.Volume.Volume.SetXattr(Id("f"), "user.c", [3]).Should().Be(FsStatus.Ok);
        _h.Volume.Volume.SetXattr(Id("f"), "trusted.kept", [4]).Should().Be(FsStatus.Ok);

        Call(Buffer(("new", [5])), (ea, length) => _h.Fs.OverwriteEx(file, file, 0, false, 0, ea, length, out _)).Should().Be(NtStatus.Success);
        _h.Volume.Volume.ListXattrs(Id("f")).Value.Should().Equal("trusted.kept", "user.NEW");

        _h.Fs.Overwrite(file, file, 0, false, 0, out _).Should().Be(NtStatus.Success);
        _h.Volume.Volume.ListXattrs(Id("f")).Value.Should().Equal("trusted.kept");
        _h.Close(file);
    }

    [Fact]
    public void SetEa_OnADirectory_IsKept()
    {
        var dir = _h.MakeDirectory("\\d");

        SetEa(dir, ("DirTag", [7])).Should().Be(NtStatus.Success);

        GetEa(dir).Should().Equal(("DIRTAG", "07"));
        _h.Close(dir);
    }

    private const uint ReadDataOnly = WinFspHarness.ReadData;

    private long Id(string name) => _h.Volume.Volume.At(name).Id;

    private int SetEa(object file, params (string Name, byte[] Value)[] eas) =>
        Call(Buffer(eas), (ea, length) => _h.Fs.SetEa(file, file, ea, length, out _));

    /// <summary>NtQueryEaFile's whole list, as names and hex values.</summary>
    private List<(string Name, string Value)> GetEa(object file)
    {
        var reply = new byte[16 * 1024];
        uint transferred = 0;
        Call(reply, (ea, length) => _h.Fs.GetEa(file, file, ea, length, out transferred)).Should().Be(NtStatus.Success);
        return EaBuffer.Read(reply.AsSpan(0, (int)transferred))!.Select(ea => (ea.Name, BitConverter.ToString(ea.Value))).ToList();
    }

    private int Closed(object file, int status)
    {
        _h.Close(file);
        return status;
    }

    private static int Call(byte[] buffer, Func<IntPtr, uint, int> call)
    {
        fixed (byte* bytes = buffer)
            return call((IntPtr)bytes, (uint)buffer.Length);
    }

    /// <summary>A FILE_FULL_EA_INFORMATION list laid out by hand, as NtSetEaFile passes it.</summary>
    private static byte[] Buffer(params (string Name, byte[] Value)[] eas)
    {
        var entries = new List<byte[]>();
        foreach (var (name, value) in eas)
        {
            var nameBytes = Encoding.Latin1.GetBytes(name);
            var entry = new byte[(8 + nameBytes.Length + 1 + value.Length + 3) & ~3];
            entry[5] = (byte)nameBytes.Length;
            BinaryPrimitives.WriteUInt16LittleEndian(entry.AsSpan(6), (ushort)value.Length);
            nameBytes.CopyTo(entry, 8);
            value.CopyTo(entry, 8 + nameBytes.Length + 1);
            entries.Add(entry);
        }

        for (var i = 0; i < entries.Count - 1; i++)
            BinaryPrimitives.WriteUInt32LittleEndian(entries[i], (uint)entries[i].Length);
        return entries.SelectMany(e => e).ToArray();
    }
}
