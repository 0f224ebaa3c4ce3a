using CacheFs.Nodes;
using CacheFs.Remote;
using CacheFs.Volume;

namespace CacheFs.Tests.Volume;

/// <summary>
/// The origin's changes coming into the core: listings fill unlisted directories once, change events place, refresh,
/// remove and move names, and nothing the user changed here and the origin has not acknowledged is overwritten.
/// </summary>
public sealed class RemoteChangeTests
{
    private static readonly uint Mode644 = Convert.ToUInt32("644", 8);
    private static readonly uint Mode600 = Convert.ToUInt32("600", 8);
    private static readonly Timestamp Then = Timestamp.FromUnix(1_700_000_000, 5);
    private static readonly Timestamp Later = Timestamp.FromUnix(1_700_000_100, 7);

    internal static RemoteNode File(long originId, string version, long size, uint? mode = null, Timestamp? modified = null) => new()
    {
        OriginId = originId,
        Kind = NodeKind.File,
        ContentVersion = version,
        Size = size,
        Mode = mode ?? Mode644,
        Uid = 1000,
        Gid = 100,
        AccessTime = Then,
        ModifyTime = modified ?? Then,
        ChangeTime = modified ?? Then,
        BirthTime = Then,
    };

    internal static RemoteNode Dir(long originId, uint? mode = null) => new()
    {
        OriginId = originId,
        Kind = NodeKind.Directory,
        ContentVersion = "d" + originId,
        Mode = mode ?? Convert.ToUInt32("755", 8),
        ModifyTime = Then,
        ChangeTime = Then,
    };

    /// <summary>Fills the unlisted root as a lister would.</summary>
    internal static void ListRoot(CacheVolume volume, params (string Name, RemoteNode Node)[] entries) =>
        volume.ApplyListing(NodeIds.Root, entries).Should().Be(FsStatus.Ok);

    [Fact]
    public void ApplyListing_UnlistedRoot_PlacesTheOriginsNodesAsPlaceholders()
    {
        using var t = new OutboxVolume();
        var xattrs = new Dictionary<string, byte[]> { ["user.tag"] = [1, 2] };
        ListRoot(
            t.Volume,
            ("a.txt", File(10, "5", 1234, mode: 0x8000 | Mode600, modified: Later) with { Xattrs = xattrs }),
            ("sub", Dir(11)),
            ("ln", new RemoteNode { OriginId = 12, Kind = NodeKind.Symlink, ContentVersion = "1", Size = 5, Mode = 0x1FF, Target = "a.txt" }),
            ("p", new RemoteNode { OriginId = 13, Kind = NodeKind.Fifo, ContentVersion = "1", Mode = Mode644 }));

        var a = t.Volume.At("a.txt");
        a.Kind.Should().Be(NodeKind.File);
        a.Size.Should().Be(1234);
        a.Mode.Should().Be(Mode600, "the type bits are the kind's, not the mode's");
        (a.Uid, a.Gid).Should().Be((1000u, 100u));
        a.ModifyTime.Should().Be(Later);
        a.OriginId.Should().Be(10);
        a.OriginVersion.Should().Be("5");
        a.Content.Should().Be(ContentState.Placeholder);
        a.CachedBytes.Should().Be(0);
        a.Dirty.Should().BeFalse();
        t.Volume.GetXattr(a.Id, "user.tag").Value.Should().Equal(1, 2);
        var sub = t.Volume.At("sub");
        sub.Content.Should().Be(ContentState.Placeholder, "its own names come with its own listing");
        sub.LinkCount.Should().Be(2);
        t.Volume.Attr(NodeIds.Root).LinkCount.Should().Be(3);
        t.Volume.Attr(NodeIds.Root).Content.Should().Be(ContentState.Complete);
        t.Volume.ReadLink(t.Volume.At("ln").Id).Value.Should().Be("a.txt");
        t.Volume.At("ln").Size.Should().Be(5);
        t.Volume.At("p").Kind.Should().Be(NodeKind.Fifo);
        t.List().Should().BeEquivalentTo("a.txt", "sub", "ln", "p");
        t.Volume.OutboxLength.Should().Be(0, "what came from the origin goes nowhere");
    }

