using CacheFs.Nodes;
using CacheFs.Volume;

namespace CacheFs.Tests.Volume;

public sealed class DirectoryTests
{
    private const long Root = NodeIds.Root;

    [Fact]
    public void MakeDirectory_New_EmptyDirectoryWithTwoLinks()
    {
        using var t = new TestVolume();
        var before = t.Volume.Now();

        var made = t.Volume.MakeDirectory(Root, "d", new NewNode(Convert.ToUInt32("1777", 8), 5, 6));

        made.Status.Should().Be(FsStatus.Ok);
        var d = made.Value;
        d.Kind.Should().Be(NodeKind.Directory);
        d.LinkCount.Should().Be(2);
        d.Mode.Should().Be(Convert.ToUInt32("1777", 8));
        d.Uid.Should().Be(5);
        d.Gid.Should().Be(6);
        d.BirthTime.Should().BeGreaterThanOrEqualTo(before);
        t.List(d.Id).Should().BeEmpty();
        t.Volume.Lookup(Root, "d").Value.Id.Should().Be(d.Id);
    }

    [Fact]
    public void MakeDirectory_ExistingName_Exists()
    {
        using var t = new TestVolume();
        t.MakeDir("d");
        t.MakeFile("f");

        t.Volume.MakeDirectory(Root, "d", TestVolume.DirOwner).Status.Should().Be(FsStatus.Exists);
        t.Volume.MakeDirectory(Root, "f", TestVolume.DirOwner).Status.Should().Be(FsStatus.Exists);
        t.Volume.Attr(Root).LinkCount.Should().Be(3);
    }

    [Fact]
    public void MakeDirectory_MissingParent_NotFound()
    {
        using var t = new TestVolume();

        t.Volume.MakeDirectory(31337, "d", TestVolume.DirOwner).Status.Should().Be(FsStatus.NotFound);
    }

    [Fact]
    public void MakeDirectory_ParentIsFile_NotDirectory()
    {
        using var t = new TestVolume();
        var f = t.MakeFile("f");

        t.Volume.MakeDirectory(f, "d", TestVolume.DirOwner).Status.Should().Be(FsStatus.NotDirectory);
    }

    [Theory]
    [InlineData("", FsStatus.InvalidName)]
    [InlineData(".", FsStatus.InvalidName)]
    [InlineData("..", FsStatus.InvalidName)]
    [InlineData("a/b", FsStatus.InvalidName)]
    [InlineData("a\0b", FsStatus.InvalidName)]
    public void MakeDirectory_BadName_Refused(string name, FsStatus expected)
    {
        using var t = new TestVolume();

        t.Volume.MakeDirectory(Root, name, TestVolume.DirOwner).Status.Should().Be(expected);
        t.Volume.Attr(Root).LinkCount.Should().Be(2);
    }

    [Fact]
    public void MakeDirectory_NameLengthBoundary_255BytesOk256TooLong()
    {
        using var t = new TestVolume();

        t.Volume.MakeDirectory(Root, new string('é', 127) + "x", TestVolume.DirOwner).Status.Should().Be(FsStatus.Ok);
        t.Volume.MakeDirectory(Root, new string('é', 127) + "xy", TestVolume.DirOwner).Status.Should().Be(FsStatus.NameTooLong);
    }

    [Fact]
    public void MakeDirectory_New_MovesParentTimes()
    {
        using var t = new TestVolume();
        t.Volume.Backdate(Root);

        t.MakeDir("d");

        t.Volume.Attr(Root).ModifyTime.Should().BeGreaterThan(VolumeTestExtensions.Past);
        t.Volume.Attr(Root).ChangeTime.Should().BeGreaterThan(VolumeTestExtensions.Past);
    }

