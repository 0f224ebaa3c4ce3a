using CacheFs.Tests;
using CacheFs.Nodes;
using CacheFs.Tests.Volume;
using CacheFs.Volume;
using static CacheFs.WinFsp.Tests.Hosts.WinFsp.WinFspHarness;

namespace CacheFs.WinFsp.Tests.Hosts.WinFsp;

public sealed class DirectoryTests : IDisposable
{
    private readonly WinFspHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public void ReadDirectory_TenThousandEntriesResumedFromMarkersWithPattern_ListsEachMatchOnceInOrder()
    {
        _h.Close(_h.MakeDirectory("\\big"));
        var big = _h.Volume.Volume.At("big").Id;
        var expected = new List<string>();
        for (var i = 0; i < 10_000; i++)
        {
            // Made in an order unlike the name order, in two cases: the listing must still come sorted, without case.
            var n = (i * 7919) % 10_000;
            var name = n % 2 == 0 ? $"File{n:D5}.TXT" : $"file{n:D5}.dat";
            var made = _h.Volume.Volume.Create(big, name, TestVolume.Owner, OpenFlags.Write, exclusive: true);
            _h.Volume.Volume.Release(made.Value.Handle).Should().Be(FsStatus.Ok);
            if (n % 2 == 0)
                expected.Add(name);
        }

        expected.Sort(StringComparer.OrdinalIgnoreCase);
        var dir = _h.Open("\\big", ReadData);
        _h.List(dir, "*.txt", page: 97).Should().Equal(expected);
        _h.List(dir, "file0000?.*", page: 3).Should().Equal("File00000.TXT", "file00001.dat", "File00002.TXT", "file00003.dat", "File00004.TXT", "file00005.dat", "File00006.TXT", "file00007.dat", "File00008.TXT", "file00009.dat");
        _h.Close(dir);
    }

    [Fact]
    public void ReadDirectory_MarkerDeletedBetweenPages_ResumesAfterItsName()
    {
        _h.Close(_h.MakeDirectory("\\d"));
        foreach (var name in new[] { "c", "a", "e", "b", "d" })
            _h.Close(_h.Create("\\d\\" + name));
        var dir = _h.Open("\\d", ReadData);
        var removed = new List<string>();

        var names = _h.List(dir, page: 2, betweenPages: marker =>
        {
            if (marker is "." or "..")
                return;
            _h.Volume.Volume.Unlink(_h.Volume.Volume.At("d").Id, marker).Should().Be(FsStatus.Ok);
            removed.Add(marker);
        });

        names.Should().Equal(".", "..", "a", "b", "c", "d", "e");
        removed.Should().NotBeEmpty();
        _h.Close(dir);
    }

    [Fact]
    public void ReadDirectory_Root_HasNoDotEntriesAndSubdirectoryHasBoth()
    {
        _h.Close(_h.MakeDirectory("\\sub"));
        _h.Close(_h.Create("\\sub\\x"));
        var root = _h.Open("\\", ReadData);
        _h.List(root).Should().Equal("sub");
        _h.Close(root);
        var sub = _h.Open("\\sub", ReadData);
        _h.List(sub).Should().Equal(".", "..", "x");
        _h.Close(sub);
    }

    [Fact]
    public void ReadDirectory_RestartWithoutMarker_SeesNamesAddedSince()
    {
        var dir = _h.MakeDirectory("\\d");
        _h.List(dir).Should().Equal(".", "..");
        _h.Close(_h.Create("\\d\\new"));
        _h.List(dir).Should().Equal(".", "..", "new");
        _h.Close(dir);
    }

    [Fact]
    public void ReadDirectory_EntriesCarryTheirInformation()
    {
        var dir = _h.MakeDirectory("\\d");
        var file = _h.Create("\\d\\f.bin");
        _h.Write(file, 0, new byte[1234]);
        _h.Close(file);
        object context = null!;
        _h.Fs.ReadDirectoryEntry(dir, dir, "f.*", null!, ref context, out var name, out var info).Should().BeTrue();
        name.Should().Be("f.bin");
        info.FileSize.Should().Be(1234);
        info.IndexNumber.Should().Be((ulong)_h.Volume.Volume.At("d/f.bin").Id);
        _h.Fs.ReadDirectoryEntry(dir, dir, "f.*", null!, ref context, out _, out _).Should().BeFalse();
        _h.Close(dir);
    }

    [Theory]
    [InlineData("report.docx", "*.DOCX", true)]
    [InlineData("report.docx", "rep?rt.*", true)]
    [InlineData("report.docx", "*.doc", false)]
    [InlineData("report", "report.*", false)]
    [InlineData("report", "report<\"*", true)]
    [InlineData("a.b.c", "*.c", true)]
    [InlineData("abc", "a>c", true)]
    [InlineData("file.txt", "file>.txt", true)] // "file?.txt" from Win32: DOS_QM may match nothing before the dot.
    [InlineData("file", "file\"*", true)]
    [InlineData("other.txt", "file>.txt", false)]
    public void WildcardPattern_WindowsExpressions_MatchAsFindFirstFile(string name, string pattern, bool matches) =>
        CacheFs.Hosts.WinFsp.WildcardPattern.Matches(name, pattern, ignoreCase: true).Should().Be(matches);
}
