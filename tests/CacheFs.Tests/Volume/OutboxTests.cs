using CacheFs.Journal;
using CacheFs.Nodes;
using CacheFs.Remote;
using CacheFs.Volume;

namespace CacheFs.Tests.Volume;

/// <summary>
/// The outbox of a mirrored volume: every change queues exactly one entry, in the order of effect, spelled with the
/// paths of that moment; content queues one upload per change at close or fsync; what the origin acknowledged leaves.
/// </summary>
public sealed class OutboxTests
{
    private static readonly uint Mode600 = Convert.ToUInt32("600", 8);

    private static (OutboxKind Kind, string Path, string? NewPath, int Flags, string? Name) Shape(OutboxEntry e) =>
        (e.Kind, e.Path, e.NewPath, e.Flags, e.Name);

    [Fact]
    public void Namespace_EveryChange_QueuesOneEntryInOrderWithThePathsOfThatMoment()
    {
        using var t = new OutboxVolume();
        var v = t.Volume;

        var d = t.MakeDir("d");
        var f = t.MakeFile("f", parent: d);
        v.MakeSymlink(d, "s", "f", TestVolume.Owner).Status.Should().Be(FsStatus.Ok);
        v.MakeNode(NodeIds.Root, "fifo", NodeKind.Fifo, TestVolume.Owner).Status.Should().Be(FsStatus.Ok);
        v.Link(f, NodeIds.Root, "hard").Status.Should().Be(FsStatus.Ok);
        v.Rename(NodeIds.Root, "d", NodeIds.Root, "e").Should().Be(FsStatus.Ok);
        v.Rename(d, "f", d, "g", RenameMode.NoReplace).Should().Be(FsStatus.Ok);
        v.Rename(d, "g", NodeIds.Root, "fifo", RenameMode.Exchange).Should().Be(FsStatus.Ok);
        v.Unlink(d, "s").Should().Be(FsStatus.Ok);
        v.RemoveDirectory(NodeIds.Root, "fifo").Should().Be(FsStatus.NotDirectory);
        v.Unlink(NodeIds.Root, "fifo").Should().Be(FsStatus.Ok);

        t.Outbox.Select(Shape).Should().Equal(
            (OutboxKind.MakeDirectory, "d", null, 0, null),
            (OutboxKind.MakeNode, "d/f", null, 0, null),
            (OutboxKind.MakeNode, "d/s", null, 0, null),
            (OutboxKind.MakeNode, "fifo", null, 0, null),
            (OutboxKind.Link, "d/f", "hard", 0, null),
            (OutboxKind.Rename, "d", "e", (int)RenameMode.NoReplace, null),
            (OutboxKind.Rename, "e/f", "e/g", (int)RenameMode.NoReplace, null),
            (OutboxKind.Rename, "e/g", "fifo", (int)RenameMode.Exchange, null),
            (OutboxKind.Remove, "e/s", null, 0, null),
            (OutboxKind.Remove, "fifo", null, 0, null));
        t.Outbox.Select(e => e.Sequence).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        t.Outbox[0].NodeId.Should().Be(d);
        t.Outbox[1].NodeId.Should().Be(f);
        t.Outbox[4].NodeId.Should().Be(f, "a link names the node it links");
        t.Outbox[5].NodeId.Should().Be(d, "a rename names the node it moves");
        t.Outbox[9].NodeId.Should().Be(f, "after the exchange, \"fifo\" names the file");
    }

    [Fact]
    public void Rename_OntoAFreeName_SentAsNoReplace_OntoAnExistingName_SentAsReplace()
    {
        using var t = new OutboxVolume();
        var v = t.Volume;
        t.MakeFile("a");
        t.MakeFile("b");

        v.Rename(NodeIds.Root, "a", NodeIds.Root, "c").Should().Be(FsStatus.Ok);
        v.Rename(NodeIds.Root, "c", NodeIds.Root, "b").Should().Be(FsStatus.Ok);

        // On the origin a free name here may have been taken meanwhile: the rename must not replace that.
        t.Outbox.Where(e => e.Kind == OutboxKind.Rename).Select(Shape).Should().Equal(
            (OutboxKind.Rename, "a", "c", (int)RenameMode.NoReplace, null),
            (OutboxKind.Rename, "c", "b", (int)RenameMode.Replace, null));
    }