    [Fact]
    public void ApplyListing_DirectoryListedMeanwhile_ChangesNothing()
    {
        using var t = new OutboxVolume();
        ListRoot(t.Volume, ("a", File(1, "1", 0)));

        ListRoot(t.Volume, ("b", File(2, "1", 0)));

        t.List().Should().Equal("a");
    }

    [Fact]
    public void ApplyListing_InvalidNames_Skipped()
    {
        using var t = new OutboxVolume();

        ListRoot(t.Volume, ("", File(1, "1", 0)), ("..", Dir(2)), ("x/y", File(3, "1", 0)), ("ok", File(4, "1", 0)));

        t.List().Should().Equal("ok");
    }

    [Fact]
    public void ApplyListing_NotADirectory_NotFound()
    {
        using var t = new OutboxVolume();
        ListRoot(t.Volume, ("f", File(1, "1", 0)));

        t.Volume.ApplyListing(t.Volume.At("f").Id, [("x", File(2, "1", 0))]).Should().Be(FsStatus.NotFound);
        t.Volume.ApplyListing(999_999, []).Should().Be(FsStatus.NotFound);
    }

    [Fact]
    public void Lookup_UnlistedDirectory_ListsOnceThenAnswersFromTheCache()
    {
        using var t = new OutboxVolume();
        var lister = new FakeLister(t.Volume)
        {
            [""] = [("a", File(1, "1", 3)), ("sub", Dir(2))],
            ["sub"] = [("x", File(3, "1", 3))],
        };
        t.Volume.Lister = lister;

        t.Volume.Lookup(NodeIds.Root, "a").Status.Should().Be(FsStatus.Ok);
        t.Volume.Lookup(NodeIds.Root, "missing").Status.Should().Be(FsStatus.NotFound);
        t.List().Should().BeEquivalentTo("a", "sub");
        lister.Calls.Should().Equal(NodeIds.Root);

        var sub = t.Volume.At("sub").Id;
        lister.Calls.Should().Equal([NodeIds.Root], "resolving a directory does not list it");
        t.Volume.Lookup(sub, "x").Status.Should().Be(FsStatus.Ok);
        t.Volume.Lookup(sub, "y").Status.Should().Be(FsStatus.NotFound);
        t.List(sub).Should().Equal("x");
        lister.Calls.Should().Equal(NodeIds.Root, sub);
    }

    [Fact]
    public void ReadDirectory_UnlistedDirectory_ListsOnce()
    {
        using var t = new OutboxVolume();
        var lister = new FakeLister(t.Volume) { [""] = [("a", File(1, "1", 3)), ("b", File(2, "1", 3))] };
        t.Volume.Lister = lister;

        t.List().Should().Equal("a", "b");
        t.List().Should().Equal("a", "b");
        t.Volume.Lookup(NodeIds.Root, "b").Status.Should().Be(FsStatus.Ok);

        lister.Calls.Should().HaveCount(1);
    }

    [Fact]
    public void Lookup_ListerFails_ItsStatusAndAskedAgainNextTime()
    {
        using var t = new OutboxVolume();
        var lister = new FakeLister(t.Volume) { [""] = [("a", File(1, "1", 3))], Failure = FsStatus.ContentUnavailable };
        t.Volume.Lister = lister;

        t.Volume.Lookup(NodeIds.Root, "a").Status.Should().Be(FsStatus.ContentUnavailable);
        t.Volume.ReadDirectory(NodeIds.Root, 0, 10).Status.Should().Be(FsStatus.ContentUnavailable);
        lister.Failure = FsStatus.Ok;
        t.Volume.Lookup(NodeIds.Root, "a").Status.Should().Be(FsStatus.Ok);
        t.Volume.Lookup(NodeIds.Root, "a").Status.Should().Be(FsStatus.Ok);

        lister.Calls.Should().HaveCount(3);
    }

    [Fact]
    public void Create_NameTheUnlistedOriginDirectoryHas_ListsFirstAndFindsIt()
    {
        using var t = new OutboxVolume();
        var lister = new FakeLister(t.Volume) { [""] = [("taken", File(1, "1", 3))] };
        t.Volume.Lister = lister;

        t.Volume.Create(NodeIds.Root, "taken", TestVolume.Owner, OpenFlags.ReadWrite, exclusive: true).Status.Should().Be(FsStatus.Exists);
        t.MakeDir("new");

        lister.Calls.Should().HaveCount(1);
        t.List().Should().Equal("taken", "new");
        t.Volume.Outbox().Should().Equal(OutboxKind.MakeDirectory);
    }

