using CacheFs.Hosts.WinFsp;
using Fsp;
using static CacheFs.WinFsp.Tests.Hosts.WinFsp.WinFspHarness;

namespace CacheFs.WinFsp.Tests.Hosts.WinFsp;

public sealed class NameTests : IDisposable
{
    private readonly WinFspHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public void Open_OtherCase_FindsTheFileAndNormalizesToItsSpelling()
    {
        _h.Close(_h.MakeDirectory("\\Projects"));
        _h.Close(_h.Create("\\Projects\\Plan.DOCX"));

        _h.OpenStatus("\\PROJECTS\\plan.docx", ReadData, out var file, out var normalized).Should().Be(NtStatus.Success);
        normalized.Should().Be("\\Projects\\Plan.DOCX");
        _h.Close(file);
        byte[] noDescriptor = null!; // The caller wants the attributes only.
        _h.Fs.GetSecurityByName("\\projects\\PLAN.docx", out var attributes, ref noDescriptor).Should().Be(NtStatus.Success);
        attributes.Should().Be(FileInfoOf.Normal);
    }

    [Fact]
    public void Open_DirectoryWithNonDirectoryOption_FileIsADirectory()
    {
        _h.Close(_h.MakeDirectory("\\d"));
        _h.Close(_h.Create("\\f"));
        _h.OpenStatus("\\d", ReadData, out _, out _, NonDirectoryFile).Should().Be(FileSystemBase.STATUS_FILE_IS_A_DIRECTORY);
        _h.OpenStatus("\\f", ReadData, out _, out _, DirectoryFile).Should().Be(FileSystemBase.STATUS_NOT_A_DIRECTORY);
    }

    [Fact]
    public void Rename_WithoutReplaceOntoExistingFile_NameCollisionAndBothKept()
    {
        _h.Close(_h.Create("\\a"));
        _h.Close(_h.Create("\\b"));
        var a = _h.Open("\\a", 0x10000);
        _h.Fs.Rename(a, a, "\\a", "\\B", false).Should().Be(NtStatus.NameCollision);
        _h.Close(a);
        _h.Volume.Volume.Resolve("a").IsOk.Should().BeTrue();
    }

    [Fact]
    public void Rename_WithReplaceOntoExistingFile_ReplacesIt()
    {
        var a = _h.Create("\\a");
        _h.Write(a, 0, [7]);
        _h.Close(_h.Create("\\b"));
        _h.Fs.Rename(a, a, "\\a", "\\b", true).Should().Be(NtStatus.Success);
        _h.ReadAll(a).Should().Equal(7);
        _h.Close(a);
        _h.OpenStatus("\\a", ReadData, out _, out _).Should().Be(FileSystemBase.STATUS_OBJECT_NAME_NOT_FOUND);
        var b = _h.Open("\\b", ReadData);
        _h.ReadAll(b).Should().Equal(7);
        _h.Close(b);
    }

    [Fact]
    public void Rename_WithReplaceOntoDirectoryOrReadOnlyFile_AccessDenied()
    {
        _h.Close(_h.MakeDirectory("\\dir"));
        _h.Close(_h.Create("\\locked", attributes: FileInfoOf.ReadOnly));
        var a = _h.Create("\\a");
        _h.Fs.Rename(a, a, "\\a", "\\dir", true).Should().Be(NtStatus.AccessDenied);
        _h.Fs.Rename(a, a, "\\a", "\\locked", true).Should().Be(NtStatus.AccessDenied);
        _h.Close(a);
    }

    [Fact]
    public void Rename_CaseOnlyWithoutReplace_ChangesTheSpelling()
    {
        var a = _h.Create("\\readme.txt");
        _h.Fs.Rename(a, a, "\\readme.txt", "\\README.txt", false).Should().Be(NtStatus.Success);
        _h.Close(a);
        var root = _h.Open("\\", ReadData);
        _h.List(root).Should().Equal("README.txt");
        _h.Close(root);
    }

    [Fact]
    public void Rename_IntoMissingDirectory_PathNotFound()
    {
        var a = _h.Create("\\a");
        _h.Fs.Rename(a, a, "\\a", "\\nowhere\\a", false).Should().Be(FileSystemBase.STATUS_OBJECT_PATH_NOT_FOUND);
        _h.Close(a);
    }

    [Fact]
    public void Cleanup_DeleteOnClose_RemovesTheNameWhileTheOpenStillReads()
    {
        var file = _h.Create("\\temp.tmp");
        _h.Write(file, 0, [1, 2]);
        _h.Fs.CanDelete(file, file, "\\temp.tmp").Should().Be(NtStatus.Success);
        _h.Fs.Cleanup(file, file, "\\temp.tmp", FileSystemBase.CleanupDelete);

        _h.OpenStatus("\\temp.tmp", ReadData, out _, out _).Should().Be(FileSystemBase.STATUS_OBJECT_NAME_NOT_FOUND);
        _h.ReadAll(file).Should().Equal(1, 2);
        _h.Fs.Close(file, file);
    }

    [Fact]
    public void Cleanup_DeleteOnCloseOfEmptyDirectory_RemovesIt()
    {
        var dir = _h.MakeDirectory("\\d");
        _h.Fs.SetDelete(dir, dir, "\\d", true).Should().Be(NtStatus.Success);
        _h.Close(dir, "\\d", FileSystemBase.CleanupDelete);
        _h.OpenStatus("\\d", ReadData, out _, out _).Should().Be(FileSystemBase.STATUS_OBJECT_NAME_NOT_FOUND);
    }

    [Fact]
    public void Cleanup_DeleteAfterTheNameWasTakenByAnother_RemovesNothing()
    {
        var first = _h.Create("\\a");
        _h.Fs.Rename(first, first, "\\a", "\\b", false).Should().Be(NtStatus.Success);
        _h.Close(_h.Create("\\a"));
        _h.Close(first, "\\a", FileSystemBase.CleanupDelete); // A stale name: must not remove the new \a.
        _h.OpenStatus("\\a", ReadData, out var other, out _).Should().Be(NtStatus.Success);
        _h.Close(other);
    }

    [Fact]
    public void CanDelete_NonEmptyDirectory_DirectoryNotEmpty()
    {
        var dir = _h.MakeDirectory("\\d");
        _h.Close(_h.Create("\\d\\f"));
        _h.Fs.CanDelete(dir, dir, "\\d").Should().Be(NtStatus.DirectoryNotEmpty);
        _h.Close(dir);
    }

    [Fact]
    public void CanDelete_ReadOnlyFile_CannotDelete()
    {
        var file = _h.Create("\\r", attributes: FileInfoOf.ReadOnly);
        _h.Fs.CanDelete(file, file, "\\r").Should().Be(NtStatus.CannotDelete);
        _h.Close(file);
    }

    [Fact]
    public void Open_ReadOnlyFileForWriting_AccessDenied()
    {
        _h.Close(_h.Create("\\r", attributes: FileInfoOf.ReadOnly));
        _h.OpenStatus("\\r", WriteData, out _, out _).Should().Be(NtStatus.AccessDenied);
        _h.OpenStatus("\\r", ReadData, out var reader, out _).Should().Be(NtStatus.Success);
        _h.Close(reader);
    }
}
