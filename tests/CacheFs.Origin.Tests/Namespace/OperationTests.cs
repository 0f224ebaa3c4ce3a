using System.Net;
using System.Text;
using CacheFs.Protocol;

namespace CacheFs.Origin.Tests.Namespace;

public sealed class OperationTests : IAsyncLifetime
{
    private static readonly ProtocolJson Json = ProtocolJson.Default;
    private TestOrigin _origin = null!;

    private OriginClient Client => _origin.Client;

    public async Task InitializeAsync() => _origin = await TestOrigin.StartAsync(root =>
    {
        Directory.CreateDirectory(Path.Join(root, "dir", "sub"));
        File.WriteAllText(Path.Join(root, "dir", "a.txt"), "a");
        File.WriteAllText(Path.Join(root, "dir", "sub", "b.txt"), "b");
        File.WriteAllText(Path.Join(root, "c.txt"), "c");
    });

    public async Task DisposeAsync() => await _origin.DisposeAsync();

    [Fact]
    public async Task Mkdir_MakesTheDirectoryOnDisk_AndAChangeRecord()
    {
        using var response = await Client.PostRawAsync(Routes.MakeDirectory, new MakeDirectoryRequest("dir/new", new NewNodeAttributes { Mode = 0x1C0, Uid = 1000, Gid = 100, ModifyTimeNs = 42 }), Json.MakeDirectoryRequest);
        response.StatusCode.Should().Be(HttpStatusCode.Created);
        var node = await OriginClient.ReadOk(response, Json.NodeInfo);

        Directory.Exists(_origin.Disk("dir/new")).Should().BeTrue();
        node.Should().Match<NodeInfo>(n => n.Kind == RemoteKind.Directory && n.Mode == 0x1C0 && n.Uid == 1000 && n.Gid == 100 && n.ModifyTimeNs == 42 && n.Name == "new");
        OriginClient.Cursor(response).Should().Be(node.Version);
        var change = (await Client.ChangesAsync(node.Version - 1)).Changes.Single();
        change.Should().Match<ChangeRecord>(c => c.Kind == ChangeKind.Created && c.Path == "dir/new" && c.NodeId == node.Id && c.Node!.Id == node.Id);
        (await Client.NodeAsync("dir")).Version.Should().Be(node.Version, "the parent's entries changed");
    }

    [Fact]
    public async Task Mkdir_Refusals_FollowPosix()
    {
        await Expect(Routes.MakeDirectory, new MakeDirectoryRequest("dir", new NewNodeAttributes()), Json.MakeDirectoryRequest, HttpStatusCode.Conflict, ErrorCode.Exists);
        await Expect(Routes.MakeDirectory, new MakeDirectoryRequest("missing/x", new NewNodeAttributes()), Json.MakeDirectoryRequest, HttpStatusCode.NotFound, ErrorCode.NotFound);
        await Expect(Routes.MakeDirectory, new MakeDirectoryRequest("c.txt/x", new NewNodeAttributes()), Json.MakeDirectoryRequest, HttpStatusCode.Conflict, ErrorCode.NotDirectory);
    }

    [Fact]
    public async Task Mknod_SymlinkFifoAndDevice_LiveInTheDatabaseOnly()
    {
        var link = await Client.OpAsync(Routes.MakeNode, new MakeNodeRequest("dir/link", RemoteKind.Symlink, new NewNodeAttributes { Mode = 0x1FF }) { Target = "../../etc/passwd" }, Json.MakeNodeRequest);
        var fifo = await Client.OpAsync(Routes.MakeNode, new MakeNodeRequest("dir/pipe", RemoteKind.Fifo, new NewNodeAttributes { Mode = 0x1A4 }), Json.MakeNodeRequest);
        var device = await Client.OpAsync(Routes.MakeNode, new MakeNodeRequest("dir/null", RemoteKind.CharDevice, new NewNodeAttributes()) { DeviceNumber = 0x103 }, Json.MakeNodeRequest);

        link.Target.Should().Be("../../etc/passwd");
        link.Size.Should().Be("../../etc/passwd".Length);
        fifo.Kind.Should().Be(RemoteKind.Fifo);
        device.DeviceNumber.Should().Be(0x103);
        Path.Exists(_origin.Disk("dir/link")).Should().BeFalse();
        File.Exists(_origin.Disk("dir/pipe")).Should().BeFalse();
        (await Client.ListAsync("dir")).Entries.Select(e => e.Name).Should().Contain(["link", "pipe", "null"]);
        await OriginClient.Problem(await Client.Http.GetAsync($"{Routes.Content}?path=dir/link"), HttpStatusCode.BadRequest, ErrorCode.InvalidArgument);
    }

