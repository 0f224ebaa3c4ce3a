using System.Text;
using CacheFs.Origin.Storage;
using CacheFs.Protocol;

namespace CacheFs.Origin.Tests.Storage;

/// <summary>What the origin finds on its disk at start: imports, changes and removals made behind its back, and its own state kept.</summary>
public sealed class ImportTests : IAsyncLifetime
{
    private TestOrigin _origin = null!;

    private OriginClient Client => _origin.Client;

    public async Task InitializeAsync() => _origin = await TestOrigin.StartAsync(root =>
    {
        File.WriteAllText(Path.Join(root, "kept.txt"), "kept");
        File.WriteAllText(Path.Join(root, "edited.txt"), "before");
        File.WriteAllText(Path.Join(root, "deleted.txt"), "gone soon");
    });

    public async Task DisposeAsync() => await _origin.DisposeAsync();

    [Fact]
    public async Task Restart_KeepsIdsVersionsAndDatabaseOnlyNodes()
    {
        var link = await Client.OpAsync(Routes.MakeNode, new MakeNodeRequest("link", RemoteKind.Symlink, new NewNodeAttributes()) { Target = "kept.txt" }, ProtocolJson.Default.MakeNodeRequest);
        await Client.OpAsync(Routes.SetXattr, new SetXattrRequest("kept.txt", "user.k", [7]), ProtocolJson.Default.SetXattrRequest);
        var before = await Client.ListAsync();

        await _origin.RestartAsync();

        var after = await Client.ListAsync();
        after.Should().BeEquivalentTo(before, "nothing changed on the disk");
        (await Client.NodeAsync("link")).Should().BeEquivalentTo(link);
    }

    [Fact]
    public async Task Restart_SeesEditsAdditionsAndDeletionsMadeBehindItsBack()
    {
        var edited = await Client.NodeAsync("edited.txt");
        var kept = await Client.NodeAsync("kept.txt");
        var cursor = (await Client.ChangesAsync(0)).Cursor;

        await _origin.RestartAsync(root =>
        {
            File.WriteAllText(Path.Join(root, "edited.txt"), "after, and longer");
            File.Delete(Path.Join(root, "deleted.txt"));
            Directory.CreateDirectory(Path.Join(root, "added"));
            File.WriteAllText(Path.Join(root, "added", "new.txt"), "new");
        });

        var changes = (await Client.ChangesAsync(cursor)).Changes;
        changes.Should().Contain(c => c.Kind == ChangeKind.ContentChanged && c.Path == "edited.txt" && c.NodeId == edited.Id);
        changes.Should().Contain(c => c.Kind == ChangeKind.Removed && c.Path == "deleted.txt");
        changes.Should().Contain(c => c.Kind == ChangeKind.Created && c.Path == "added/new.txt");
        changes.Should().NotContain(c => c.Path == "kept.txt");

        var now = await Client.NodeAsync("edited.txt");
        now.Id.Should().Be(edited.Id);
        now.ContentVersion.Should().BeGreaterThan(edited.ContentVersion);
        now.Size.Should().Be("after, and longer".Length);
        (await Client.NodeAsync("kept.txt")).Should().BeEquivalentTo(kept);
        Encoding.UTF8.GetString(await Client.ReadAsync("added/new.txt")).Should().Be("new");
    }

    [Fact]
    public async Task Restart_ANewFileGivenADeletedFilesInode_IsANewNodeNotAHardLinkOfIt()
    {
        var deleted = await Client.NodeAsync("deleted.txt");
        string? reborn = null;

        await _origin.RestartAsync(root =>
        {
            var inode = Disk.Stat(Path.Join(root, "deleted.txt"))!.Inode;
            File.Delete(Path.Join(root, "deleted.txt"));

            // ext4 hands a freed inode number to the next file made; a few tries make sure one of them got it.
            for (var i = 0; i < 20 && reborn is null; i++)
            {
                var name = $"new-{i}.txt";
                File.WriteAllText(Path.Join(root, name), "new");
                if (Disk.Stat(Path.Join(root, name))!.Inode == inode)
                    reborn = name;
            }
        });

        reborn.Should().NotBeNull("the test needs a new file on the deleted file's inode number");
        var node = await Client.NodeAsync(reborn!);
        node.Id.Should().NotBe(deleted.Id, "the deleted file is gone; its inode number says nothing");
        node.Size.Should().Be(3);
        node.LinkCount.Should().Be(1);
        Encoding.UTF8.GetString(await Client.ReadAsync(reborn!)).Should().Be("new");
    }

    [Fact]
    public async Task Start_WithTheStateDirectoryInUse_IsRefused()
    {
        var act = () => OriginServer.StartAsync(new OriginOptions { Root = _origin.Root, Listen = "127.0.0.1:0", Tokens = [OriginToken.FromSecret("t", "t")] });
        (await act.Should().ThrowAsync<OriginStartException>()).Which.Error.Should().Be(OriginStartError.StateInUse);
    }

    [Fact]
    public async Task Start_OnAPortInUse_IsRefused()
    {
        var other = Path.Join(_origin.Directory, "other");
        Directory.CreateDirectory(other);
        var act = () => OriginServer.StartAsync(new OriginOptions { Root = other, Listen = $"127.0.0.1:{_origin.Server.Uri.Port}", Tokens = [OriginToken.FromSecret("t", "t")] });
        (await act.Should().ThrowAsync<OriginStartException>()).Which.Error.Should().Be(OriginStartError.AddressInUse);
        Directory.EnumerateFileSystemEntries(Path.Join(other, OriginOptions.DefaultStateDirectoryName)).Should().NotContain(p => p.EndsWith(".part", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_WithoutARoot_OrTokens_IsRefused()
    {
        var missing = () => OriginServer.StartAsync(new OriginOptions { Root = Path.Join(_origin.Directory, "missing"), Listen = "127.0.0.1:0", Tokens = [OriginToken.FromSecret("t", "t")] });
        (await missing.Should().ThrowAsync<OriginStartException>()).Which.Error.Should().Be(OriginStartError.RootMissing);
        Directory.Exists(Path.Join(_origin.Directory, "missing")).Should().BeFalse("nothing is created for a missing root");

        var noTokens = () => OriginServer.StartAsync(new OriginOptions { Root = _origin.Root, Listen = "127.0.0.1:0", Tokens = [] });
        (await noTokens.Should().ThrowAsync<OriginStartException>()).Which.Error.Should().Be(OriginStartError.NoTokens);
    }

    [Fact]
    public async Task ASymlinkPlacedOnTheDiskBehindTheOriginsBack_IsNeverFollowed()
    {
        var outside = Path.Join(_origin.Directory, "outside");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Join(outside, "secret.txt"), "secret");
        await Client.MkdirAsync("dir");
        await Client.PutAsync("dir/secret.txt", "public");
        Directory.Delete(_origin.Disk("dir"), recursive: true);
        File.CreateSymbolicLink(_origin.Disk("dir"), outside);

        using var response = await Client.Http.GetAsync($"{Routes.Content}?path=dir/secret.txt");
        await OriginClient.Problem(response, System.Net.HttpStatusCode.BadRequest, ErrorCode.InvalidPath);
        using var put = await Client.PutRawAsync("dir/secret.txt", "overwrite"u8.ToArray());
        await OriginClient.Problem(put, System.Net.HttpStatusCode.BadRequest, ErrorCode.InvalidPath);
        File.ReadAllText(Path.Join(outside, "secret.txt")).Should().Be("secret");
    }
}