    [Fact]
    public async Task Rename_OverAFileTheOriginHas_NamesItAndTheVersionSeenHere_OurOwnUploadOfItMovesThatVersion()
    {
        using var t = new OutboxVolume();
        var v = t.Volume;
        var scene = t.MakeFile("scene", [1]);
        t.MakeFile("draft", [2]);
        t.AcknowledgeAll();
        var seen = v.Attr(scene).OriginVersion;
        var h = v.OpenHandle(scene);
        v.WriteAt(h, 0, [3]);
        v.QueueUpload(scene).Should().Be(FsStatus.Ok);

        v.Rename(NodeIds.Root, "draft", NodeIds.Root, "scene").Should().Be(FsStatus.Ok);

        var rename = t.Outbox.Single(e => e.Kind == OutboxKind.Rename);
        (rename.Flags, rename.Target, rename.BaseVersion).Should().Be(((int)RenameMode.Replace, scene, seen), "only the version seen here may be replaced");
        var upload = t.Outbox.Single(e => e.Kind == OutboxKind.Upload && e.NodeId == scene);
        using (var source = (await v.OpenUploadAsync(scene, CancellationToken.None)).Value)
            v.FinishUpload(source, upload, v.Attr(scene).OriginId, "ours").Should().Be(FsStatus.Ok);
        t.Outbox.Single(e => e.Kind == OutboxKind.Rename).BaseVersion.Should().Be("ours", "our own upload of it is no clash");
        v.Release(h).Ok();
    }

    [Fact]
    public void RemoveDirectory_Mirrored_QueuesRemoveWithTheDirectoryFlag()
    {
        using var t = new OutboxVolume();
        var a = t.MakeDir("a");
        t.MakeDir("b", parent: a);

        t.Volume.RemoveDirectory(a, "b").Should().Be(FsStatus.Ok);
        t.Volume.RemoveDirectory(NodeIds.Root, "a").Should().Be(FsStatus.Ok);

        t.Outbox.Skip(2).Select(Shape).Should().Equal(
            (OutboxKind.Remove, "a/b", null, 1, null),
            (OutboxKind.Remove, "a", null, 1, null));
    }

    [Fact]
    public void Namespace_FailedChanges_QueueNothing()
    {
        using var t = new OutboxVolume();
        var d = t.MakeDir("d");
        t.MakeFile("f", parent: d);
        t.MakeFile("x");
        var before = t.Volume.OutboxLength;

        t.Volume.MakeDirectory(NodeIds.Root, "d", TestVolume.DirOwner).Status.Should().Be(FsStatus.Exists);
        t.Volume.Create(NodeIds.Root, "x", TestVolume.Owner, OpenFlags.ReadWrite, exclusive: true).Status.Should().Be(FsStatus.Exists);
        t.Volume.Rename(d, "f", NodeIds.Root, "x", RenameMode.NoReplace).Should().Be(FsStatus.Exists);
        t.Volume.Rename(d, "missing", NodeIds.Root, "y").Should().Be(FsStatus.NotFound);
        t.Volume.RemoveDirectory(NodeIds.Root, "d").Should().Be(FsStatus.NotEmpty);
        t.Volume.Unlink(NodeIds.Root, "missing").Should().Be(FsStatus.NotFound);
        t.Volume.Link(d, NodeIds.Root, "dirlink").Status.Should().Be(FsStatus.NotPermitted);
        t.Volume.RemoveXattr(d, "user.none").Should().Be(FsStatus.NoAttribute);

        t.Volume.OutboxLength.Should().Be(before);
    }