    [Fact]
    public async Task Mknod_File_MakesAnEmptyFileOnDisk()
    {
        var node = await Client.OpAsync(Routes.MakeNode, new MakeNodeRequest("dir/empty", RemoteKind.File, new NewNodeAttributes { Mode = 0x1A4 }), Json.MakeNodeRequest);
        node.Size.Should().Be(0);
        new FileInfo(_origin.Disk("dir/empty")).Length.Should().Be(0);
        await Expect(Routes.MakeNode, new MakeNodeRequest("dir/x", RemoteKind.Directory, new NewNodeAttributes()), Json.MakeNodeRequest, HttpStatusCode.BadRequest, ErrorCode.InvalidArgument);
        await Expect(Routes.MakeNode, new MakeNodeRequest("dir/y", RemoteKind.Symlink, new NewNodeAttributes()), Json.MakeNodeRequest, HttpStatusCode.BadRequest, ErrorCode.InvalidArgument);
    }

    [Fact]
    public async Task Link_MakesARealHardLink()
    {
        var node = await Client.OpAsync(Routes.Link, new LinkRequest("c.txt", "dir/c-link.txt"), Json.LinkRequest);
        node.LinkCount.Should().Be(2);
        node.Id.Should().Be((await Client.NodeAsync("c.txt")).Id);
        File.ReadAllText(_origin.Disk("dir/c-link.txt")).Should().Be("c");
        await Expect(Routes.Link, new LinkRequest("dir", "dir2"), Json.LinkRequest, HttpStatusCode.Conflict, ErrorCode.IsDirectory);
        await Expect(Routes.Link, new LinkRequest("c.txt", "dir/a.txt"), Json.LinkRequest, HttpStatusCode.Conflict, ErrorCode.Exists);
    }

    [Fact]
    public async Task Rename_OntoAnExistingFile_ReportsTheRemovalThenTheRename()
    {
        var source = await Client.NodeAsync("c.txt");
        var target = await Client.NodeAsync("dir/a.txt");
        using var response = await Client.PostRawAsync(Routes.Rename, new RenameRequest("c.txt", "dir/a.txt"), Json.RenameRequest);
        var moved = await OriginClient.ReadOk(response, Json.NodeInfo);

        moved.Id.Should().Be(source.Id);
        moved.Name.Should().Be("a.txt");
        File.ReadAllText(_origin.Disk("dir/a.txt")).Should().Be("c");
        File.Exists(_origin.Disk("c.txt")).Should().BeFalse();
        var changes = (await Client.ChangesAsync(OriginClient.Cursor(response) - 2)).Changes;
        changes.Should().HaveCount(2);
        changes[0].Should().Match<ChangeRecord>(c => c.Kind == ChangeKind.Removed && c.Path == "dir/a.txt" && c.NodeId == target.Id && c.Node == null);
        changes[1].Should().Match<ChangeRecord>(c => c.Kind == ChangeKind.Renamed && c.Path == "c.txt" && c.NewPath == "dir/a.txt" && c.NodeId == source.Id);
    }

    [Fact]
    public async Task Rename_NoReplace_RefusesAnExistingTarget()
    {
        await Expect(Routes.Rename, new RenameRequest("c.txt", "dir/a.txt", RenameMode.NoReplace), Json.RenameRequest, HttpStatusCode.Conflict, ErrorCode.Exists);
        var moved = await Client.OpAsync(Routes.Rename, new RenameRequest("c.txt", "dir/d.txt", RenameMode.NoReplace), Json.RenameRequest);
        moved.Name.Should().Be("d.txt");
    }

