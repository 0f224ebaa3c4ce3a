using System.Net;
using CacheFs.Protocol;

namespace CacheFs.Origin.Tests.Namespace;

public sealed class ListingTests : IAsyncLifetime
{
    private TestOrigin _origin = null!;

    public async Task InitializeAsync() => _origin = await TestOrigin.StartAsync(root =>
    {
        Directory.CreateDirectory(Path.Join(root, "assets", "textures"));
        File.WriteAllText(Path.Join(root, "assets", "scene.blend"), "scene");
        File.WriteAllBytes(Path.Join(root, "assets", "textures", "wood.png"), new byte[1234]);
        Posix.HardLink(Path.Join(root, "assets", "scene.blend"), Path.Join(root, "assets", "scene-link.blend"));
        File.CreateSymbolicLink(Path.Join(root, "assets", "latest"), "scene.blend");
    });

    public async Task DisposeAsync() => await _origin.DisposeAsync();

    [Fact]
    public async Task List_Directory_ShowsEveryEntryWithItsNode_AsOfOneCursor()
    {
        var listing = await _origin.Client.ListAsync("assets");

        listing.Directory.Kind.Should().Be(RemoteKind.Directory);
        listing.Directory.Name.Should().Be("assets");
        listing.Entries.Select(e => e.Name).Should().Equal("latest", "scene-link.blend", "scene.blend", "textures");
        var scene = listing.Entries.Single(e => e.Name == "scene.blend");
        scene.Size.Should().Be(5);
        scene.LinkCount.Should().Be(2);
        listing.Entries.Single(e => e.Name == "scene-link.blend").Id.Should().Be(scene.Id, "hard links are one node");
        var link = listing.Entries.Single(e => e.Name == "latest");
        link.Kind.Should().Be(RemoteKind.Symlink);
        link.Target.Should().Be("scene.blend");
        listing.Entries.Should().OnlyContain(e => e.Version > 0 && e.Version <= listing.Cursor);
        listing.Directory.LinkCount.Should().Be(3, "a directory counts itself, its name and one subdirectory");
    }

    [Fact]
    public async Task List_Root_HidesTheStateDirectory()
    {
        var listing = await _origin.Client.ListAsync();
        listing.Directory.Id.Should().Be(1);
        listing.Entries.Select(e => e.Name).Should().Equal("assets");
    }

    [Fact]
    public async Task List_OfAFile_IsNotDirectory()
    {
        using var response = await _origin.Client.Http.GetAsync($"{Routes.List}?path=assets/scene.blend");
        await OriginClient.Problem(response, HttpStatusCode.Conflict, ErrorCode.NotDirectory);
    }

    [Fact]
    public async Task Node_OfASymlink_IsTheLinkItself()
    {
        var node = await _origin.Client.NodeAsync("assets/latest");
        node.Kind.Should().Be(RemoteKind.Symlink);
        node.Size.Should().Be("scene.blend".Length);
    }

    [Fact]
    public async Task Node_Missing_IsNotFound()
    {
        using var response = await _origin.Client.Http.GetAsync($"{Routes.Node}?path=assets/nothing");
        await OriginClient.Problem(response, HttpStatusCode.NotFound, ErrorCode.NotFound);
    }

    [Fact]
    public async Task Changes_SinceACursor_AreInOrder_AndPageWithMore()
    {
        var start = (await _origin.Client.ChangesAsync(0)).Cursor;
        await _origin.Client.MkdirAsync("new");
        await _origin.Client.PutAsync("new/a.txt", "a");
        await _origin.Client.PutAsync("new/a.txt", "b");

        var first = await _origin.Client.ChangesAsync(start, limit: 2);
        first.Changes.Select(c => c.Kind).Should().Equal(ChangeKind.Created, ChangeKind.Created);
        first.More.Should().BeTrue();
        var rest = await _origin.Client.ChangesAsync(first.Cursor);
        rest.Changes.Should().ContainSingle().Which.Kind.Should().Be(ChangeKind.ContentChanged);
        rest.More.Should().BeFalse();
        rest.Cursor.Should().Be(rest.Changes[0].Cursor);

        var all = first.Changes.Concat(rest.Changes).ToList();
        all.Select(c => c.Cursor).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        all.Select(c => c.Path).Should().Equal("new", "new/a.txt", "new/a.txt");
        all[2].Node!.ContentVersion.Should().Be(all[2].Cursor);
        all[2].Node!.Size.Should().Be(1);
    }

    [Fact]
    public async Task Changes_FromZero_ReportTheImport()
    {
        var batch = await _origin.Client.ChangesAsync(0);
        batch.Changes.Where(c => c.Kind == ChangeKind.Created).Select(c => c.Path)
            .Should().Contain(["", "assets", "assets/scene.blend", "assets/scene-link.blend", "assets/latest", "assets/textures/wood.png"]);
        batch.Changes.Should().OnlyContain(c => c.Session == null);
    }
}
