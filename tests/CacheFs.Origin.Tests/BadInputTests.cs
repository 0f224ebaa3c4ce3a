using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using CacheFs.Protocol;

namespace CacheFs.Origin.Tests;

/// <summary>
/// Issue 4, item 6: bad input is refused with a clear status and problem report, and leaves the origin's tree and
/// database exactly as they were.
/// </summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private TestOrigin _origin = null!;
    private NodeInfo _file = null!;

    public async Task InitializeAsync()
    {
        _origin = await TestOrigin.StartAsync(root =>
        {
            Directory.CreateDirectory(Path.Join(root, "docs"));
            File.WriteAllText(Path.Join(root, "docs", "report.txt"), "version one");
        });
        await _origin.Client.PutAsync("big.bin", new byte[256 * 1024]);
        _file = await _origin.Client.NodeAsync("docs/report.txt");
    }

    public async Task DisposeAsync() => await _origin.DisposeAsync();

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-token")]
    [InlineData("")]
    public async Task AnyRequest_WithoutAValidToken_Is401_AndChangesNothing(string? token)
    {
        var before = Snapshot.Of(_origin);
        using var client = _origin.NewClient(null);
        if (token is not null)
            client.Http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + token);

        await OriginClient.Problem(await client.Http.GetAsync($"{Routes.List}?path="), HttpStatusCode.Unauthorized, ErrorCode.Unauthorized);
        await OriginClient.Problem(await client.Http.GetAsync($"{Routes.Content}?path=docs/report.txt"), HttpStatusCode.Unauthorized, ErrorCode.Unauthorized);
        await OriginClient.Problem(await client.PutRawAsync("docs/report.txt", "evil"u8.ToArray()), HttpStatusCode.Unauthorized, ErrorCode.Unauthorized);
        await OriginClient.Problem(await client.PostRawAsync(Routes.MakeDirectory, new MakeDirectoryRequest("x", new NewNodeAttributes()), ProtocolJson.Default.MakeDirectoryRequest), HttpStatusCode.Unauthorized, ErrorCode.Unauthorized);
        await OriginClient.Problem(await client.PostRawAsync(Routes.Remove, new RemoveRequest("docs/report.txt", false), ProtocolJson.Default.RemoveRequest), HttpStatusCode.Unauthorized, ErrorCode.Unauthorized);
        await OriginClient.Problem(await client.PostRawAsync(Routes.Sessions, new OpenSessionRequest("intruder"), ProtocolJson.Default.OpenSessionRequest), HttpStatusCode.Unauthorized, ErrorCode.Unauthorized);
        using var unauthorized = await client.Http.GetAsync($"{Routes.List}?path=");
        unauthorized.Headers.WwwAuthenticate.Should().ContainSingle().Which.Scheme.Should().Be("Bearer");

        Snapshot.Of(_origin).Should().Be(before);
    }

    [Fact]
    public async Task Health_NeedsNoToken()
    {
        using var client = _origin.NewClient(null);
        var health = await client.GetJsonAsync(Routes.Health, ProtocolJson.Default.HealthReport);
        health.Status.Should().Be("ok");
        health.Cursor.Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task ABasicAuthorization_Is401()
    {
        using var client = _origin.NewClient(null);
        client.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("a:" + TestOrigin.Token)));
        await OriginClient.Problem(await client.Http.GetAsync($"{Routes.List}?path="), HttpStatusCode.Unauthorized, ErrorCode.Unauthorized);
    }

    [Theory]
    [InlineData("../outside.txt")]
    [InlineData("docs/../../outside.txt")]
    [InlineData("docs/./report.txt")]
    [InlineData("/etc/passwd")]
    [InlineData("docs//report.txt")]
    [InlineData("docs/")]
    [InlineData("docs/a\0b")]
    [InlineData(".cachefs-origin")]
    [InlineData(".cachefs-origin/origin.db")]
    [InlineData(".cachefs-origin/uploads/x.part")]
    public async Task APathOutsideTheTree_IsRefusedEverywhere_AndChangesNothing(string path)
    {
        var before = Snapshot.Of(_origin);
        var client = _origin.Client;
        var json = ProtocolJson.Default;

        await InvalidPath(await client.Http.GetAsync($"{Routes.Content}?path={OriginClient.Q(path)}"));
        await InvalidPath(await client.Http.GetAsync($"{Routes.Node}?path={OriginClient.Q(path)}"));
        await InvalidPath(await client.Http.GetAsync($"{Routes.List}?path={OriginClient.Q(path)}"));
        await InvalidPath(await client.PutRawAsync(path, "evil"u8.ToArray()));
        await InvalidPath(await client.PostRawAsync(Routes.MakeDirectory, new MakeDirectoryRequest(path, new NewNodeAttributes()), json.MakeDirectoryRequest));
        await InvalidPath(await client.PostRawAsync(Routes.MakeNode, new MakeNodeRequest(path, RemoteKind.Symlink, new NewNodeAttributes()) { Target = "/etc/passwd" }, json.MakeNodeRequest));
        await InvalidPath(await client.PostRawAsync(Routes.Rename, new RenameRequest("docs/report.txt", path), json.RenameRequest));
        await InvalidPath(await client.PostRawAsync(Routes.Rename, new RenameRequest(path, "docs/new.txt"), json.RenameRequest));
        await InvalidPath(await client.PostRawAsync(Routes.Link, new LinkRequest("docs/report.txt", path), json.LinkRequest));
        await InvalidPath(await client.PostRawAsync(Routes.Remove, new RemoveRequest(path, false), json.RemoveRequest));
        await InvalidPath(await client.PostRawAsync(Routes.SetAttributes, new SetAttributesRequest(path) { Size = 0 }, json.SetAttributesRequest));

        Snapshot.Of(_origin).Should().Be(before);
    }

    [Fact]
    public async Task AMissingPathParameter_IsRefused()
    {
        await InvalidPath(await _origin.Client.Http.GetAsync(Routes.Content));
        await InvalidPath(await _origin.Client.Http.GetAsync(Routes.List));
    }

    [Fact]
    public async Task ATruncatedUpload_LeavesTheOldVersionAndNoTempFile()
    {
        var big = await _origin.Client.NodeAsync("big.bin");
        var before = Snapshot.Of(_origin);
        var uploads = Path.Join(_origin.StateDirectory, "uploads");

        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync(_origin.Server.Uri.Host, _origin.Server.Uri.Port);
            var stream = tcp.GetStream();
            var head = $"PUT {Routes.Content}?path=big.bin HTTP/1.1\r\nHost: origin\r\nAuthorization: Bearer {TestOrigin.Token}\r\n" +
                       $"If-Match: \"{big.ContentVersion}\"\r\nContent-Length: {4 << 20}\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            await stream.WriteAsync(new byte[100 * 1024].Select(_ => (byte)0xAB).ToArray());
            await stream.FlushAsync();
            (await Eventually(() => Directory.EnumerateFiles(uploads).Any())).Should().BeTrue("the origin started writing the temp file");
            tcp.Client.LingerState = new LingerOption(true, 0);
        }

        (await Eventually(() => !Directory.EnumerateFiles(uploads).Any())).Should().BeTrue("the temp file of the dropped upload is removed");
        Snapshot.Of(_origin).Should().Be(before);
        (await _origin.Client.ReadAsync("big.bin")).Should().Equal(new byte[256 * 1024]);
    }

    /// <summary>The client ends its side after a short body: Kestrel drops the connection, the upload is not installed.</summary>
    [Fact]
    public async Task AShortBodyThenEndOfStream_LeavesTheOldVersion()
    {
        var before = Snapshot.Of(_origin);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(_origin.Server.Uri.Host, _origin.Server.Uri.Port);
        var stream = tcp.GetStream();
        var head = $"PUT {Routes.Content}?path=docs/report.txt HTTP/1.1\r\nHost: origin\r\nAuthorization: Bearer {TestOrigin.Token}\r\nContent-Length: 1000\r\n\r\nonly a few bytes";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        tcp.Client.Shutdown(SocketShutdown.Send);
        string answer;
        try
        {
            answer = await new StreamReader(stream).ReadToEndAsync();
        }
        catch (IOException)
        {
            answer = "";
        }

        if (answer.Length > 0)
            answer.Should().StartWith("HTTP/1.1 400").And.Contain("IncompleteUpload");
        (await Eventually(() => !Directory.EnumerateFiles(Path.Join(_origin.StateDirectory, "uploads")).Any())).Should().BeTrue();
        Snapshot.Of(_origin).Should().Be(before);
    }

    [Fact]
    public async Task APutAgainstAStaleVersion_Is412_WithTheCurrentVersion_AndChangesNothing()
    {
        var newer = await _origin.Client.PutAsync("docs/report.txt", "version two", r => r.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{_file.ContentVersion}\"")));
        var before = Snapshot.Of(_origin);

        using var stale = await _origin.Client.PutRawAsync("docs/report.txt", "an edit of version one"u8.ToArray(), r => r.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{_file.ContentVersion}\"")));
        var report = await OriginClient.Problem(stale, HttpStatusCode.PreconditionFailed, ErrorCode.VersionMismatch);

        report.CurrentVersion.Should().Be(newer.ContentVersion);
        Snapshot.Of(_origin).Should().Be(before);
        Encoding.UTF8.GetString(await _origin.Client.ReadAsync("docs/report.txt")).Should().Be("version two");
    }

    [Theory]
    [InlineData("this is not json")]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{\"path\":\"x\",\"attributes\":{},\"color\":\"red\"}")]
    [InlineData("{\"path\":5,\"attributes\":{}}")]
    [InlineData("{\"path\":\"x\",\"attributes\":{\"mode\":\"rwx\"}}")]
    [InlineData("{\"path\":\"x\",\"attributes\":{}")]
    public async Task GarbageJson_Is400BadRequest_AndChangesNothing(string body)
    {
        var before = Snapshot.Of(_origin);
        foreach (var route in new[] { Routes.MakeDirectory, Routes.MakeNode, Routes.Rename, Routes.Remove, Routes.SetAttributes, Routes.SetXattr, Routes.Sessions, Routes.Leases, Routes.Locks })
        {
            using var response = await _origin.Client.Http.PostAsync(route, new StringContent(body, Encoding.UTF8, "application/json"));
            var report = await OriginClient.Problem(response, HttpStatusCode.BadRequest, ErrorCode.BadRequest);
            report.Message.Should().Contain("request body");
        }

        Snapshot.Of(_origin).Should().Be(before);
    }

    [Fact]
    public async Task AnUnknownEnumValue_IsBadRequest()
    {
        using var response = await _origin.Client.Http.PostAsync(Routes.Rename, new StringContent("{\"path\":\"docs/report.txt\",\"newPath\":\"a\",\"mode\":\"Sideways\"}", Encoding.UTF8, "application/json"));
        await OriginClient.Problem(response, HttpStatusCode.BadRequest, ErrorCode.BadRequest);
    }

    [Fact]
    public async Task AnUnknownRoute_Is404Problem()
    {
        await OriginClient.Problem(await _origin.Client.Http.GetAsync("/v1/nothing-here"), HttpStatusCode.NotFound, ErrorCode.NotFound);
    }

    private static async Task InvalidPath(HttpResponseMessage response)
    {
        using (response)
            await OriginClient.Problem(response, HttpStatusCode.BadRequest, ErrorCode.InvalidPath);
    }

    private static async Task<bool> Eventually(Func<bool> condition)
    {
        for (var i = 0; i < 200; i++)
        {
            if (condition())
                return true;
            await Task.Delay(50);
        }

        return condition();
    }
}