    [Fact]
    public async Task Rename_ExpectedIdOfAnotherNode_NotFoundAndNothingMoves()
    {
        var source = await Client.NodeAsync("c.txt");

        await Expect(Routes.Rename, new RenameRequest("c.txt", "dir/d.txt") { ExpectedId = source.Id + 1000 }, Json.RenameRequest, HttpStatusCode.NotFound, ErrorCode.NotFound);
        (await Client.NodeAsync("c.txt")).Id.Should().Be(source.Id, "the node the caller meant is not there, so nothing moves");

        var moved = await Client.OpAsync(Routes.Rename, new RenameRequest("c.txt", "dir/d.txt") { ExpectedId = source.Id }, Json.RenameRequest);
        moved.Id.Should().Be(source.Id);
    }

    [Fact]
    public async Task Rename_OverAFileChangedSinceTheExpectedContentVersion_VersionMismatchAndNothingMoves()
    {
        var target = await Client.NodeAsync("dir/a.txt");
        var stale = target.ContentVersion - 1;

        await Expect(Routes.Rename, new RenameRequest("c.txt", "dir/a.txt") { ExpectedTargetContentVersion = stale }, Json.RenameRequest, HttpStatusCode.PreconditionFailed, ErrorCode.VersionMismatch);
        File.ReadAllText(_origin.Disk("dir/a.txt")).Should().Be("a", "the changed file is not replaced");
        File.ReadAllText(_origin.Disk("c.txt")).Should().Be("c");

        var moved = await Client.OpAsync(Routes.Rename, new RenameRequest("c.txt", "dir/a.txt") { ExpectedTargetContentVersion = target.ContentVersion }, Json.RenameRequest);
        moved.Name.Should().Be("a.txt");
        File.ReadAllText(_origin.Disk("dir/a.txt")).Should().Be("c", "the version the caller saw may be replaced");
    }

    [Fact]
    public async Task Names_OfANode_EveryPathWhereverItMoved_NoneOnceGone()
    {
        var source = await Client.NodeAsync("c.txt");
        await Client.OpAsync(Routes.Rename, new RenameRequest("c.txt", "dir/d.txt"), Json.RenameRequest);
        await Client.OpAsync(Routes.Link, new LinkRequest("dir/d.txt", "e.txt"), Json.LinkRequest);

        (await Client.GetJsonAsync($"{Routes.Names}?id={source.Id}", Json.NodeNames)).Paths.Should().Equal("dir/d.txt", "e.txt");
        (await Client.GetJsonAsync($"{Routes.Names}?id={source.Id + 1000}", Json.NodeNames)).Paths.Should().BeEmpty();
    }

    [Fact]
    public async Task Rename_Exchange_SwapsBothNames()
    {
        var file = await Client.NodeAsync("c.txt");
        var directory = await Client.NodeAsync("dir/sub");
        await Client.OpAsync(Routes.Rename, new RenameRequest("c.txt", "dir/sub", RenameMode.Exchange), Json.RenameRequest);

        (await Client.NodeAsync("dir/sub")).Id.Should().Be(file.Id);
        (await Client.NodeAsync("c.txt")).Id.Should().Be(directory.Id);
        (await Client.NodeAsync("c.txt/b.txt")).Kind.Should().Be(RemoteKind.File);
        File.ReadAllText(_origin.Disk("dir/sub")).Should().Be("c");
        File.ReadAllText(_origin.Disk("c.txt/b.txt")).Should().Be("b");
    }

