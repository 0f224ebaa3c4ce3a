using CacheFs.Nodes;

namespace CacheFs.Tests.Conformance;

/// <summary>mkdir, rmdir, unlink and readdir.</summary>
public abstract partial class ConformanceCases
{
    [Fact]
    public void MakeDirectory_ExistingName_Exists()
    {
        Fs.MakeDirectory("d").Should().Be(FsStatus.Ok);
        MakeFile("f");

        Fs.MakeDirectory("d").Should().Be(FsStatus.Exists);
        Fs.MakeDirectory("f").Should().Be(FsStatus.Exists);
        StatOk("f").Kind.Should().Be(NodeKind.File);
    }

    [Fact]
    public void RemoveDirectory_NonEmpty_NotEmpty()
    {
        Fs.MakeDirectory("d").Should().Be(FsStatus.Ok);
        MakeFile("d/f");

        Fs.RemoveDirectory("d").Should().Be(FsStatus.NotEmpty);

        List("d").Should().Equal("f");
    }

    [Fact]
    public void RemoveDirectory_HoldingOnlyAnEmptyDirectory_NotEmpty()
    {
        Fs.MakeDirectory("d").Should().Be(FsStatus.Ok);
        Fs.MakeDirectory("d/e").Should().Be(FsStatus.Ok);

        Fs.RemoveDirectory("d").Should().Be(FsStatus.NotEmpty);
    }

    [Fact]
    public void RemoveDirectory_FileOrMissing_NotDirectoryOrNotFound()
    {
        MakeFile("f");

        Fs.RemoveDirectory("f").Should().Be(FsStatus.NotDirectory);
        Fs.RemoveDirectory("missing").Should().Be(FsStatus.NotFound);
        StatOk("f").Kind.Should().Be(NodeKind.File);
    }

    [Fact]
    public void RemoveDirectory_Empty_RemovesItAndItsLinkFromTheParent()
    {
        Fs.MakeDirectory("p").Should().Be(FsStatus.Ok);
        Fs.MakeDirectory("p/d").Should().Be(FsStatus.Ok);
        StatOk("p").LinkCount.Should().Be(3);

        Fs.RemoveDirectory("p/d").Should().Be(FsStatus.Ok);

        Fs.Stat("p/d").Status.Should().Be(FsStatus.NotFound);
        StatOk("p").LinkCount.Should().Be(2);
        List("p").Should().BeEmpty();
    }

    [Fact]
    public void Unlink_Directory_IsDirectory()
    {
        Fs.MakeDirectory("d").Should().Be(FsStatus.Ok);

        Fs.Unlink("d").Should().Be(FsStatus.IsDirectory);

        StatOk("d").Kind.Should().Be(NodeKind.Directory);
    }

    [Fact]
    public void Unlink_MissingOrUnderMissing_NotFound()
    {
        Fs.Unlink("missing").Should().Be(FsStatus.NotFound);
        Fs.Unlink("missing/f").Should().Be(FsStatus.NotFound);
    }

    [Fact]
    public void ReadDirectory_Empty_ListsNothing() => List().Should().BeEmpty();

    [Fact]
    public void ReadDirectory_File_NotDirectory()
    {
        MakeFile("f");

        Fs.ReadDirectory("f").Status.Should().Be(FsStatus.NotDirectory);
        Fs.ReadDirectory("missing").Status.Should().Be(FsStatus.NotFound);
    }

    [Fact]
    public void ReadDirectory_EveryKind_IsListedByName()
    {
        MakeFile("file");
        Fs.MakeDirectory("dir").Should().Be(FsStatus.Ok);
        Fs.Symlink("file", "link").Should().Be(FsStatus.Ok);
        Fs.MakeFifo("fifo", Mode("644")).Should().Be(FsStatus.Ok);
        Fs.Link("file", "hard").Should().Be(FsStatus.Ok);

        List().Should().BeEquivalentTo("file", "dir", "link", "fifo", "hard");
    }

    [Fact]
    public void ReadDirectory_AfterManyCreatesAndDeletes_ListsExactlyTheLiveNames()
    {
        var live = new HashSet<string>();
        for (var i = 0; i < 300; i++)
        {
            var name = $"file-{i:D3}-{new string('x', i % 40)}";
            MakeFile(name);
            live.Add(name);
            if (i % 3 == 0)
            {
                Fs.Unlink(name).Should().Be(FsStatus.Ok);
                live.Remove(name);
            }
        }

        for (var i = 0; i < 20; i++)
        {
            Fs.MakeDirectory($"dir-{i}").Should().Be(FsStatus.Ok);
            live.Add($"dir-{i}");
        }

        foreach (var name in live.Where(n => n.StartsWith("file-0", StringComparison.Ordinal)).ToList())
        {
            Fs.Rename(name, "renamed-" + name).Should().Be(FsStatus.Ok);
            live.Remove(name);
            live.Add("renamed-" + name);
        }

        var listed = List();
        listed.Should().OnlyHaveUniqueItems();
        listed.Should().BeEquivalentTo(live);
    }
}
