using CacheFs.Nodes;
using CacheFs.Volume;

namespace CacheFs.Tests.Volume;

public sealed class CreateTests
{
    [Fact]
    public void Create_NewName_CreatesEmptyFileWithOwnerAndTimes()
    {
        using var t = new TestVolume();
        var before = t.Volume.Now();

        var created = t.Volume.Create(NodeIds.Root, "a.txt", new NewNode(Convert.ToUInt32("640", 8), 1001, 1002), OpenFlags.ReadWrite, exclusive: true);

        var after = t.Volume.Now();
        created.Status.Should().Be(FsStatus.Ok);
        created.Value.Created.Should().BeTrue();
        var a = created.Value.Attributes;
        a.Kind.Should().Be(NodeKind.File);
        a.Id.Should().NotBe(NodeIds.Root);
        a.Size.Should().Be(0);
        a.Mode.Should().Be(Convert.ToUInt32("640", 8));
        a.Uid.Should().Be(1001);
        a.Gid.Should().Be(1002);
        a.LinkCount.Should().Be(1);
        a.Content.Should().Be(ContentState.Complete);
        a.ModifyTime.Should().BeGreaterThanOrEqualTo(before).And.BeLessThanOrEqualTo(after);
        a.ChangeTime.Should().Be(a.ModifyTime);
        a.AccessTime.Should().Be(a.ModifyTime);
        a.BirthTime.Should().Be(a.ModifyTime);
        t.Volume.Lookup(NodeIds.Root, "a.txt").Value.Id.Should().Be(a.Id);
        t.List().Should().Equal("a.txt");
        t.Volume.Release(created.Value.Handle).Ok();
    }

    [Fact]
    public void Create_ModeWithTypeBits_KeepsPermissionBitsOnly()
    {
        using var t = new TestVolume();

        var created = t.Volume.Create(NodeIds.Root, "f", new NewNode(Convert.ToUInt32("104755", 8), 0, 0), OpenFlags.Read, exclusive: true);

        created.Value.Attributes.Mode.Should().Be(Convert.ToUInt32("4755", 8));
    }

    [Fact]
    public void Create_WindowsAttributes_Stored()
    {
        using var t = new TestVolume(caseSensitive: false);

        var created = t.Volume.Create(NodeIds.Root, "f", TestVolume.Owner with { WindowsAttributes = 0x20 | 0x2 }, OpenFlags.Read, exclusive: true);

        t.Volume.Release(created.Value.Handle).Ok();
        t.Reopen();
        t.Volume.Attr(created.Value.Attributes.Id).WindowsAttributes.Should().Be(0x22u);
    }

    [Fact]
    public void Create_ReturnedHandle_ReadsAndWritesNewFile()
    {
        using var t = new TestVolume();
        var (id, handle) = t.CreateOpen("f");

        t.Volume.WriteAt(handle, 0, "abc"u8.ToArray());

        t.Volume.ReadAt(handle, 0, 10).Should().Equal("abc"u8.ToArray());
        t.Volume.Release(handle).Ok();
        t.ReadAll(id).Should().Equal("abc"u8.ToArray());
    }

    [Fact]
    public void Create_ExclusiveOnExistingFile_Exists()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", [1, 2, 3]);

        var again = t.Volume.Create(NodeIds.Root, "f", TestVolume.Owner, OpenFlags.ReadWrite, exclusive: true);