    [Fact]
    public void Create_ExistingFileOpenedInstead_QueuesNoSecondMakeNode()
    {
        using var t = new OutboxVolume();
        t.MakeFile("f");

        var opened = t.Volume.Create(NodeIds.Root, "f", TestVolume.Owner, OpenFlags.Read, exclusive: false);
        opened.Status.Should().Be(FsStatus.Ok);
        opened.Value.Created.Should().BeFalse();
        t.Volume.Release(opened.Value.Handle).Ok();

        t.Outbox.Select(e => e.Kind).Should().Equal(OutboxKind.MakeNode);
    }

    [Fact]
    public void SetAttributes_ModeOwnerTimesWindowsAttributes_QueueSetAttributesButCtimeAloneNoneAndSizeAnUpload()
    {
        using var t = new OutboxVolume();
        var f = t.MakeFile("f", [1, 2, 3]);
        var d = t.MakeDir("d");
        t.AcknowledgeAll();

        t.Volume.SetAttributes(f, new AttributeChanges { Mode = Mode600 }).Status.Should().Be(FsStatus.Ok);
        t.Volume.SetAttributes(f, new AttributeChanges { Uid = 7, Gid = 8 }).Status.Should().Be(FsStatus.Ok);
        t.Volume.SetAttributes(d, new AttributeChanges { ModifyTime = VolumeTestExtensions.Past }).Status.Should().Be(FsStatus.Ok);
        t.Volume.SetAttributes(f, new AttributeChanges { AccessTime = VolumeTestExtensions.Past, ModifyTime = VolumeTestExtensions.Past }).Status.Should().Be(FsStatus.Ok);
        t.Volume.SetAttributes(f, new AttributeChanges { WindowsAttributes = 0x20 }).Status.Should().Be(FsStatus.Ok);
        t.Volume.SetAttributes(f, new AttributeChanges { ChangeTime = VolumeTestExtensions.Past }).Status.Should().Be(FsStatus.Ok);
        t.Volume.SetAttributes(f, new AttributeChanges { Size = 1 }).Status.Should().Be(FsStatus.Ok);

        t.Outbox.Select(Shape).Should().Equal(
            (OutboxKind.SetAttributes, "f", null, 0, null),
            (OutboxKind.SetAttributes, "f", null, 0, null),
            (OutboxKind.SetAttributes, "d", null, 0, null),
            (OutboxKind.SetAttributes, "f", null, 0, null),
            (OutboxKind.SetAttributes, "f", null, 0, null),
            (OutboxKind.Upload, "f", null, 0, null));
        t.Volume.Attr(f).Dirty.Should().BeTrue();
    }

    [Fact]
    public void SetAttributes_SizeAndModeTogether_QueueBothOnce()
    {
        using var t = new OutboxVolume();
        var f = t.MakeFile("f", [1, 2, 3]);
        t.AcknowledgeAll();

        t.Volume.SetAttributes(f, new AttributeChanges { Size = 10, Mode = Mode600 }).Status.Should().Be(FsStatus.Ok);

        t.Outbox.Select(e => e.Kind).Should().Equal(OutboxKind.SetAttributes, OutboxKind.Upload);
    }

    [Fact]
    public void Xattrs_SetAndRemove_QueueEntriesNamingTheAttribute()
    {
        using var t = new OutboxVolume();
        var f = t.MakeFile("f");
        t.AcknowledgeAll();

        t.Volume.SetXattr(f, "user.a", [1]).Ok();
        t.Volume.SetXattr(f, "user.a", [2], XattrSetMode.CreateOnly).Should().Be(FsStatus.Exists);
        t.Volume.RemoveXattr(f, "user.a").Ok();

        t.Outbox.Select(Shape).Should().Equal(
            (OutboxKind.SetXattr, "f", null, 0, "user.a"),
            (OutboxKind.RemoveXattr, "f", null, 0, "user.a"));
    }