    [Fact]
    public void Lookup_LocalVolumeWithALister_NeverAsks()
    {
        using var t = new OutboxVolume(outbox: false);
        var lister = new FakeLister(t.Volume) { [""] = [("a", File(1, "1", 3))] };
        t.Volume.Lister = lister;

        t.Volume.Lookup(NodeIds.Root, "a").Status.Should().Be(FsStatus.NotFound);
        t.List().Should().BeEmpty();
        lister.Calls.Should().BeEmpty();
    }

    [Fact]
    public void ApplyRemoteNode_NewNameInAListedDirectory_PlaceholderAndAnEntryChange()
    {
        using var t = new OutboxVolume();
        ListRoot(t.Volume);
        var changes = Record(t.Volume);

        t.Volume.ApplyRemoteNode("n", File(5, "3", 10)).Should().Be(FsStatus.Ok);

        var n = t.Volume.At("n");
        (n.OriginId, n.OriginVersion, n.Size, n.Content).Should().Be((5L, "3", 10L, ContentState.Placeholder));
        changes.Should().Equal(VolumeChange.Entry(NodeIds.Root, "n"));
        t.Volume.OutboxLength.Should().Be(0);
    }

    [Fact]
    public void ApplyRemoteNode_UnlistedDirectory_IgnoredUntilItsListing()
    {
        using var t = new OutboxVolume();
        ListRoot(t.Volume, ("sub", Dir(2)));
        var changes = Record(t.Volume);

        t.Volume.ApplyRemoteNode("sub/x", File(5, "3", 10)).Should().Be(FsStatus.Ok);
        t.Volume.ApplyRemoteNode("nowhere/deeper/x", File(6, "3", 10)).Should().Be(FsStatus.Ok);

        t.List(t.Volume.At("sub").Id).Should().BeEmpty();
        t.Volume.At("sub").Content.Should().Be(ContentState.Placeholder);
        changes.Should().BeEmpty();
    }

    [Fact]
    public void ApplyRemoteNode_VersionOfACleanCachedFileMoved_ContentDroppedAndRefetched()
    {
        using var t = new OutboxVolume();
        var fetcher = new VersionFetcher { ["v1"] = [1, 2, 3], ["v2"] = [9, 8, 7, 6, 5] };
        t.Volume.Fetcher = fetcher;
        ListRoot(t.Volume, ("f", File(1, "v1", 3)));
        var f = t.Volume.At("f").Id;
        t.ReadAll(f).Should().Equal(1, 2, 3);
        t.Volume.Attr(f).Content.Should().Be(ContentState.Complete);
        var changes = Record(t.Volume);

        t.Volume.ApplyRemoteNode("f", File(1, "v2", 5, modified: Later)).Should().Be(FsStatus.Ok);

        var node = t.Volume.Attr(f);
        (node.Content, node.CachedBytes, node.Size, node.OriginVersion).Should().Be((ContentState.Placeholder, 0L, 5L, "v2"));
        node.ModifyTime.Should().Be(Later);
        changes.Should().Equal(VolumeChange.Content(f));
        t.ReadAll(f).Should().Equal(9, 8, 7, 6, 5);
        fetcher.Requests.Select(r => r.OriginVersion).Should().Equal("v1", "v2");
        t.Volume.OutboxLength.Should().Be(0);
    }

    [Fact]
    public void ApplyRemoteNode_OnlyAttributesChanged_CachedContentKept()
    {
        using var t = new OutboxVolume();
        var fetcher = new VersionFetcher { ["v1"] = [1, 2, 3] };
        t.Volume.Fetcher = fetcher;
        ListRoot(t.Volume, ("f", File(1, "v1", 3)));
        var f = t.Volume.At("f").Id;
        t.ReadAll(f);
        var changes = Record(t.Volume);

        t.Volume.ApplyRemoteNode("f", File(1, "v1", 3, mode: Mode600, modified: Later)).Should().Be(FsStatus.Ok);

        var node = t.Volume.Attr(f);
        (node.Content, node.Mode, node.ModifyTime).Should().Be((ContentState.Complete, Mode600, Later));
        changes.Should().Equal(VolumeChange.Attributes(f));
        t.ReadAll(f).Should().Equal(1, 2, 3);
        fetcher.Requests.Should().HaveCount(1, "the cached bytes are still the origin's");
    }

