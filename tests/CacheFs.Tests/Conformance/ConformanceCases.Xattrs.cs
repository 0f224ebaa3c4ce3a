using CacheFs.Volume;

namespace CacheFs.Tests.Conformance;

/// <summary>Extended attributes in the user namespace, with XATTR_CREATE and XATTR_REPLACE.</summary>
public abstract partial class ConformanceCases
{
    [Fact]
    public void SetXattr_ThenGet_RoundTripsBinaryValue()
    {
        MakeFile("f");
        byte[] value = [0, 1, 2, 0, 255];

        Fs.SetXattr("f", "user.binary", value).Should().Be(FsStatus.Ok);

        Fs.GetXattr("f", "user.binary").Value.Should().Equal(value);
    }

    [Fact]
    public void SetXattr_CreateOnlyOnExisting_ExistsAndKeepsTheValue()
    {
        MakeFile("f");
        Fs.SetXattr("f", "user.a", [1], XattrSetMode.CreateOnly).Should().Be(FsStatus.Ok);

        Fs.SetXattr("f", "user.a", [2], XattrSetMode.CreateOnly).Should().Be(FsStatus.Exists);

        Fs.GetXattr("f", "user.a").Value.Should().Equal(1);
    }

    [Fact]
    public void SetXattr_ReplaceOnlyOnMissing_NoAttribute()
    {
        MakeFile("f");

        Fs.SetXattr("f", "user.a", [1], XattrSetMode.ReplaceOnly).Should().Be(FsStatus.NoAttribute);

        Fs.GetXattr("f", "user.a").Status.Should().Be(FsStatus.NoAttribute);
    }

    [Fact]
    public void SetXattr_ReplaceOnlyOnExisting_ChangesTheValue()
    {
        MakeFile("f");
        Fs.SetXattr("f", "user.a", [1, 1, 1]).Should().Be(FsStatus.Ok);

        Fs.SetXattr("f", "user.a", [2], XattrSetMode.ReplaceOnly).Should().Be(FsStatus.Ok);

        Fs.GetXattr("f", "user.a").Value.Should().Equal(2);
    }

    [Fact]
    public void GetXattr_MissingNameOrFile_NoAttributeOrNotFound()
    {
        MakeFile("f");

        Fs.GetXattr("f", "user.none").Status.Should().Be(FsStatus.NoAttribute);
        Fs.GetXattr("missing", "user.none").Status.Should().Be(FsStatus.NotFound);
    }

    [Fact]
    public void ListXattrs_AfterSetsAndARemove_ListsTheLiveNames()
    {
        MakeFile("f");
        Fs.ListXattrs("f").Value.Should().BeEmpty();

        foreach (var name in new[] { "user.one", "user.two", "user.three" })
            Fs.SetXattr("f", name, [1]).Should().Be(FsStatus.Ok);
        Fs.RemoveXattr("f", "user.two").Should().Be(FsStatus.Ok);

        Fs.ListXattrs("f").Value.Should().BeEquivalentTo("user.one", "user.three");
    }

    [Fact]
    public void RemoveXattr_ThenAgain_NoAttribute()
    {
        MakeFile("f");
        Fs.SetXattr("f", "user.a", [1]).Should().Be(FsStatus.Ok);

        Fs.RemoveXattr("f", "user.a").Should().Be(FsStatus.Ok);

        Fs.GetXattr("f", "user.a").Status.Should().Be(FsStatus.NoAttribute);
        Fs.RemoveXattr("f", "user.a").Should().Be(FsStatus.NoAttribute);
    }

    [Fact]
    public void SetXattr_ValueOf64KiB_RoundTripsAndOneMoreByteIsTooLarge()
    {
        MakeFile("f");
        var largest = Bytes(64 * 1024, seed: 5);

        Fs.SetXattr("f", "user.big", largest).Should().Be(FsStatus.Ok);
        Fs.SetXattr("f", "user.bigger", Bytes((64 * 1024) + 1)).Should().Be(FsStatus.ValueTooLarge);

        Fs.GetXattr("f", "user.big").Value.Should().Equal(largest);
        Fs.ListXattrs("f").Value.Should().Equal("user.big");
    }

    [Fact]
    public void SetXattr_NameOver255Bytes_NameTooLong()
    {
        MakeFile("f");
        var longest = "user." + new string('n', 250);

        Fs.SetXattr("f", longest, [1]).Should().Be(FsStatus.Ok);
        Fs.SetXattr("f", longest + "n", [1]).Should().Be(FsStatus.NameTooLong);

        Fs.ListXattrs("f").Value.Should().Equal(longest);
    }

    [Fact]
    public void SetXattr_EmptyValueOnADirectory_RoundTrips()
    {
        Fs.MakeDirectory("d").Should().Be(FsStatus.Ok);

        Fs.SetXattr("d", "user.empty", []).Should().Be(FsStatus.Ok);

        Fs.GetXattr("d", "user.empty").Value.Should().BeEmpty();
        Fs.ListXattrs("d").Value.Should().Equal("user.empty");
    }

    [Fact]
    public void SetXattr_UserNamespaceOnSymlinkOrFifo_NotPermitted()
    {
        Fs.Symlink("target", "link").Should().Be(FsStatus.Ok);
        Fs.MakeFifo("pipe", Mode("644")).Should().Be(FsStatus.Ok);

        Fs.SetXattr("link", "user.a", [1]).Should().Be(FsStatus.NotPermitted);
        Fs.SetXattr("pipe", "user.a", [1]).Should().Be(FsStatus.NotPermitted);
        Fs.GetXattr("link", "user.a").Status.Should().Be(FsStatus.NoAttribute);
        Fs.ListXattrs("link").Value.Should().BeEmpty();
    }
}