    [Fact]
    public void Write_ReleasedOnce_QueuesOneUploadAfterTheMakeNode()
    {
        using var t = new OutboxVolume();
        var created = t.Volume.Create(NodeIds.Root, "f", TestVolume.Owner, OpenFlags.ReadWrite, exclusive: true).Value;
        t.Volume.WriteAt(created.Handle, 0, [1, 2, 3]);
        t.Volume.WriteAt(created.Handle, 3, [4]);
        t.Volume.Flush(created.Handle).Ok();

        t.Outbox.Select(e => e.Kind).Should().Equal([OutboxKind.MakeNode], "close's flush is not the last close");
        t.Volume.Release(created.Handle).Ok();

        t.Outbox.Select(Shape).Should().Equal((OutboxKind.MakeNode, "f", null, 0, null), (OutboxKind.Upload, "f", null, 0, null));
        t.Outbox[1].NodeId.Should().Be(created.Attributes.Id);
    }

    [Fact]
    public void Sync_ThenReleaseWithoutFurtherWrites_QueuesOneUploadPerChange()
    {
        using var t = new OutboxVolume();
        var f = t.MakeFile("f");
        t.AcknowledgeAll();
        var h = t.Volume.OpenHandle(f);

        t.Volume.WriteAt(h, 0, [1]);
        t.Volume.Sync(h).Ok();
        t.Volume.Sync(h).Ok();
        t.Volume.Outbox().Should().Equal(OutboxKind.Upload);

        t.Volume.Release(h).Ok();
        t.Volume.Outbox().Should().Equal(OutboxKind.Upload);

        var again = t.Volume.OpenHandle(f);
        t.Volume.WriteAt(again, 1, [2]);
        t.Volume.Release(again).Ok();
        t.Volume.Outbox().Should().Equal(OutboxKind.Upload, OutboxKind.Upload);
    }

    [Fact]
    public void Release_ReadOnlyOrUnwrittenHandles_QueueNoUpload()
    {
        using var t = new OutboxVolume();
        var f = t.MakeFile("f", [1, 2, 3]);
        t.AcknowledgeAll();

        t.Volume.Release(t.Volume.OpenHandle(f, OpenFlags.Read)).Ok();
        t.Volume.Release(t.Volume.OpenHandle(f, OpenFlags.ReadWrite)).Ok();

        t.Volume.OutboxLength.Should().Be(0);
    }

    [Fact]
    public void Release_OfAReaderWhileAWriterStaysOpen_QueuesOnlyAtTheWritersClose()
    {
        using var t = new OutboxVolume();
        var f = t.MakeFile("f");
        t.AcknowledgeAll();
        var writer = t.Volume.OpenHandle(f);
        var reader = t.Volume.OpenHandle(f, OpenFlags.Read);

        t.Volume.WriteAt(writer, 0, [9]);
        t.Volume.Release(reader).Ok();
        t.Volume.OutboxLength.Should().Be(0);

        t.Volume.Release(writer).Ok();
        t.Volume.Outbox().Should().Equal(OutboxKind.Upload);
    }

    [Fact]
    public void LocalVolume_EveryKindOfChange_QueuesNothing()
    {
        using var t = new OutboxVolume(outbox: false);
        var d = t.MakeDir("d");
        var f = t.MakeFile("f", [1, 2], parent: d);
        t.Volume.MakeSymlink(d, "s", "f", TestVolume.Owner).Status.Should().Be(FsStatus.Ok);
        t.Volume.Link(f, NodeIds.Root, "hard").Status.Should().Be(FsStatus.Ok);
        t.Volume.Rename(NodeIds.Root, "d", NodeIds.Root, "e").Ok();
        t.Volume.SetAttributes(f, new AttributeChanges { Mode = Mode600, Size = 1 }).Status.Should().Be(FsStatus.Ok);
        t.Volume.SetXattr(f, "user.a", [1]).Ok();
        t.Volume.RemoveXattr(f, "user.a").Ok();
        var h = t.Volume.OpenHandle(f);
        t.Volume.WriteAt(h, 0, [3]);
        t.Volume.Sync(h).Ok();
        t.Volume.Release(h).Ok();
        t.Volume.Unlink(d, "s").Ok();

        t.Volume.OutboxLength.Should().Be(0);
        t.Volume.Attr(NodeIds.Root).Content.Should().Be(ContentState.Complete, "a local root is listed from the start");
        t.Crash();
        t.Volume.OutboxLength.Should().Be(0, "a local volume queues no lost upload either");
    }