    [Fact]
    public void ApplyRemoteNode_VersionMovesWhileAReaderHasTheFileOpen_TheReaderGetsTheNewBytes()
    {
        using var t = new OutboxVolume();
        t.Volume.Fetcher = new VersionFetcher { ["v1"] = [1, 2, 3], ["v2"] = [4, 5] };
        ListRoot(t.Volume, ("f", File(1, "v1", 3)));
        var f = t.Volume.At("f").Id;
        var h = t.Volume.OpenHandle(f, OpenFlags.Read);
        t.Volume.ReadAt(h, 0, 3).Should().Equal(1, 2, 3);

        t.Volume.ApplyRemoteNode("f", File(1, "v2", 2)).Should().Be(FsStatus.Ok);

        t.Volume.ReadAt(h, 0, 3).Should().Equal(4, 5);
        t.Volume.Release(h).Ok();
        t.Volume.Attr(f).OriginVersion.Should().Be("v2");
    }

    [Fact]
    public void ApplyRemoteNode_FileWrittenHereAndStillOpen_NotOverwritten()
    {
        using var t = new OutboxVolume();
        ListRoot(t.Volume, ("f", File(1, "v1", 3)));
        var f = t.Volume.At("f").Id;
        var h = t.Volume.OpenHandle(f);
        t.Volume.WriteAt(h, 0, [7, 7, 7, 7]);
        var changes = Record(t.Volume);

        t.Volume.ApplyRemoteNode("f", File(1, "v2", 10, mode: Mode600)).Should().Be(FsStatus.Busy, "ours waits for the origin: the caller lists again later");

        var node = t.Volume.Attr(f);
        (node.Size, node.OriginVersion, node.Mode, node.Dirty).Should().Be((4L, "v1", Mode644, true));
        t.Volume.ReadAt(h, 0, 4).Should().Equal(7, 7, 7, 7);
        changes.Should().BeEmpty();
        t.Volume.Release(h).Ok();
    }

    [Fact]
    public void ApplyRemoteNode_FileWithAQueuedUpload_NotOverwritten()
    {
        using var t = new OutboxVolume();
        ListRoot(t.Volume, ("f", File(1, "v1", 3)));
        var f = t.Volume.At("f").Id;
        var h = t.Volume.OpenHandle(f);
        t.Volume.WriteAt(h, 0, [7, 7, 7, 7]);
        t.Volume.Release(h).Ok();
        t.Volume.Outbox().Should().Equal(OutboxKind.Upload);

        t.Volume.ApplyRemoteNode("f", File(1, "v2", 10)).Should().Be(FsStatus.Busy, "ours waits for the origin: the caller lists again later");
        t.Volume.ApplyRemoteRemoval("f").Should().Be(FsStatus.Busy, "ours waits for the origin: the caller lists again later");
        t.Volume.ApplyRemoteRename("f", "g", originId: 1).Should().Be(FsStatus.Busy, "ours waits for the origin: the caller lists again later");

        var node = t.Volume.At("f");
        (node.Id, node.Size, node.OriginVersion, node.Dirty).Should().Be((f, 4L, "v1", true));
        t.ReadAll(f).Should().Equal(7, 7, 7, 7);
        t.List().Should().Equal("f");
    }

    [Fact]
    public void ApplyRemoteNode_QueuedAttributeChange_NotOverwrittenUntilAcknowledged()
    {
        using var t = new OutboxVolume();
        ListRoot(t.Volume, ("d", Dir(2)));
        var d = t.Volume.At("d").Id;
        t.Volume.SetAttributes(d, new AttributeChanges { Mode = Mode600 }).Status.Should().Be(FsStatus.Ok);

        t.Volume.ApplyRemoteNode("d", Dir(2, mode: 0x1FF)).Should().Be(FsStatus.Busy, "ours waits for the origin: the caller lists again later");
        t.Volume.Attr(d).Mode.Should().Be(Mode600);

        t.AcknowledgeAll();
        t.Volume.ApplyRemoteNode("d", Dir(2, mode: 0x1FF)).Should().Be(FsStatus.Ok);
        t.Volume.Attr(d).Mode.Should().Be(0x1FFu);
    }