    [Fact]
    public void LinkCount_MkdirRmdirRename_TwoPlusSubdirectories()
    {
        using var t = new TestVolume();
        Links(t, Root).Should().Be(2);

        var a = t.MakeDir("a");
        var b = t.MakeDir("b");
        Links(t, Root).Should().Be(4);

        var sub = t.MakeDir("sub", a);
        t.MakeDir("sub2", a);
        t.MakeFile("file", parent: a);
        Links(t, a).Should().Be(4);
        Links(t, sub).Should().Be(2);

        t.Volume.Rename(a, "sub", b, "sub").Ok();
        Links(t, a).Should().Be(3);
        Links(t, b).Should().Be(3);
        Links(t, sub).Should().Be(2);

        t.Volume.Rename(b, "sub", b, "renamed").Ok();
        Links(t, b).Should().Be(3);

        t.Volume.Rename(a, "file", b, "file").Ok();
        Links(t, a).Should().Be(3);
        Links(t, b).Should().Be(3);

        t.Volume.RemoveDirectory(a, "sub2").Ok();
        Links(t, a).Should().Be(2);

        t.Volume.Rename(b, "renamed", Root, "top").Ok();
        Links(t, b).Should().Be(2);
        Links(t, Root).Should().Be(5);

        t.Volume.RemoveDirectory(Root, "top").Ok();
        Links(t, Root).Should().Be(4);

        t.Reopen();
        Links(t, Root).Should().Be(4);
        Links(t, a).Should().Be(2);
        Links(t, b).Should().Be(2);
    }

    [Fact]
    public void LinkCount_RenameDirectoryOverEmptyDirectoryAcrossParents_Correct()
    {
        using var t = new TestVolume();
        var p = t.MakeDir("p");
        var q = t.MakeDir("q");
        t.MakeDir("x", p);
        t.MakeDir("y", q);

        t.Volume.Rename(p, "x", q, "y").Ok();

        Links(t, p).Should().Be(2);
        Links(t, q).Should().Be(3);
        t.List(q).Should().Equal("y");
    }

    [Fact]
    public void LinkCount_RenameDirectoryOverEmptyDirectorySameParent_Correct()
    {
        using var t = new TestVolume();
        var p = t.MakeDir("p");
        t.MakeDir("x", p);
        t.MakeDir("y", p);

        t.Volume.Rename(p, "x", p, "y").Ok();

        Links(t, p).Should().Be(3);
        t.List(p).Should().Equal("y");
    }

    [Fact]
    public void RemoveDirectory_Empty_Removed()
    {
        using var t = new TestVolume();
        var d = t.MakeDir("d");
        t.Volume.Backdate(Root);

        t.Volume.RemoveDirectory(Root, "d").Ok();

        t.Volume.GetAttributes(d).Status.Should().Be(FsStatus.NotFound);
        t.Volume.Lookup(Root, "d").Status.Should().Be(FsStatus.NotFound);
        t.Volume.ReadDirectory(d, 0, 10).Status.Should().Be(FsStatus.NotFound);
        t.Volume.Attr(Root).ModifyTime.Should().BeGreaterThan(VolumeTestExtensions.Past);
        t.List().Should().BeEmpty();
    }

    [Fact]
    public void RemoveDirectory_WithFile_NotEmpty()
    {
        using var t = new TestVolume();
        var d = t.MakeDir("d");
        t.MakeFile("f", parent: d);

        t.Volume.RemoveDirectory(Root, "d").Should().Be(FsStatus.NotEmpty);
        t.Volume.Attr(d).LinkCount.Should().Be(2);
    }

    [Fact]
    public void RemoveDirectory_WithSubdirectory_NotEmpty()
    {
        using var t = new TestVolume();
        var d = t.MakeDir("d");
        t.MakeDir("s", d);

        t.Volume.RemoveDirectory(Root, "d").Should().Be(FsStatus.NotEmpty);
    }

    [Fact]
    public void RemoveDirectory_AfterEmptying_Ok()
    {
        using var t = new TestVolume();
        var d = t.MakeDir("d");
        t.MakeFile("f", parent: d);
        t.Volume.Unlink(d, "f").Ok();

        t.Volume.RemoveDirectory(Root, "d").Ok();
    }

    [Fact]
    public void RemoveDirectory_File_NotDirectory()
    {
        using var t = new TestVolume();
        var f = t.MakeFile("f");

        t.Volume.RemoveDirectory(Root, "f").Should().Be(FsStatus.NotDirectory);
        t.Volume.Lookup(Root, "f").Value.Id.Should().Be(f);
    }

    [Fact]
    public void RemoveDirectory_Symlink_NotDirectory()
    {
        using var t = new TestVolume();
        t.MakeDir("d");
        t.Volume.MakeSymlink(Root, "l", "d", TestVolume.Owner).Status.Should().Be(FsStatus.Ok);

        t.Volume.RemoveDirectory(Root, "l").Should().Be(FsStatus.NotDirectory);
    }