        again.Status.Should().Be(FsStatus.Exists);
        t.ReadAll(id).Should().Equal(1, 2, 3);
    }

    [Fact]
    public void Create_ExclusiveOnExistingDirectory_Exists()
    {
        using var t = new TestVolume();
        t.MakeDir("d");

        t.Volume.Create(NodeIds.Root, "d", TestVolume.Owner, OpenFlags.ReadWrite, exclusive: true).Status.Should().Be(FsStatus.Exists);
    }

    [Fact]
    public void Create_NonExclusiveOnExistingFile_OpensSameNodeUnchanged()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", [1, 2, 3]);

        var opened = t.Volume.Create(NodeIds.Root, "f", TestVolume.Owner, OpenFlags.Read, exclusive: false);

        opened.Status.Should().Be(FsStatus.Ok);
        opened.Value.Created.Should().BeFalse();
        opened.Value.Attributes.Id.Should().Be(id);
        opened.Value.Attributes.Size.Should().Be(3);
        t.Volume.ReadAt(opened.Value.Handle, 0, 10).Should().Equal(1, 2, 3);
        t.Volume.Release(opened.Value.Handle).Ok();
    }

    [Fact]
    public void Create_NonExclusiveWithTruncateOnExistingFile_Truncates()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", [1, 2, 3]);

        var opened = t.Volume.Create(NodeIds.Root, "f", TestVolume.Owner, OpenFlags.ReadWrite | OpenFlags.Truncate, exclusive: false);

        opened.Value.Created.Should().BeFalse();
        opened.Value.Attributes.Size.Should().Be(0);
        t.Volume.Release(opened.Value.Handle).Ok();
        t.Volume.Attr(id).Size.Should().Be(0);
    }

    [Fact]
    public void Create_NewWithTruncate_CreatedEmpty()
    {
        using var t = new TestVolume();

        var created = t.Volume.Create(NodeIds.Root, "f", TestVolume.Owner, OpenFlags.ReadWrite | OpenFlags.Truncate, exclusive: false);

        created.Status.Should().Be(FsStatus.Ok);
        created.Value.Created.Should().BeTrue();
        created.Value.Attributes.Size.Should().Be(0);
        t.Volume.Release(created.Value.Handle).Ok();
    }

    [Fact]
    public void Create_NonExclusiveOnExistingDirectory_IsDirectory()
    {
        using var t = new TestVolume();
        t.MakeDir("d");

        t.Volume.Create(NodeIds.Root, "d", TestVolume.Owner, OpenFlags.Read, exclusive: false).Status.Should().Be(FsStatus.IsDirectory);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("a\0")]
    public void Create_BadName_InvalidName(string name)
    {
        using var t = new TestVolume();

        t.Volume.Create(NodeIds.Root, name, TestVolume.Owner, OpenFlags.ReadWrite, exclusive: true).Status.Should().Be(FsStatus.InvalidName);
        t.Volume.Create(NodeIds.Root, name, TestVolume.Owner, OpenFlags.ReadWrite, exclusive: false).Status.Should().Be(FsStatus.InvalidName);
        t.List().Should().BeEmpty();
    }

    [Fact]
    public void Create_NamesWithDifferentLoneSurrogates_RefusedNotAliased()
    {
        using var t = new TestVolume(caseSensitive: false);

        t.Volume.Create(NodeIds.Root, "a\uD800", TestVolume.Owner, OpenFlags.Read, exclusive: true).Status.Should().Be(FsStatus.InvalidName);
        t.Volume.MakeDirectory(NodeIds.Root, "a\uDBFF", TestVolume.DirOwner).Status.Should().Be(FsStatus.InvalidName);

        t.List().Should().BeEmpty();
    }

    [Fact]
    public void Create_NameOf255Bytes_Ok()
    {
        using var t = new TestVolume();
        var name = new string('€', 85);

        var created = t.Volume.Create(NodeIds.Root, name, TestVolume.Owner, OpenFlags.Read, exclusive: true);

        created.Status.Should().Be(FsStatus.Ok);
        t.List().Should().Equal(name);
    }

    [Fact]
    public void Create_NameOf256Bytes_NameTooLong()
    {
        using var t = new TestVolume();

        t.Volume.Create(NodeIds.Root, new string('é', 128), TestVolume.Owner, OpenFlags.Read, exclusive: true).Status.Should().Be(FsStatus.NameTooLong);
        t.List().Should().BeEmpty();
    }

    [Fact]
    public void Create_MissingParent_NotFound()
    {
        using var t = new TestVolume();

        t.Volume.Create(424242, "f", TestVolume.Owner, OpenFlags.ReadWrite, exclusive: true).Status.Should().Be(FsStatus.NotFound);
        t.Volume.Create(424242, "f", TestVolume.Owner, OpenFlags.ReadWrite, exclusive: false).Status.Should().Be(FsStatus.NotFound);
    }

    [Fact]
    public void Create_RemovedParent_NotFound()
    {
        using var t = new TestVolume();
        var dir = t.MakeDir("d");
        t.Volume.RemoveDirectory(NodeIds.Root, "d").Ok();

        t.Volume.Create(dir, "f", TestVolume.Owner, OpenFlags.ReadWrite, exclusive: true).Status.Should().Be(FsStatus.NotFound);
        t.Volume.GetStatistics().Value.Nodes.Should().Be(1);
    }

    [Fact]
    public void Create_ParentIsFile_NotDirectory()
    {
        using var t = new TestVolume();
        var file = t.MakeFile("f");

        t.Volume.Create(file, "g", TestVolume.Owner, OpenFlags.ReadWrite, exclusive: true).Status.Should().Be(FsStatus.NotDirectory);
        t.Volume.Create(file, "g", TestVolume.Owner, OpenFlags.ReadWrite, exclusive: false).Status.Should().Be(FsStatus.NotDirectory);
    }

    [Fact]
    public void Create_InSubdirectory_TouchesOnlyThatDirectory()
    {
        using var t = new TestVolume();
        var dir = t.MakeDir("d");
        t.Volume.Backdate(dir);
        t.Volume.Backdate(NodeIds.Root);

        var id = t.MakeFile("f", parent: dir);

        var d = t.Volume.Attr(dir);
        d.ModifyTime.Should().BeGreaterThan(VolumeTestExtensions.Past);
        d.ChangeTime.Should().Be(d.ModifyTime);
        d.LinkCount.Should().Be(2, "a file is not a subdirectory");
        t.Volume.Attr(NodeIds.Root).ModifyTime.Should().Be(VolumeTestExtensions.Past);
        t.Volume.At("/d/f").Id.Should().Be(id);
    }

    [Fact]
    public void Create_SameNameInTwoDirectories_TwoNodes()
    {
        using var t = new TestVolume();
        var a = t.MakeDir("a");
        var b = t.MakeDir("b");

        var fa = t.MakeFile("f", [1], a);
        var fb = t.MakeFile("f", [2], b);

        fa.Should().NotBe(fb);
        t.ReadAll(t.Volume.At("/a/f").Id).Should().Equal(1);
        t.ReadAll(t.Volume.At("/b/f").Id).Should().Equal(2);
    }

    [Fact]
    public void Create_CaseSensitiveVolume_NamesDifferingInCaseAreDistinct()
    {
        using var t = new TestVolume(caseSensitive: true);

        var lower = t.MakeFile("name");
        var upper = t.MakeFile("NAME");

        lower.Should().NotBe(upper);
        t.List().Should().BeEquivalentTo("name", "NAME");
    }

    [Fact]
    public void Create_NodeIds_NeverReused()
    {
        using var t = new TestVolume();
        var first = t.MakeFile("f");
        t.Volume.Unlink(NodeIds.Root, "f").Ok();

        var second = t.MakeFile("f");

        second.Should().BeGreaterThan(first);
        t.Volume.GetAttributes(first).Status.Should().Be(FsStatus.NotFound);
    }
}