    [Fact]
    public void ApplyRemoteNode_SameOriginIdUnderAnotherName_AHardLinkOfTheCachedFile()
    {
        using var t = new OutboxVolume();
        ListRoot(t.Volume, ("f", File(1, "v1", 3)), ("sub", Dir(2)));
        t.Volume.ApplyListing(t.Volume.At("sub").Id, []).Ok();
        var f = t.Volume.At("f").Id;
        var changes = Record(t.Volume);

        t.Volume.ApplyRemoteNode("sub/g", File(1, "v1", 3) with { LinkCount = 2 }).Should().Be(FsStatus.Ok);

        t.Volume.At("sub/g").Id.Should().Be(f);
        t.Volume.Attr(f).LinkCount.Should().Be(2);
        changes.Should().Equal(VolumeChange.Entry(t.Volume.At("sub").Id, "g"), VolumeChange.Attributes(f));
    }

    [Fact]
    public void ApplyRemoteNode_SameOriginIdUnderAnotherNameWithOneLinkThere_TheCachedFileMoves()
    {
        using var t = new OutboxVolume();
        ListRoot(t.Volume, ("f", File(1, "v1", 3)), ("sub", Dir(2)));
        t.Volume.ApplyListing(t.Volume.At("sub").Id, []).Ok();
        var f = t.Volume.At("f").Id;

        t.Volume.ApplyRemoteNode("sub/g", File(1, "v1", 3)).Should().Be(FsStatus.Ok);

        t.Volume.At("sub/g").Id.Should().Be(f, "the origin has one name for it: the old name here is stale");
        t.Volume.Attr(f).LinkCount.Should().Be(1);
        t.List().Should().Equal("sub");
    }

    [Fact]
    public void ApplyListing_SameOriginIdAsACachedFile_LinksIt()
    {
        using var t = new OutboxVolume();
        ListRoot(t.Volume, ("f", File(1, "v1", 3)), ("sub", Dir(2)));
        var f = t.Volume.At("f").Id;

        t.Volume.ApplyListing(t.Volume.At("sub").Id, [("g", File(1, "v1", 3) with { LinkCount = 2 })]).Ok();

        t.Volume.At("sub/g").Id.Should().Be(f);
        t.Volume.Attr(f).LinkCount.Should().Be(2);
    }

    [Fact]
    public void ApplyRemoteNode_NameNowLeadsToAnotherNode_TheOldOneGoes()
    {
        using var t = new OutboxVolume();
        ListRoot(t.Volume, ("f", File(1, "v1", 3)));
        var old = t.Volume.At("f").Id;
        var changes = Record(t.Volume);

        t.Volume.ApplyRemoteNode("f", File(20, "v9", 4)).Should().Be(FsStatus.Ok);

        var now = t.Volume.At("f");
        now.Id.Should().NotBe(old);
        now.OriginId.Should().Be(20);
        t.Volume.GetAttributes(old).Status.Should().Be(FsStatus.NotFound);
        changes.Should().Equal(VolumeChange.Removed(NodeIds.Root, "f", old), VolumeChange.Entry(NodeIds.Root, "f"));
    }

    [Fact]
    public void ApplyRemoteNode_EventOlderThanTheFileHere_TheNameKeepsIt_ANewerOneReplacesIt()
    {
        using var t = new OutboxVolume();
        ListRoot(t.Volume, ("f", File(1, "50", 3)));

        t.Volume.ApplyRemoteNode("f", File(2, "10", 5), cursor: 20).Should().Be(FsStatus.Ok);
        t.Volume.At("f").OriginId.Should().Be(1, "change 20 predates the file made there at 50: its node left the name since");

        t.Volume.ApplyRemoteNode("f", File(3, "60", 5), cursor: 60).Should().Be(FsStatus.Ok);
        t.Volume.At("f").OriginId.Should().Be(3);
    }