    [Fact]
    public void RemoveDirectory_Missing_NotFound()
    {
        using var t = new TestVolume();

        t.Volume.RemoveDirectory(Root, "nope").Should().Be(FsStatus.NotFound);
        t.Volume.RemoveDirectory(999, "nope").Should().Be(FsStatus.NotFound);
    }

    [Fact]
    public void RemoveDirectory_ParentIsFile_NotDirectory()
    {
        using var t = new TestVolume();
        var f = t.MakeFile("f");

        t.Volume.RemoveDirectory(f, "x").Should().Be(FsStatus.NotDirectory);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("a/b")]
    public void RemoveDirectory_BadName_InvalidName(string name)
    {
        using var t = new TestVolume();

        t.Volume.RemoveDirectory(Root, name).Should().Be(FsStatus.InvalidName);
    }

    [Fact]
    public void RemoveDirectory_OpenDirectory_HandleStillReleasable()
    {
        using var t = new TestVolume();
        var d = t.MakeDir("d");
        var h = t.Volume.OpenHandle(d, OpenFlags.Read);

        t.Volume.RemoveDirectory(Root, "d").Ok();

        t.Volume.ReadDirectory(d, 0, 10).Status.Should().Be(FsStatus.NotFound);
        t.Volume.Release(h).Ok();
    }

    [Fact]
    public void ReadDirectory_Entries_InCreationOrderWithAttributes()
    {
        using var t = new TestVolume();
        var f = t.MakeFile("zeta", [1, 2, 3]);
        var d = t.MakeDir("alpha");
        var l = t.Volume.MakeSymlink(Root, "mid", "zeta", TestVolume.Owner).Value.Id;

        var entries = t.Volume.ReadDirectory(Root, 0, 100).Value;

        entries.Select(e => e.Name).Should().Equal("zeta", "alpha", "mid");
        entries.Select(e => e.Attributes.Id).Should().Equal(f, d, l);
        entries[0].Attributes.Size.Should().Be(3);
        entries[1].Attributes.Kind.Should().Be(NodeKind.Directory);
        entries[2].Attributes.Kind.Should().Be(NodeKind.Symlink);
        entries.Select(e => e.Cookie).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        entries.Should().NotContain(e => e.Name == "." || e.Name == "..", "the host adds the dot entries");
    }

    [Fact]
    public void ReadDirectory_Paging_ResumesAfterCookie()
    {
        using var t = new TestVolume();
        for (var i = 0; i < 10; i++)
            t.Volume.MakeNode(Root, "n" + i, NodeKind.File, TestVolume.Owner).Status.Should().Be(FsStatus.Ok);

        var first = t.Volume.ReadDirectory(Root, 0, 4).Value;
        var second = t.Volume.ReadDirectory(Root, first[^1].Cookie, 4).Value;
        var third = t.Volume.ReadDirectory(Root, second[^1].Cookie, 4).Value;
        var end = t.Volume.ReadDirectory(Root, third[^1].Cookie, 4).Value;

        first.Should().HaveCount(4);
        second.Should().HaveCount(4);
        third.Should().HaveCount(2);
        end.Should().BeEmpty();
        first.Concat(second).Concat(third).Select(e => e.Name).Should().Equal(Enumerable.Range(0, 10).Select(i => "n" + i));
    }

    [Fact]
    public void ReadDirectory_OpenFile_ShowsLiveSize()
    {
        using var t = new TestVolume();
        var (_, h) = t.CreateOpen("f");
        t.Volume.WriteAt(h, 0, [1]);
        t.Volume.WriteAt(h, 1, [2, 3, 4]);

        t.Volume.ReadDirectory(Root, 0, 10).Value.Single().Attributes.Size.Should().Be(4);
        t.Volume.Release(h).Ok();
    }

    [Fact]
    public void ReadDirectory_HardLinks_BothNamesListed()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("a");
        t.Volume.Link(id, Root, "b").Status.Should().Be(FsStatus.Ok);

        var entries = t.Volume.ReadDirectory(Root, 0, 10).Value;

