using CacheFs.Nodes;
using CacheFs.Volume;

namespace CacheFs.Tests.Volume;

public sealed class CaseInsensitiveTests
{
    private const long Root = NodeIds.Root;

    [Fact]
    public void Lookup_OtherCase_FindsSameNode()
    {
        using var t = new TestVolume(caseSensitive: false);
        var id = t.MakeFile("Report.docx");

        t.Volume.Lookup(Root, "report.DOCX").Value.Id.Should().Be(id);
        t.Volume.Lookup(Root, "REPORT.docx").Value.Id.Should().Be(id);
    }

    [Fact]
    public void ReadDirectory_MixedCaseName_PreservesCreatedSpelling()
    {
        using var t = new TestVolume(caseSensitive: false);
        t.MakeFile("MixedCase.TXT");

        t.List().Should().Equal("MixedCase.TXT");
    }

    [Fact]
    public void Create_OtherCaseExclusive_Exists()
    {
        using var t = new TestVolume(caseSensitive: false);
        t.MakeFile("File");

        t.Volume.Create(Root, "FILE", TestVolume.Owner, OpenFlags.ReadWrite, exclusive: true).Status.Should().Be(FsStatus.Exists);
        t.List().Should().Equal("File");
    }

    [Fact]
    public void Create_OtherCaseNonExclusive_OpensExistingKeepsSpelling()
    {
        using var t = new TestVolume(caseSensitive: false);
        var id = t.MakeFile("File", [1]);

        var opened = t.Volume.Create(Root, "file", TestVolume.Owner, OpenFlags.Read, exclusive: false);

        opened.Value.Created.Should().BeFalse();
        opened.Value.Attributes.Id.Should().Be(id);
        t.Volume.Release(opened.Value.Handle).Ok();
        t.List().Should().Equal("File");
    }

    [Fact]
    public void MakeDirectory_OtherCase_Exists()
    {
        using var t = new TestVolume(caseSensitive: false);
        t.MakeDir("Dir");

        t.Volume.MakeDirectory(Root, "dIR", TestVolume.DirOwner).Status.Should().Be(FsStatus.Exists);
    }

    [Fact]
    public void Link_OtherCaseOfExisting_Exists()
    {
        using var t = new TestVolume(caseSensitive: false);
        var id = t.MakeFile("a");
        t.MakeFile("B");

        t.Volume.Link(id, Root, "b").Status.Should().Be(FsStatus.Exists);
        t.Volume.Link(id, Root, "A").Status.Should().Be(FsStatus.Exists);
    }

    [Fact]
    public void Unlink_OtherCase_RemovesIt()
    {
        using var t = new TestVolume(caseSensitive: false);
        var id = t.MakeFile("Name", [1]);

        t.Volume.Unlink(Root, "NAME").Ok();

        t.Volume.GetAttributes(id).Status.Should().Be(FsStatus.NotFound);
        t.List().Should().BeEmpty();
    }

    [Fact]
    public void RemoveDirectory_OtherCase_RemovesIt()
    {
        using var t = new TestVolume(caseSensitive: false);
        t.MakeDir("Dir");

        t.Volume.RemoveDirectory(Root, "DIR").Ok();

        t.List().Should().BeEmpty();
        t.Volume.Attr(Root).LinkCount.Should().Be(2);
    }

    [Fact]
    public void Rename_CaseOnly_NewSpellingSameNodeSameCookie()
    {
        using var t = new TestVolume(caseSensitive: false);
        var id = t.MakeFile("report.doc", [1, 2]);
        var cookie = t.Volume.ReadDirectory(Root, 0, 10).Value.Single().Cookie;

        t.Volume.Rename(Root, "report.doc", Root, "Report.DOC").Ok();

        var entry = t.Volume.ReadDirectory(Root, 0, 10).Value.Single();
        entry.Name.Should().Be("Report.DOC");
        entry.Attributes.Id.Should().Be(id);
        entry.Cookie.Should().Be(cookie);
        t.ReadAll(id).Should().Equal(1, 2);
        t.Volume.Attr(id).LinkCount.Should().Be(1);
    }