    [Fact]
    public void ApplyRemoteNode_Xattrs_ReplacedByTheOrigins()
    {
        using var t = new OutboxVolume();
        ListRoot(t.Volume, ("f", File(1, "v1", 3) with { Xattrs = new Dictionary<string, byte[]> { ["user.a"] = [1], ["user.b"] = [2] } }));
        var f = t.Volume.At("f").Id;

        t.Volume.ApplyRemoteNode("f", File(1, "v1", 3) with { Xattrs = new Dictionary<string, byte[]> { ["user.a"] = [3] } }).Ok();

        t.Volume.ListXattrs(f).Value.Should().Equal("user.a");
        t.Volume.GetXattr(f, "user.a").Value.Should().Equal(3);
        t.Volume.OutboxLength.Should().Be(0);
    }

    [Fact]
    public void ApplyRemoteNode_TheRootItself_NoEntryWithAnEmptyName()
    {
        using var t = new OutboxVolume();
        ListRoot(t.Volume, ("a", File(1, "v1", 3)));

        t.Volume.ApplyRemoteNode("", Dir(1000, mode: 0x1FF)).Should().Be(FsStatus.Ok);

        t.List().Should().Equal("a");
    }

    [Fact]
    public void ApplyRemoteRemoval_SettledFile_NameAndNodeGo()
    {
        using var t = new OutboxVolume();
        ListRoot(t.Volume, ("f", File(1, "v1", 3)), ("g", File(2, "v1", 3)));
        var f = t.Volume.At("f").Id;
        var changes = Record(t.Volume);

        t.Volume.ApplyRemoteRemoval("f").Should().Be(FsStatus.Ok);
        t.Volume.ApplyRemoteRemoval("never-there").Should().Be(FsStatus.Ok);

        t.List().Should().Equal("g");
        t.Volume.GetAttributes(f).Status.Should().Be(FsStatus.NotFound);
        changes.Should().Equal(VolumeChange.Removed(NodeIds.Root, "f", f));
        t.Volume.OutboxLength.Should().Be(0);
    }

    [Fact]
    public void ApplyRemoteRemoval_FileOpenHere_ReadableUntilItsLastClose()
    {
        using var t = new OutboxVolume();
        t.Volume.Fetcher = new VersionFetcher { ["v1"] = [1, 2, 3] };
        ListRoot(t.Volume, ("f", File(1, "v1", 3)));
        var f = t.Volume.At("f").Id;
        var h = t.Volume.OpenHandle(f, OpenFlags.Read);
        t.Volume.ReadAt(h, 0, 3);

        t.Volume.ApplyRemoteRemoval("f").Should().Be(FsStatus.Ok);

        t.Volume.Lookup(NodeIds.Root, "f").Status.Should().Be(FsStatus.NotFound);
        t.Volume.ReadAt(h, 0, 3).Should().Equal(1, 2, 3);
        t.Volume.Release(h).Ok();
        t.Volume.GetAttributes(f).Status.Should().Be(FsStatus.NotFound);
    }

    [Fact]
    public void ApplyRemoteRemoval_Directories_EmptyOneGoesNonEmptyOneStays()
    {
        using var t = new OutboxVolume();
        ListRoot(t.Volume, ("empty", Dir(2)), ("full", Dir(3)));
        t.Volume.ApplyListing(t.Volume.At("full").Id, [("x", File(4, "v1", 1))]).Ok();
        t.Volume.Attr(NodeIds.Root).LinkCount.Should().Be(4);

        t.Volume.ApplyRemoteRemoval("empty").Should().Be(FsStatus.Ok);
        t.Volume.ApplyRemoteRemoval("full").Should().Be(FsStatus.Ok);

        t.List().Should().Equal("full");
        t.Volume.Attr(NodeIds.Root).LinkCount.Should().Be(3);
    }

    [Fact]
    public void ApplyRemoteRename_SameDirectory_NameMoves()
    {
        using var t = new OutboxVolume();
        ListRoot(t.Volume, ("f", File(1, "v1", 3)));
        var f = t.Volume.At("f").Id;
        var changes = Record(t.Volume);

        t.Volume.ApplyRemoteRename("f", "g", originId: 1).Should().Be(FsStatus.Ok);

        t.List().Should().Equal("g");
        t.Volume.At("g").Id.Should().Be(f);
        changes.Should().Equal(VolumeChange.Entry(NodeIds.Root, "f"), VolumeChange.Entry(NodeIds.Root, "g"), VolumeChange.Attributes(f));
        t.Volume.OutboxLength.Should().Be(0);
    }

