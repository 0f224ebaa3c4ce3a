using System.Buffers.Binary;
using System.Text;
using CacheFs.Hosts.WinFsp;
using CacheFs.Nodes;
using CacheFs.Tests;
using CacheFs.Tests.Volume;
using Fsp;
using static CacheFs.WinFsp.Tests.Hosts.WinFsp.WinFspHarness;

namespace CacheFs.WinFsp.Tests.Hosts.WinFsp;

/// <summary>The core's symlinks as IO_REPARSE_TAG_SYMLINK reparse points, and CreateSymbolicLink's create + FSCTL_SET_REPARSE_POINT.</summary>
public sealed class SymlinkTests : IDisposable
{
    private const uint SymlinkTag = 0xA000_000C;
    private const uint MountPointTag = 0xA000_0003;
    private const uint ReparsePointAttribute = 0x400;
    private const uint DirectoryAttribute = 0x10;

    private readonly WinFspHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Theory]
    [InlineData("../dir/file", "..\\dir\\file", "..\\dir\\file", true)]
    [InlineData("/etc/hosts", "\\etc\\hosts", "\\etc\\hosts", true)]
    [InlineData("C:/Users/me", "\\??\\C:\\Users\\me", "C:\\Users\\me", false)]
    [InlineData("//server/share/x", "\\??\\UNC\\server\\share\\x", "\\\\server\\share\\x", false)]
    public void GetReparsePointByName_LinuxSymlink_IsASymlinkWithTheTargetAsWindowsSpellsIt(string target, string substitute, string print, bool relative)
    {
        LinuxSymlink("link", target);

        byte[] data = null!;
        _h.Fs.GetReparsePointByName("\\link", false, ref data).Should().Be(NtStatus.Success);

        Parse(data).Should().Be((SymlinkTag, substitute, print, relative));
    }

    [Fact]
    public void GetReparsePointByName_TargetOf4095Bytes_FitsOneWinFspReplyWithoutThePrintName()
    {
        var longest = string.Concat(Enumerable.Repeat("abcdefghi/", 410))[..4095];
        LinuxSymlink("long", longest);

        byte[] data = null!;
        _h.Fs.GetReparsePointByName("\\long", false, ref data).Should().Be(NtStatus.Success);

        data.Length.Should().Be(20 + (2 * 4095));
        Parse(data).Should().Be((SymlinkTag, longest.Replace('/', '\\'), "", true));
    }

    [Fact]
    public void FileInfo_Symlink_IsAReparsePointWithTheSymlinkTagInOpenAndListing()
    {
        LinuxSymlink("link", "target");

        var link = _h.Open("\\link", ReadData);
        var info = _h.Info(link);
        info.FileAttributes.Should().Be(ReparsePointAttribute);
        info.ReparseTag.Should().Be(SymlinkTag);
        byte[] data = null!;
        _h.Fs.GetReparsePoint(link, link, "\\link", ref data).Should().Be(NtStatus.Success);
        Parse(data).Substitute.Should().Be("target");
        _h.Close(link);

        var root = _h.Open("\\", ReadData);
        object context = null!;
        _h.Fs.ReadDirectoryEntry(root, root, null!, null!, ref context, out var name, out var listed).Should().BeTrue();
        (name, listed.ReparseTag, listed.FileAttributes & ReparsePointAttribute).Should().Be(("link", SymlinkTag, ReparsePointAttribute));
        _h.Close(root);
    }

    [Fact]
    public void GetReparsePointByName_FileOrMissing_NotAReparsePointOrNotFound()
    {
        _h.Close(_h.Create("\\f"));
        byte[] data = null!;

        _h.Fs.GetReparsePointByName("\\f", false, ref data).Should().Be(FileSystemBase.STATUS_NOT_A_REPARSE_POINT);
        _h.Fs.GetReparsePointByName("\\missing", false, ref data).Should().Be(FileSystemBase.STATUS_OBJECT_NAME_NOT_FOUND);
    }

    [Fact]
    public void GetSecurityByName_SymlinkBeforeTheLastName_ReparseAtThatName()
    {
        _h.Close(_h.MakeDirectory("\\dir"));
        _h.Close(_h.MakeDirectory("\\real"));
        _h.Close(_h.Create("\\real\\x"));
        LinuxSymlink("dir/link", "../real");
        byte[] descriptor = null!;

        _h.Fs.GetSecurityByName("\\dir\\link\\x", out var index, ref descriptor).Should().Be(FileSystemBase.STATUS_REPARSE);
        index.Should().Be((uint)"\\dir\\".Length);

        _h.Fs.GetSecurityByName("\\dir\\link", out var attributes, ref descriptor).Should().Be(NtStatus.Success);
        attributes.Should().Be(ReparsePointAttribute, "WinFsp follows a last-name link itself, unless FILE_OPEN_REPARSE_POINT");
    }

    [Fact]
    public void SetReparsePoint_OnANewEmptyFile_MakesACoreSymlinkLinuxSees()
    {
        // CreateSymbolicLink("\new", "sub\target"): create, then FSCTL_SET_REPARSE_POINT on the same handle.
        var file = _h.Create("\\new");

        _h.Fs.SetReparsePoint(file, file, "\\new", Build("sub\\target", "sub\\target", relative: true)).Should().Be(NtStatus.Success);

        var node = _h.Volume.Volume.At("new");
        node.Kind.Should().Be(NodeKind.Symlink);
        _h.Volume.Volume.ReadLink(node.Id).Value.Should().Be("sub/target");
        _h.Info(file).ReparseTag.Should().Be(SymlinkTag, "the open now stands for the symlink");
        _h.Close(file, "\\new", FileSystemBase.CleanupSetLastWriteTime);
        _h.Volume.Volume.At("new").Kind.Should().Be(NodeKind.Symlink);
    }

    [Fact]
    public void SetReparsePoint_OnANewDirectory_IsADirectorySymlinkThatRemoveDirectoryTakes()
    {
        var dir = _h.MakeDirectory("\\d");

        _h.Fs.SetReparsePoint(dir, dir, "\\d", Build("\\??\\C:\\Windows", "C:\\Windows", relative: false)).Should().Be(NtStatus.Success);
        _h.Close(dir);

        _h.Volume.Volume.ReadLink(_h.Volume.Volume.At("d").Id).Value.Should().Be("C:/Windows");
        var link = _h.Open("\\d", 0x0001_0000);
        _h.OpenStatus("\\d", 0x0001_0000, out var asDirectory, out _, DirectoryFile).Should().Be(NtStatus.Success);
        _h.Info(asDirectory).FileAttributes.Should().Be(ReparsePointAttribute | DirectoryAttribute);
        _h.Close(asDirectory);
        _h.Fs.SetDelete(link, link, "\\d", true).Should().Be(NtStatus.Success);
        _h.Close(link, "\\d", FileSystemBase.CleanupDelete);
        _h.Volume.Volume.Lookup(NodeIds.Root, "d").Status.Should().Be(FsStatus.NotFound);
    }

    [Fact]
    public void SetReparsePoint_OnASymlink_ChangesItsTarget()
    {
        LinuxSymlink("link", "old");
        var link = _h.Open("\\link", WriteData);

        _h.Fs.SetReparsePoint(link, link, "\\link", Build("new", "new", relative: true)).Should().Be(NtStatus.Success);

        _h.Volume.Volume.ReadLink(_h.Volume.Volume.At("link").Id).Value.Should().Be("new");
        _h.Close(link);
    }

    [Fact]
    public void SetReparsePoint_WhatHasNoCoreSymlink_RefusedAndNothingChanges()
    {
        var data = _h.Create("\\data");
        _h.Write(data, 0, [1]);
        var empty = _h.Create("\\empty");
        var full = _h.MakeDirectory("\\full");
        _h.Close(_h.Create("\\full\\x"));

        _h.Fs.SetReparsePoint(data, data, "\\data", Build("t", "t", relative: true)).Should().Be(FileSystemBase.STATUS_NOT_SUPPORTED);
        _h.Fs.SetReparsePoint(full, full, "\\full", Build("t", "t", relative: true)).Should().Be(FileSystemBase.STATUS_DIRECTORY_NOT_EMPTY);
        _h.Fs.SetReparsePoint(empty, empty, "\\empty", Build("\\??\\C:\\x", "C:\\x", relative: true, tag: MountPointTag)).Should().Be(FileSystemBase.STATUS_NOT_SUPPORTED, "a junction has no core counterpart");
        _h.Fs.SetReparsePoint(empty, empty, "\\empty", Build("\\??\\Volume{1234}\\x", "x", relative: false)).Should().Be(FileSystemBase.STATUS_IO_REPARSE_DATA_INVALID);
        _h.Fs.SetReparsePoint(empty, empty, "\\empty", Build("", "", relative: true)).Should().Be(FileSystemBase.STATUS_IO_REPARSE_DATA_INVALID);
        _h.Fs.SetReparsePoint(empty, empty, "\\empty", Build("t", "t", relative: true)[..18]).Should().Be(FileSystemBase.STATUS_IO_REPARSE_DATA_INVALID);

        _h.Volume.Volume.At("data").Kind.Should().Be(NodeKind.File);
        _h.Volume.Volume.At("empty").Kind.Should().Be(NodeKind.File);
        _h.Volume.Volume.At("full").Kind.Should().Be(NodeKind.Directory);
        foreach (var file in new[] { data, empty, full })
            _h.Close(file);
    }

    [Fact]
    public void DeleteReparsePoint_Symlink_BecomesAnEmptyFileAndAFileIsNoReparsePoint()
    {
        LinuxSymlink("link", "target");
        var link = _h.Open("\\link", WriteData);

        _h.Fs.DeleteReparsePoint(link, link, "\\link", Build("", "", relative: true, tag: MountPointTag)).Should().Be(FileSystemBase.STATUS_IO_REPARSE_TAG_MISMATCH);
        _h.Fs.DeleteReparsePoint(link, link, "\\link", Header(SymlinkTag)).Should().Be(NtStatus.Success);

        _h.Volume.Volume.At("link").Kind.Should().Be(NodeKind.File);
        _h.Info(link).FileAttributes.Should().Be(0x80, "a plain empty file now");
        _h.Fs.DeleteReparsePoint(link, link, "\\link", Header(SymlinkTag)).Should().Be(FileSystemBase.STATUS_NOT_A_REPARSE_POINT);
        _h.Close(link);
    }

    [Fact]
    public void SetThenGetReparsePoint_WindowsTarget_RoundTrips()
    {
        var file = _h.Create("\\l");
        var given = Build("..\\a b\\ünï", "..\\a b\\ünï", relative: true);

        _h.Fs.SetReparsePoint(file, file, "\\l", given).Should().Be(NtStatus.Success);
        byte[] data = null!;
        _h.Fs.GetReparsePoint(file, file, "\\l", ref data).Should().Be(NtStatus.Success);

        Parse(data).Should().Be((SymlinkTag, "..\\a b\\ünï", "..\\a b\\ünï", true));
        _h.Volume.Volume.ReadLink(_h.Volume.Volume.At("l").Id).Value.Should().Be("../a b/ünï");
        _h.Close(file);
    }

    private void LinuxSymlink(string path, string target)
    {
        var slash = path.LastIndexOf('/');
        var parent = slash < 0 ? NodeIds.Root : _h.Volume.Volume.At(path[..slash]).Id;
        _h.Volume.Volume.MakeSymlink(parent, path[(slash + 1)..], target, TestVolume.Owner).Status.Should().Be(FsStatus.Ok);
    }

    /// <summary>A symlink REPARSE_DATA_BUFFER laid out by hand: print name first, as some tools write it.</summary>
    private static byte[] Build(string substitute, string print, bool relative, uint tag = SymlinkTag)
    {
        var printBytes = Encoding.Unicode.GetBytes(print);
        var substituteBytes = Encoding.Unicode.GetBytes(substitute);
        var data = new byte[20 + printBytes.Length + substituteBytes.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(data, tag);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(4), (ushort)(data.Length - 8));
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(8), (ushort)printBytes.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(10), (ushort)substituteBytes.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(12), 0);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(14), (ushort)printBytes.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(16), relative ? 1u : 0u);
        printBytes.CopyTo(data, 20);
        substituteBytes.CopyTo(data, 20 + printBytes.Length);
        return data;
    }

    /// <summary>FSCTL_DELETE_REPARSE_POINT's input: the tag and no data.</summary>
    private static byte[] Header(uint tag)
    {
        var data = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(data, tag);
        return data;
    }

    private static (uint Tag, string Substitute, string Print, bool Relative) Parse(byte[] data)
    {
        BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(4)).Should().Be((ushort)(data.Length - 8));
        string Name(int at) => Encoding.Unicode.GetString(data, 20 + BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(at)), BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(at + 2)));
        return (BinaryPrimitives.ReadUInt32LittleEndian(data), Name(8), Name(12), (BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(16)) & 1) != 0);
    }
}