    [Fact]
    public void Open_MirroredCache_ReopenedAsLocal_Refused()
    {
        using var t = new OutboxVolume();
        t.Volume.Dispose();

        var open = () => CacheVolume.Open(t.Options with { Outbox = false }, TestVolume.Logger);

        open.Should().Throw<JournalException>().WithMessage("*origin*");
        t.Reopen();
        t.Volume.Options.Outbox.Should().BeTrue();
    }

    [Fact]
    public void Open_LocalCache_ReopenedAsMirrored_Refused()
    {
        using var t = new OutboxVolume(outbox: false);
        t.Volume.Dispose();

        var open = () => CacheVolume.Open(t.Options with { Outbox = true }, TestVolume.Logger);

        open.Should().Throw<JournalException>().WithMessage("*local volume*");
        t.Reopen();
    }

    [Fact]
    public void Open_Mirrored_RootStartsUnlisted()
    {
        using var t = new OutboxVolume();

        t.Volume.Attr(NodeIds.Root).Content.Should().Be(ContentState.Placeholder);
        t.Volume.PathOf(NodeIds.Root).Should().Be("");
    }

    [Fact]
    public void Crash_DirtyFileWhoseUploadWasNeverQueued_QueuedAtReopen()
    {
        using var t = new OutboxVolume();
        var f = t.MakeFile("f", [1, 2, 3]);
        t.AcknowledgeAll();
        var h = t.Volume.OpenHandle(f);
        t.Volume.WriteAt(h, 0, [7, 7]);
        t.Volume.OutboxLength.Should().Be(0, "the upload is queued at the close, which never comes");

        t.Crash();

        t.Outbox.Select(Shape).Should().Equal((OutboxKind.Upload, "f", null, 0, null));
        t.Outbox[0].NodeId.Should().Be(f);
        t.Volume.Attr(f).Dirty.Should().BeTrue();
    }

    [Fact]
    public void Crash_NewFileWrittenBeforeItsFirstClose_UploadQueuedAfterItsMakeNode()
    {
        using var t = new OutboxVolume();
        var (f, h) = CreateOpen(t, "new");
        t.Volume.WriteAt(h, 0, [1, 2, 3]);

        t.Crash();

        t.Outbox.Select(e => e.Kind).Should().Equal(
            [OutboxKind.MakeNode, OutboxKind.Upload],
            "the bytes written before the crash must still reach the origin, even though the file's creation is queued too");
        t.Outbox[1].NodeId.Should().Be(f);
    }

    [Fact]
    public void Crash_DirtyFileWithAQueuedUpload_NotQueuedTwice()
    {
        using var t = new OutboxVolume();
        t.MakeFile("f", [1]);

        t.Crash();
        t.Reopen();

        t.Volume.Outbox().Should().Equal(OutboxKind.MakeNode, OutboxKind.Upload);
    }

    [Fact]
    public void CompleteOutbox_MakeNode_SetsOriginIdAndVersionAndLeavesTheOutbox()
    {
        using var t = new OutboxVolume();
        var d = t.MakeDir("d");
        var f = t.MakeFile("f", parent: d);
        var entries = t.Outbox;

        t.Volume.CompleteOutbox(entries[0], originId: 41, contentVersion: "ignored").Ok();
        t.Volume.CompleteOutbox(entries[1], originId: 42, contentVersion: "7").Ok();

        t.Volume.OutboxLength.Should().Be(0);
        t.Volume.HasQueuedChanges(f).Should().BeFalse();
        t.Volume.Attr(d).OriginId.Should().Be(41);
        t.Volume.Attr(d).OriginVersion.Should().BeEmpty("a directory has no content version");
        t.Volume.Attr(f).OriginId.Should().Be(42);
        t.Volume.Attr(f).OriginVersion.Should().Be("7");
        t.Reopen();
        t.Volume.Attr(f).OriginId.Should().Be(42);
        t.Volume.Attr(f).OriginVersion.Should().Be("7");
    }