    [Fact]
    public void ApplyRemoteRename_DirectoryIntoAListedDirectory_ParentAndLinkCountsFollow()
    {
        using var t = new OutboxVolume();
        ListRoot(t.Volume, ("a", Dir(2)), ("b", Dir(3)));
        var a = t.Volume.At("a").Id;
        var b = t.Volume.At("b").Id;
        t.Volume.ApplyListing(a, []).Ok();
        t.Volume.ApplyListing(b, [("inside", File(4, "v1", 1))]).Ok();

        t.Volume.ApplyRemoteRename("b", "a/b2", originId: 3).Should().Be(FsStatus.Ok);

        t.Volume.At("a/b2").Id.Should().Be(b);
        t.Volume.At("a/b2/inside").OriginId.Should().Be(4);
        t.Volume.PathOf(b).Should().Be("a/b2");
        t.Volume.Attr(b).Parent.Should().Be(a);
        t.Volume.Attr(NodeIds.Root).LinkCount.Should().Be(3);
        t.Volume.Attr(a).LinkCount.Should().Be(3);
    }

    [Fact]
    public void ApplyRemoteRename_IntoAnUnlistedDirectory_TheNameJustGoes()
    {
        using var t = new OutboxVolume();
        ListRoot(t.Volume, ("f", File(1, "v1", 3)), ("sub", Dir(2)));
        var f = t.Volume.At("f").Id;
        var changes = Record(t.Volume);

        t.Volume.ApplyRemoteRename("f", "sub/f", originId: 1).Should().Be(FsStatus.Ok);

        t.List().Should().Equal("sub");
        t.Volume.GetAttributes(f).Status.Should().Be(FsStatus.NotFound);
        changes.Should().Equal(VolumeChange.Removed(NodeIds.Root, "f", f));
    }

    [Fact]
    public void ApplyRemoteRemoval_OfAnotherNodeThanTheOneHere_TheNameStays()
    {
        using var t = new OutboxVolume();
        ListRoot(t.Volume, ("f", File(1, "v1", 3)));

        t.Volume.ApplyRemoteRemoval("f", originId: 99).Should().Be(FsStatus.Ok);

        t.List().Should().Equal(["f"], "the removal was of another node once under that name (e.g. before ours was restored)");
        t.Volume.ApplyRemoteRemoval("f", originId: 1).Should().Be(FsStatus.Ok);
        t.List().Should().BeEmpty();
    }

    [Fact]
    public void ApplyRemoteRename_OfAnotherNodeThanTheOneHere_Ignored()
    {
        using var t = new OutboxVolume();
        ListRoot(t.Volume, ("f", File(1, "v1", 3)));
        var changes = Record(t.Volume);

        t.Volume.ApplyRemoteRename("f", "g", originId: 99).Should().Be(FsStatus.NotFound, "the moved node is not here: the caller asks the origin");

        t.List().Should().Equal("f");
        changes.Should().BeEmpty();
    }

    [Fact]
    public void ApplyRemoteRename_ExchangeReportedAsTwoRenames_SwapsOnce()
    {
        using var t = new OutboxVolume();
        ListRoot(t.Volume, ("a", File(1, "v1", 3)), ("b", Dir(2)));
        var a = t.Volume.At("a").Id;
        var b = t.Volume.At("b").Id;

        t.Volume.ApplyRemoteRename("a", "b", originId: 1).Should().Be(FsStatus.Ok);
        t.Volume.At("a").Id.Should().Be(b, "the first record swaps the two names");
        t.Volume.ApplyRemoteRename("b", "a", originId: 2).Should().Be(FsStatus.NotFound);

        t.Volume.At("a").Id.Should().Be(b, "the second record's source now holds the other node: it changes nothing");
        t.Volume.At("b").Id.Should().Be(a);
        t.Volume.Attr(NodeIds.Root).LinkCount.Should().Be(3);
    }