    [Fact]
    public async Task Rename_ADirectory_MovesEverythingBelowIt()
    {
        await Client.OpAsync(Routes.Rename, new RenameRequest("dir", "moved"), Json.RenameRequest);
        (await Client.ListAsync("moved/sub")).Entries.Single().Name.Should().Be("b.txt");
        Encoding.UTF8.GetString(await Client.ReadAsync("moved/sub/b.txt")).Should().Be("b");
        await OriginClient.Problem(await Client.Http.GetAsync($"{Routes.Node}?path=dir/a.txt"), HttpStatusCode.NotFound, ErrorCode.NotFound);
    }

    [Fact]
    public async Task Rename_Refusals_FollowPosix()
    {
        await Expect(Routes.Rename, new RenameRequest("dir", "dir/sub/inside"), Json.RenameRequest, HttpStatusCode.BadRequest, ErrorCode.InvalidArgument);
        await Expect(Routes.Rename, new RenameRequest("c.txt", "dir"), Json.RenameRequest, HttpStatusCode.Conflict, ErrorCode.IsDirectory);
        await Expect(Routes.Rename, new RenameRequest("dir/sub", "c.txt"), Json.RenameRequest, HttpStatusCode.Conflict, ErrorCode.NotDirectory);
        await Client.MkdirAsync("other");
        await Expect(Routes.Rename, new RenameRequest("other", "dir"), Json.RenameRequest, HttpStatusCode.Conflict, ErrorCode.NotEmpty);
        await Expect(Routes.Rename, new RenameRequest("missing", "x"), Json.RenameRequest, HttpStatusCode.NotFound, ErrorCode.NotFound);
        await Expect(Routes.Rename, new RenameRequest("c.txt", "x") { ExpectedVersion = 1 }, Json.RenameRequest, HttpStatusCode.PreconditionFailed, ErrorCode.VersionMismatch);
    }

    [Fact]
    public async Task Remove_AFile_GoesFromDiskAndDatabase()
    {
        using var response = await Client.PostRawAsync(Routes.Remove, new RemoveRequest("dir/a.txt", false), Json.RemoveRequest);
        var removed = await OriginClient.ReadOk(response, Json.NodeInfo);
        removed.LinkCount.Should().Be(0);
        File.Exists(_origin.Disk("dir/a.txt")).Should().BeFalse();
        (await Client.ChangesAsync(OriginClient.Cursor(response) - 1)).Changes.Single().Kind.Should().Be(ChangeKind.Removed);
    }

    [Fact]
    public async Task Remove_Refusals_FollowPosix()
    {
        await Expect(Routes.Remove, new RemoveRequest("dir", true), Json.RemoveRequest, HttpStatusCode.Conflict, ErrorCode.NotEmpty);
        await Expect(Routes.Remove, new RemoveRequest("dir", false), Json.RemoveRequest, HttpStatusCode.Conflict, ErrorCode.IsDirectory);
        await Expect(Routes.Remove, new RemoveRequest("c.txt", true), Json.RemoveRequest, HttpStatusCode.Conflict, ErrorCode.NotDirectory);
        await Expect(Routes.Remove, new RemoveRequest("", true), Json.RemoveRequest, HttpStatusCode.BadRequest, ErrorCode.InvalidArgument);
        await Expect(Routes.Remove, new RemoveRequest("c.txt", false) { ExpectedVersion = 1 }, Json.RemoveRequest, HttpStatusCode.PreconditionFailed, ErrorCode.VersionMismatch);
        await Client.OpAsync(Routes.Remove, new RemoveRequest("dir/sub/b.txt", false), Json.RemoveRequest);
        await Client.OpAsync(Routes.Remove, new RemoveRequest("dir/sub", true), Json.RemoveRequest);
        Directory.Exists(_origin.Disk("dir/sub")).Should().BeFalse();
    }