    [Fact]
    public void CompleteOutbox_FileOpenMeanwhile_LiveStateLearnsTheOriginToo()
    {
        using var t = new OutboxVolume();
        var (f, h) = CreateOpen(t, "f");
        t.Volume.WriteAt(h, 0, [1, 2]);

        t.Volume.CompleteOutbox(t.Outbox[0], originId: 5, contentVersion: "3").Ok();
        t.Volume.Attr(f).OriginId.Should().Be(5);
        t.Volume.Attr(f).OriginVersion.Should().Be("3");
        t.Volume.Release(h).Ok();

        var upload = t.Outbox.Should().ContainSingle().Subject;
        upload.Kind.Should().Be(OutboxKind.Upload);
        using (var source = Upload(t, f))
        {
            source.OriginId.Should().Be(5, "the upload reads the origin identity from the live file");
            source.BaseVersion.Should().Be("3");
        }

        t.Reopen();
        t.Volume.Attr(f).OriginId.Should().Be(5);
        t.Volume.Attr(f).Size.Should().Be(2, "completing the entry kept what the write path had in memory");
    }

    [Fact]
    public void CompleteOutbox_WithoutAnOriginId_OnlyRemovesTheEntry()
    {
        using var t = new OutboxVolume();
        var f = t.MakeFile("f");

        t.Volume.CompleteOutbox(t.Outbox[0]).Ok();

        t.Volume.OutboxLength.Should().Be(0);
        t.Volume.Attr(f).OriginId.Should().Be(0);
    }

    [Fact]
    public void FinishUpload_FileUnchangedMeanwhile_CleanWithTheNewVersion()
    {
        using var t = new OutboxVolume();
        var content = VolumeTestExtensions.Bytes(100_000);
        var f = t.MakeFile("f", content);
        t.Volume.CompleteOutbox(t.Outbox[0], 9, "1").Ok();
        var entry = t.Outbox.Single();

        using (var source = Upload(t, f))
        {
            source.Size.Should().Be(content.Length);
            ReadSource(source).Should().Equal(content);
            t.Volume.FinishUpload(source, entry, originId: 9, contentVersion: "2").Ok();
        }

        var node = t.Volume.Attr(f);
        node.Dirty.Should().BeFalse();
        node.OriginVersion.Should().Be("2");
        t.Volume.OutboxLength.Should().Be(0);
        t.Reopen();
        t.Volume.Attr(f).Dirty.Should().BeFalse();
        t.Volume.OutboxLength.Should().Be(0, "a clean file is no lost upload");
    }

    [Fact]
    public void FinishUpload_FileWrittenWhileItsBytesWereRead_StaysDirtyAndQueuesAgain()
    {
        using var t = new OutboxVolume();
        var f = t.MakeFile("f", [1, 2, 3]);
        t.Volume.CompleteOutbox(t.Outbox[0], 9, "1").Ok();
        var entry = t.Outbox.Single();

        using (var source = Upload(t, f))
        {
            var h = t.Volume.OpenHandle(f);
            t.Volume.WriteAt(h, 3, [4]);
            t.Volume.Release(h).Ok();
            t.Volume.FinishUpload(source, entry, originId: 9, contentVersion: "2").Ok();
        }

        var node = t.Volume.Attr(f);
        node.Dirty.Should().BeTrue("the origin has not seen the last byte");
        node.OriginVersion.Should().Be("2", "the next upload is based on what the origin has now");
        t.Outbox.Select(e => (e.Kind, e.NodeId)).Should().Equal((OutboxKind.Upload, f));
        t.Outbox[0].Sequence.Should().BeGreaterThan(entry.Sequence);
    }