    [Fact]
    public void ApplyRemoteRename_OntoADirtyTarget_Ignored()
    {
        using var t = new OutboxVolume();
        ListRoot(t.Volume, ("a", File(1, "v1", 3)), ("b", File(2, "v1", 3)));
        var a = t.Volume.At("a").Id;
        var b = t.Volume.At("b").Id;
        var h = t.Volume.OpenHandle(b);
        t.Volume.WriteAt(h, 0, [1]);

        t.Volume.ApplyRemoteRename("a", "b", originId: 1).Should().Be(FsStatus.Ok);

        t.Volume.At("a").Id.Should().Be(a);
        t.Volume.At("b").Id.Should().Be(b);
        t.Volume.Release(h).Ok();
    }

    [Fact]
    public void ApplyRemoteRename_ReplacedTargetReportedFirst_MovesOntoTheFreedName()
    {
        using var t = new OutboxVolume();
        ListRoot(t.Volume, ("a", File(1, "v1", 3)), ("b", File(2, "v1", 3)));
        var a = t.Volume.At("a").Id;
        var b = t.Volume.At("b").Id;

        t.Volume.ApplyRemoteRemoval("b").Ok();
        t.Volume.ApplyRemoteRename("a", "b", originId: 1).Ok();

        t.List().Should().Equal("b");
        t.Volume.At("b").Id.Should().Be(a);
        t.Volume.GetAttributes(b).Status.Should().Be(FsStatus.NotFound);
    }

    private static List<VolumeChange> Record(CacheVolume volume)
    {
        var changes = new List<VolumeChange>();
        volume.Invalidate = change =>
        {
            lock (changes)
                changes.Add(change);
        };
        return changes;
    }

    /// <summary>An origin's tree by path; each call lists one directory into the volume, as the sync engine's lister does.</summary>
    private sealed class FakeLister(CacheVolume volume) : IDirectoryLister
    {
        private readonly Dictionary<string, (string, RemoteNode)[]> _tree = [];

        public List<long> Calls { get; } = [];

        public FsStatus Failure { get; set; } = FsStatus.Ok;

        public (string Name, RemoteNode Node)[] this[string path]
        {
            get => _tree[path];
            set => _tree[path] = value;
        }

        public FsStatus List(long directoryId)
        {
            Calls.Add(directoryId);
            if (Failure != FsStatus.Ok)
                return Failure;
            var path = volume.PathOf(directoryId);
            return volume.ApplyListing(directoryId, path is not null && _tree.TryGetValue(path, out var entries) ? entries : []);
        }
    }

    [Fact]
    public void ApplyRelisting_NamesGoneFromTheOrigin_SettledGoUnsentStayNewArrive()
    {
        using var t = new OutboxVolume();
        ListRoot(t.Volume, ("gone", File(1, "v1", 3)), ("edited", File(2, "v1", 3)), ("kept", File(3, "v1", 3)));
        var edited = t.Volume.At("edited").Id;
        var h = t.Volume.OpenHandle(edited);
        t.Volume.WriteAt(h, 0, [7]);
        t.Volume.Release(h).Ok();
        t.MakeFile("mine");

        t.Volume.ApplyRelisting("", [("kept", File(3, "v1", 3)), ("new", File(4, "v1", 5))], t.Volume.OutboxLastQueued).Should().Be(FsStatus.Ok);

        t.List().Should().BeEquivalentTo(["edited", "kept", "mine", "new"], "a name with changes of ours waiting stays");
        t.Volume.At("new").OriginId.Should().Be(4);
    }

    [Fact]
    public void ApplyRelisting_AChangeQueuedHereSinceTheOriginWasAsked_BusyAndNothingChanges()
    {
        using var t = new OutboxVolume();
        ListRoot(t.Volume, ("journal", File(1, "v1", 3)), ("db", File(2, "v1", 3)));
        var asked = t.Volume.OutboxLastQueued;
        var staleListing = new[] { ("journal", File(1, "v1", 3)), ("db", File(2, "v1", 3)) };
        t.Volume.Unlink(NodeIds.Root, "journal").Ok();
        t.AcknowledgeAll(); // sent: the outbox is empty again, but the listing predates the delete

        t.Volume.ApplyRelisting("", staleListing, asked).Should().Be(FsStatus.Busy, "the caller lists again");

        t.List().Should().Equal("db");
        t.Volume.ApplyRelisting("", [("db", File(2, "v1", 3))], t.Volume.OutboxLastQueued).Should().Be(FsStatus.Ok);
        t.List().Should().Equal("db");
    }
}