        entries.Select(e => e.Name).Should().Equal("a", "b");
        entries.Should().OnlyContain(e => e.Attributes.Id == id && e.Attributes.LinkCount == 2);
    }

    [Fact]
    public void ReadDirectory_TwoDirectories_OnlyItsOwnEntries()
    {
        using var t = new TestVolume();
        var a = t.MakeDir("a");
        var b = t.MakeDir("b");
        t.MakeFile("in-a", parent: a);
        t.MakeFile("in-b", parent: b);

        t.List(a).Should().Equal("in-a");
        t.List(b).Should().Equal("in-b");
        t.List().Should().Equal("a", "b");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void ReadDirectory_NonPositiveMax_InvalidArgument(int max)
    {
        using var t = new TestVolume();

        t.Volume.ReadDirectory(Root, 0, max).Status.Should().Be(FsStatus.InvalidArgument);
    }

    [Fact]
    public void ReadDirectory_File_NotDirectory()
    {
        using var t = new TestVolume();
        var f = t.MakeFile("f");

        t.Volume.ReadDirectory(f, 0, 10).Status.Should().Be(FsStatus.NotDirectory);
    }

    [Fact]
    public void ReadDirectory_Missing_NotFound()
    {
        using var t = new TestVolume();

        t.Volume.ReadDirectory(8888, 0, 10).Status.Should().Be(FsStatus.NotFound);
    }

    [Fact]
    public void ReadDirectory_CookieAcrossReopen_Resumes()
    {
        using var t = new TestVolume();
        for (var i = 0; i < 20; i++)
            t.Volume.MakeNode(Root, "n" + i, NodeKind.File, TestVolume.Owner).Status.Should().Be(FsStatus.Ok);
        var page = t.Volume.ReadDirectory(Root, 0, 7).Value;

        t.Reopen();

        var rest = t.Volume.ReadDirectory(Root, page[^1].Cookie, 100).Value;
        rest.Select(e => e.Name).Should().Equal(Enumerable.Range(7, 13).Select(i => "n" + i));
    }

    [Fact]
    public void ReadDirectory_5000EntriesChangingBetweenPages_EachSteadyEntryExactlyOnce()
    {
        using var t = new TestVolume();
        const int initial = 5000;
        var random = new Random(1234);
        for (var i = 0; i < initial; i++)
            t.Volume.MakeNode(Root, $"e{i:D5}", NodeKind.File, TestVolume.Owner).Status.Should().Be(FsStatus.Ok);

        var present = new HashSet<string>(Enumerable.Range(0, initial).Select(i => $"e{i:D5}"), StringComparer.Ordinal);
        var steady = new HashSet<string>(present, StringComparer.Ordinal); // present from start to end under one name
        var everExisted = new HashSet<string>(present, StringComparer.Ordinal);
        var seen = new List<string>();
        var seenIds = new HashSet<long>();
        var added = 0;
        var pages = 0;
        long cookie = 0;
        while (true)
        {
            var page = t.Volume.ReadDirectory(Root, cookie, 97);
            page.Status.Should().Be(FsStatus.Ok);
            if (page.Value.Count == 0)
                break;
            foreach (var entry in page.Value)
            {
                entry.Cookie.Should().BeGreaterThan(cookie);
                seenIds.Add(entry.Attributes.Id).Should().BeTrue("node {0} ({1}) must not be listed twice", entry.Attributes.Id, entry.Name);
                cookie = entry.Cookie;
            }

            seen.AddRange(page.Value.Select(e => e.Name));

            // Between the first pages: remove some names (listed or not), add new ones, rename one. New names land
            // after the cursor, so changing after every page would keep the listing from ever reaching its end.
            if (++pages > 40)
                continue;
            for (var k = 0; k < 5; k++)
            {
                var victim = present.ElementAt(random.Next(present.Count));
                t.Volume.Unlink(Root, victim).Ok();
                present.Remove(victim);
                steady.Remove(victim);
            }

            for (var k = 0; k < 4; k++)
            {
                var name = $"new{added++:D5}";
                t.Volume.MakeNode(Root, name, NodeKind.File, TestVolume.Owner).Status.Should().Be(FsStatus.Ok);
                present.Add(name);
                everExisted.Add(name);
            }

            var renamed = present.ElementAt(random.Next(present.Count));
            var newName = "r-" + renamed;
            t.Volume.Rename(Root, renamed, Root, newName).Ok();
            present.Remove(renamed);
            steady.Remove(renamed);
            present.Add(newName);
            everExisted.Add(newName);
        }

        seen.Should().OnlyHaveUniqueItems();
        seen.Should().OnlyContain(n => everExisted.Contains(n));
        seen.Should().Contain(steady);
        steady.Count.Should().BeGreaterThan(3000, "the test must keep most entries steady to mean something");
        t.List().Should().BeEquivalentTo(present);
    }

    private static uint Links(TestVolume t, long id) => t.Volume.Attr(id).LinkCount;
}