    [Fact]
    public async Task SetAttributes_RoundTripsMetadata_WithoutTouchingContent()
    {
        var before = await Client.NodeAsync("c.txt");
        var after = await Client.OpAsync(Routes.SetAttributes, new SetAttributesRequest("c.txt") { Mode = 0x1ED, Uid = 501, Gid = 20, AccessTimeNs = 1_000, ModifyTimeNs = 2_000, WindowsAttributes = 0x21 }, Json.SetAttributesRequest);

        after.Should().Match<NodeInfo>(n => n.Mode == 0x1ED && n.Uid == 501 && n.Gid == 20 && n.AccessTimeNs == 1_000 && n.ModifyTimeNs == 2_000 && n.WindowsAttributes == 0x21);
        after.ContentVersion.Should().Be(before.ContentVersion);
        (await Client.ChangesAsync(after.Version - 1)).Changes.Single().Kind.Should().Be(ChangeKind.AttributesChanged);
        (await Client.NodeAsync("c.txt")).Should().BeEquivalentTo(after);
    }

    [Fact]
    public async Task SetAttributes_Size_TruncatesAndExtendsTheFile()
    {
        var truncated = await Client.OpAsync(Routes.SetAttributes, new SetAttributesRequest("c.txt") { Size = 0 }, Json.SetAttributesRequest);
        truncated.ContentVersion.Should().Be(truncated.Version);
        new FileInfo(_origin.Disk("c.txt")).Length.Should().Be(0);
        var extended = await Client.OpAsync(Routes.SetAttributes, new SetAttributesRequest("c.txt") { Size = 10 }, Json.SetAttributesRequest);
        extended.Size.Should().Be(10);
        (await Client.ReadAsync("c.txt")).Should().Equal(new byte[10]);
        (await Client.ChangesAsync(truncated.Version - 1)).Changes.Select(c => c.Kind).Should().Equal(ChangeKind.ContentChanged, ChangeKind.ContentChanged);
        await Expect(Routes.SetAttributes, new SetAttributesRequest("dir") { Size = 0 }, Json.SetAttributesRequest, HttpStatusCode.Conflict, ErrorCode.IsDirectory);
    }

    [Fact]
    public async Task Xattrs_SetReplaceRemove_FollowTheirFlags_AndShowInListings()
    {
        var set = await Client.OpAsync(Routes.SetXattr, new SetXattrRequest("c.txt", "user.tag", [1, 2, 3]), Json.SetXattrRequest);
        set.Xattrs!["user.tag"].Should().Equal(1, 2, 3);
        await Expect(Routes.SetXattr, new SetXattrRequest("c.txt", "user.tag", [9], XattrMode.Create), Json.SetXattrRequest, HttpStatusCode.Conflict, ErrorCode.Exists);
        await Expect(Routes.SetXattr, new SetXattrRequest("c.txt", "user.none", [9], XattrMode.Replace), Json.SetXattrRequest, HttpStatusCode.NotFound, ErrorCode.NoAttribute);
        await Client.OpAsync(Routes.SetXattr, new SetXattrRequest("c.txt", "user.tag", [4], XattrMode.Replace), Json.SetXattrRequest);
        (await Client.ListAsync()).Entries.Single(e => e.Name == "c.txt").Xattrs!["user.tag"].Should().Equal(4);

        var removed = await Client.OpAsync(Routes.RemoveXattr, new RemoveXattrRequest("c.txt", "user.tag"), Json.RemoveXattrRequest);
        removed.Xattrs.Should().BeNull();
        await Expect(Routes.RemoveXattr, new RemoveXattrRequest("c.txt", "user.tag"), Json.RemoveXattrRequest, HttpStatusCode.NotFound, ErrorCode.NoAttribute);
    }

    [Fact]
    public async Task AChangeWithASession_IsTaggedWithIt()
    {
        var session = await Client.OpenSessionAsync("ws-042");
        var node = await Client.OpAsync(Routes.MakeDirectory, new MakeDirectoryRequest("tagged", new NewNodeAttributes()), Json.MakeDirectoryRequest, session.SessionId);
        (await Client.ChangesAsync(node.Version - 1)).Changes.Single().Session.Should().Be(session.SessionId);
    }

    private async Task Expect<T>(string route, T body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, HttpStatusCode status, ErrorCode code)
    {
        using var response = await Client.PostRawAsync(route, body, type);
        await OriginClient.Problem(response, status, code);
    }
}