    [Fact]
    public void FinishUpload_TruncatedWhileItsBytesWereRead_StaysDirty()
    {
        using var t = new OutboxVolume();
        var f = t.MakeFile("f", [1, 2, 3]);
        t.Volume.CompleteOutbox(t.Outbox[0], 9, "1").Ok();
        var entry = t.Outbox.Single();

        using (var source = Upload(t, f))
        {
            t.Volume.SetAttributes(f, new AttributeChanges { Size = 1 }).Status.Should().Be(FsStatus.Ok);
            t.Volume.FinishUpload(source, entry, originId: 9, contentVersion: "2").Ok();
        }

        t.Volume.Attr(f).Dirty.Should().BeTrue();
        t.Volume.Outbox().Should().Equal(OutboxKind.Upload);
    }

    [Fact]
    public void FinishUpload_AbandonChanges_CleanOnTheBaseVersionSoTheOriginsVersionMayReplaceIt()
    {
        using var t = new OutboxVolume();
        var f = t.MakeFile("f", [1, 2, 3]);
        t.Volume.CompleteOutbox(t.Outbox[0], 9, "1").Ok();
        var entry = t.Outbox.Single();

        using (var source = Upload(t, f))
            t.Volume.FinishUpload(source, entry, originId: 9, contentVersion: source.BaseVersion).Ok();

        var node = t.Volume.Attr(f);
        (node.Dirty, node.OriginVersion, node.OriginId).Should().Be((false, "1", 9L));
        t.Volume.OutboxLength.Should().Be(0);
    }

    [Fact]
    public void FinishUpload_AbandonChangesWhileTheFileWasWrittenAgain_TheNewBytesStillQueued()
    {
        using var t = new OutboxVolume();
        var f = t.MakeFile("f", [1, 2, 3]);
        t.Volume.CompleteOutbox(t.Outbox[0], 9, "1").Ok();
        var entry = t.Outbox.Single();

        using (var source = Upload(t, f))
        {
            var h = t.Volume.OpenHandle(f);
            t.Volume.WriteAt(h, 0, [8]);
            t.Volume.FinishUpload(source, entry, originId: 9, contentVersion: source.BaseVersion).Ok();
            t.Volume.Release(h).Ok();
        }

        t.Volume.Attr(f).Dirty.Should().BeTrue("the byte written while the conflict copy went up is in no copy yet");
        t.Volume.Outbox().Should().Equal(OutboxKind.Upload);
    }

    [Fact]
    public async Task OpenUploadAsync_PartlyCachedFile_FetchesTheRestFirst()
    {
        using var t = new OutboxVolume();
        var content = VolumeTestExtensions.Bytes(50_000);
        var fetcher = new VersionFetcher { ["v1"] = content };
        t.Volume.Fetcher = fetcher;
        RemoteChangeTests.ListRoot(t.Volume, ("f", RemoteChangeTests.File(1, "v1", content.Length)));
        var f = t.Volume.At("f").Id;
        var h = t.Volume.OpenHandle(f);
        t.Volume.WriteAt(h, 10_000, [1, 2, 3]);
        t.Volume.Release(h).Ok();
        t.Volume.Attr(f).Content.Should().Be(ContentState.Partial);
        var expected = content.ToArray();
        expected[10_000] = 1;
        expected[10_001] = 2;
        expected[10_002] = 3;

        var opened = await t.Volume.OpenUploadAsync(f, CancellationToken.None);

        using var source = opened.Value;
        source.BaseVersion.Should().Be("v1");
        source.OriginId.Should().Be(1);
        ReadSource(source).Should().Equal(expected);
        fetcher.Requests.Should().NotBeEmpty();
        t.Volume.Attr(f).Content.Should().Be(ContentState.Complete);
    }