    [Fact]
    public void Rename_CaseOnlyNoReplace_AllowedAsOnWindows()
    {
        using var t = new TestVolume(caseSensitive: false);
        var id = t.MakeFile("a.txt");

        t.Volume.Rename(Root, "a.txt", Root, "A.TXT", RenameMode.NoReplace).Ok();

        t.List().Should().Equal("A.TXT");
        t.Volume.Lookup(Root, "a.txt").Value.Id.Should().Be(id);
    }

    [Fact]
    public void Rename_CaseOnlyDirectory_KeepsChildrenAndLinkCount()
    {
        using var t = new TestVolume(caseSensitive: false);
        var d = t.MakeDir("docs");
        var f = t.MakeFile("f", parent: d);

        t.Volume.Rename(Root, "docs", Root, "Docs").Ok();

        t.List().Should().Equal("Docs");
        t.Volume.At("/DOCS/F").Id.Should().Be(f);
        t.Volume.Attr(Root).LinkCount.Should().Be(3);
    }

    [Fact]
    public void Rename_CaseOnly_MovesParentTimes()
    {
        using var t = new TestVolume(caseSensitive: false);
        t.MakeFile("a");
        t.Volume.Backdate(Root);

        t.Volume.Rename(Root, "a", Root, "A").Ok();

        t.Volume.Attr(Root).ModifyTime.Should().BeGreaterThan(VolumeTestExtensions.Past);
    }

    [Fact]
    public void Rename_SourceGivenInOtherCase_Moves()
    {
        using var t = new TestVolume(caseSensitive: false);
        var id = t.MakeFile("Old");

        t.Volume.Rename(Root, "OLD", Root, "New").Ok();

        t.List().Should().Equal("New");
        t.Volume.Lookup(Root, "new").Value.Id.Should().Be(id);
    }

    [Fact]
    public void Rename_OntoOtherFileInOtherCase_ReplacesAndTakesNewSpelling()
    {
        using var t = new TestVolume(caseSensitive: false);
        var a = t.MakeFile("a", [1]);
        var b = t.MakeFile("b", [2]);

        t.Volume.Rename(Root, "a", Root, "B").Ok();

        t.List().Should().Equal("B");
        t.Volume.Lookup(Root, "b").Value.Id.Should().Be(a);
        t.Volume.GetAttributes(b).Status.Should().Be(FsStatus.NotFound);
    }

    [Fact]
    public void Rename_OntoOtherFileInOtherCaseNoReplace_Exists()
    {
        using var t = new TestVolume(caseSensitive: false);
        t.MakeFile("a");
        t.MakeFile("b");

        t.Volume.Rename(Root, "a", Root, "B", RenameMode.NoReplace).Should().Be(FsStatus.Exists);
        t.List().Should().Equal("a", "b");
    }

    [Theory]
    [InlineData("café", "CAFÉ")]
    [InlineData("Ωmega", "ωMEGA")]
    [InlineData("файл", "ФАЙЛ")]
    public void Lookup_NonAsciiOtherCase_FindsSameNode(string created, string looked)
    {
        using var t = new TestVolume(caseSensitive: false);
        var id = t.MakeFile(created);

        t.Volume.Lookup(Root, looked).Value.Id.Should().Be(id);
        t.Volume.Create(Root, looked, TestVolume.Owner, OpenFlags.Read, exclusive: true).Status.Should().Be(FsStatus.Exists);
    }

    [Fact]
    public void Lookup_AfterReopen_StillCaseInsensitive()
    {
        using var t = new TestVolume(caseSensitive: false);
        var id = t.MakeFile("Keep.Me");

        t.Reopen();

        t.Volume.Lookup(Root, "keep.me").Value.Id.Should().Be(id);
        t.List().Should().Equal("Keep.Me");
    }
}