    [Fact]
    public async Task OpenUploadAsync_MissingBytesCannotBeFetched_FailsAndReleasesTheFile()
    {
        using var t = new OutboxVolume();
        RemoteChangeTests.ListRoot(t.Volume, ("f", RemoteChangeTests.File(1, "v1", 5000)));
        var f = t.Volume.At("f").Id;
        var h = t.Volume.OpenHandle(f);
        t.Volume.WriteAt(h, 0, [1]);
        t.Volume.Release(h).Ok();

        var opened = await t.Volume.OpenUploadAsync(f, CancellationToken.None);

        opened.Status.Should().Be(FsStatus.ContentUnavailable);
        t.Volume.Unlink(NodeIds.Root, "f").Should().Be(FsStatus.Ok);
        t.Volume.GetAttributes(f).Status.Should().Be(FsStatus.NotFound, "the failed upload did not keep the file open");
    }

    [Fact]
    public async Task OpenUploadAsync_Directory_Refused()
    {
        using var t = new OutboxVolume();
        var d = t.MakeDir("d");

        (await t.Volume.OpenUploadAsync(d, CancellationToken.None)).Status.Should().Be(FsStatus.IsDirectory);
    }

    [Fact]
    public void OutboxChanged_RaisedForCommitsThatQueue_NotForOthers()
    {
        using var t = new OutboxVolume();
        var raised = 0;
        t.Volume.OutboxChanged = () => Interlocked.Increment(ref raised);

        t.MakeDir("d");
        raised.Should().Be(1);
        t.Volume.WriteSetting("cursor", "5").Ok();
        t.Volume.GetAttributes(NodeIds.Root).Status.Should().Be(FsStatus.Ok);
        raised.Should().Be(1);
        t.Volume.ReadSetting("cursor").Should().Be("5");
        t.Volume.ReadSetting("never").Should().BeNull();
    }

    [Fact]
    public void ReadOutbox_AfterASequence_PagesInOrder()
    {
        using var t = new OutboxVolume();
        for (var i = 0; i < 5; i++)
            t.MakeDir("d" + i);

        var first = t.Volume.ReadOutbox(0, 2);
        var rest = t.Volume.ReadOutbox(first[^1].Sequence, 10);

        first.Select(e => e.Path).Should().Equal("d0", "d1");
        rest.Select(e => e.Path).Should().Equal("d2", "d3", "d4");
        t.Volume.OutboxLength.Should().Be(5);
    }

    [Fact]
    public void PathOf_NestedAndUnlinked_SpelledFromTheRootOrNull()
    {
        using var t = new OutboxVolume();
        var a = t.MakeDir("a");
        var b = t.MakeDir("b", parent: a);
        var f = t.MakeFile("f", parent: b);
        var h = t.Volume.OpenHandle(f);

        t.Volume.PathOf(f).Should().Be("a/b/f");
        t.Volume.Unlink(b, "f").Ok();
        t.Volume.PathOf(f).Should().BeNull();
        t.Volume.Release(h).Ok();
    }

    private static (long Id, ulong Handle) CreateOpen(OutboxVolume t, string name)
    {
        var created = t.Volume.Create(NodeIds.Root, name, TestVolume.Owner, OpenFlags.ReadWrite, exclusive: true);
        created.Status.Should().Be(FsStatus.Ok);
        return (created.Value.Attributes.Id, created.Value.Handle);
    }

    private static UploadSource Upload(OutboxVolume t, long id)
    {
        var opened = t.Volume.OpenUploadAsync(id, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        opened.Status.Should().Be(FsStatus.Ok);
        return opened.Value;
    }

    private static byte[] ReadSource(UploadSource source)
    {
        var bytes = new byte[source.Size];
        for (long offset = 0; offset < source.Size;)
        {
            var n = source.Read(offset, bytes.AsSpan((int)offset));
            n.Should().BePositive();
            offset += n;
        }

        source.Read(source.Size, new byte[1]).Should().Be(0);
        return bytes;
    }
}
