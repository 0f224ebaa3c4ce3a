using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using CacheFs.Protocol;

namespace CacheFs.Origin.Tests.Content;

public sealed class ContentTests : IAsyncLifetime
{
    private static readonly byte[] Data = [.. Enumerable.Range(0, 100_000).Select(i => (byte)(i * 7))];
    private TestOrigin _origin = null!;

    public async Task InitializeAsync() => _origin = await TestOrigin.StartAsync(root => File.WriteAllBytes(Path.Join(root, "data.bin"), Data));

    public async Task DisposeAsync() => await _origin.DisposeAsync();

    [Fact]
    public async Task Get_Whole_SendsTheBytesWithTheContentVersionAsETag()
    {
        var node = await _origin.Client.NodeAsync("data.bin");
        using var response = await _origin.Client.Http.GetAsync($"{Routes.Content}?path=data.bin");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.ETag!.Tag.Should().Be($"\"{node.ContentVersion}\"");
        response.Headers.AcceptRanges.Should().Contain("bytes");
        (await response.Content.ReadAsByteArrayAsync()).Should().Equal(Data);
    }

    [Theory]
    [InlineData(0, 4095)]
    [InlineData(99_000, 99_999)]
    [InlineData(50_000, 200_000)]
    public async Task Get_Range_Is206WithContentRange(long from, long to)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"{Routes.Content}?path=data.bin");
        request.Headers.Range = new RangeHeaderValue(from, to);
        using var response = await _origin.Client.Http.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.PartialContent);
        var last = Math.Min(to, Data.Length - 1);
        response.Content.Headers.ContentRange!.ToString().Should().Be($"bytes {from}-{last}/{Data.Length}");
        (await response.Content.ReadAsByteArrayAsync()).Should().Equal(Data[(int)from..(int)(last + 1)]);
    }

    [Fact]
    public async Task Get_SuffixRange_IsTheLastBytes()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"{Routes.Content}?path=data.bin");
        request.Headers.Range = new RangeHeaderValue(null, 10);
        using var response = await _origin.Client.Http.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.PartialContent);
        (await response.Content.ReadAsByteArrayAsync()).Should().Equal(Data[^10..]);
    }

    [Fact]
    public async Task Get_RangePastTheEnd_Is416()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"{Routes.Content}?path=data.bin");
        request.Headers.Range = new RangeHeaderValue(Data.Length, null);
        using var response = await _origin.Client.Http.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.RequestedRangeNotSatisfiable);
        response.Content.Headers.ContentRange!.ToString().Should().Be($"bytes */{Data.Length}");
    }

    [Fact]
    public async Task Get_IfMatchAnOldVersion_Is412WithTheCurrent()
    {
        var node = await _origin.Client.NodeAsync("data.bin");
        var request = new HttpRequestMessage(HttpMethod.Get, $"{Routes.Content}?path=data.bin");
        request.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{node.ContentVersion - 1}\""));
        var report = await OriginClient.Problem(await _origin.Client.Http.SendAsync(request), HttpStatusCode.PreconditionFailed, ErrorCode.VersionMismatch);
        report.CurrentVersion.Should().Be(node.ContentVersion);
    }

    [Fact]
    public async Task Get_ADirectory_IsIsDirectory()
    {
        await OriginClient.Problem(await _origin.Client.Http.GetAsync($"{Routes.Content}?path="), HttpStatusCode.Conflict, ErrorCode.IsDirectory);
    }

    [Fact]
    public async Task Get_ALargeFile_StreamsEveryByte()
    {
        var large = RandomNumberGenerator.GetBytes(9 << 20);
        await _origin.Client.PutAsync("large.bin", large);
        var read = await _origin.Client.ReadAsync("large.bin");
        SHA256.HashData(read).Should().Equal(SHA256.HashData(large));
    }

    [Fact]
    public async Task Put_New_WithIfNoneMatchStar_Is201_AndASecondTimeIs409Exists()
    {
        using var created = await _origin.Client.PutRawAsync("new.txt", "hello"u8.ToArray(), r => r.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Any));
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var node = await OriginClient.ReadOk(created, ProtocolJson.Default.NodeInfo);
        OriginClient.Cursor(created).Should().Be(node.Version);
        File.ReadAllText(_origin.Disk("new.txt")).Should().Be("hello");

        using var again = await _origin.Client.PutRawAsync("new.txt", "other"u8.ToArray(), r => r.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Any));
        (await OriginClient.Problem(again, HttpStatusCode.Conflict, ErrorCode.Exists)).CurrentVersion.Should().Be(node.ContentVersion);
    }

    [Fact]
    public async Task Put_IfMatchCurrent_ReplacesTheContent_WithANewVersion()
    {
        var before = await _origin.Client.NodeAsync("data.bin");
        using var response = await _origin.Client.PutRawAsync("data.bin", "short"u8.ToArray(), r => r.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{before.ContentVersion}\"")));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var after = await OriginClient.ReadOk(response, ProtocolJson.Default.NodeInfo);

        after.Id.Should().Be(before.Id);
        after.ContentVersion.Should().BeGreaterThan(before.ContentVersion);
        after.Version.Should().Be(after.ContentVersion);
        after.Size.Should().Be(5);
        response.Headers.ETag!.Tag.Should().Be($"\"{after.ContentVersion}\"");
        File.ReadAllText(_origin.Disk("data.bin")).Should().Be("short");
        var change = (await _origin.Client.ChangesAsync(before.Version)).Changes.Single();
        change.Kind.Should().Be(ChangeKind.ContentChanged);
        change.NodeId.Should().Be(before.Id);
    }

    [Fact]
    public async Task Put_AfterAChmod_StillMatchesTheContentVersion()
    {
        var before = await _origin.Client.NodeAsync("data.bin");
        var chmod = await _origin.Client.OpAsync(Routes.SetAttributes, new SetAttributesRequest("data.bin") { Mode = 0x180 }, ProtocolJson.Default.SetAttributesRequest);
        chmod.Version.Should().BeGreaterThan(before.Version);
        chmod.ContentVersion.Should().Be(before.ContentVersion);

        var after = await _origin.Client.PutAsync("data.bin", "new", r => r.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{before.ContentVersion}\"")));
        after.Mode.Should().Be(0x180, "an upload keeps the node's attributes");
    }

    [Fact]
    public async Task Put_WithAMatchingDigest_IsAccepted_AndAWrongOneIsRefused()
    {
        var body = "checked"u8.ToArray();
        await _origin.Client.PutAsync("checked.txt", body, r => r.Headers.Add(Headers.ContentSha256, Convert.ToHexStringLower(SHA256.HashData(body))));
        var before = Snapshot.Of(_origin);
        using var wrong = await _origin.Client.PutRawAsync("checked.txt", "tampered"u8.ToArray(), r => r.Headers.Add(Headers.ContentSha256, Convert.ToHexStringLower(SHA256.HashData(body))));
        await OriginClient.Problem(wrong, HttpStatusCode.BadRequest, ErrorCode.DigestMismatch);
        Snapshot.Of(_origin).Should().Be(before);
    }

    [Fact]
    public async Task Put_ToAHardLinkedFile_ChangesEveryName()
    {
        await _origin.Client.OpAsync(Routes.Link, new LinkRequest("data.bin", "alias.bin"), ProtocolJson.Default.LinkRequest);
        await _origin.Client.PutAsync("data.bin", "replaced");
        Encoding.UTF8.GetString(await _origin.Client.ReadAsync("alias.bin")).Should().Be("replaced");
        File.ReadAllText(_origin.Disk("alias.bin")).Should().Be("replaced");
        (await _origin.Client.NodeAsync("alias.bin")).LinkCount.Should().Be(2);
    }

    [Fact]
    public async Task Put_WithoutContentLength_IsRefused()
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"{Routes.Content}?path=chunked.bin") { Content = new StreamContent(new MemoryStream("abc"u8.ToArray())) };
        request.Headers.TransferEncodingChunked = true;
        await OriginClient.Problem(await _origin.Client.Http.SendAsync(request), HttpStatusCode.BadRequest, ErrorCode.BadRequest);
        File.Exists(_origin.Disk("chunked.bin")).Should().BeFalse();
    }

    [Fact]
    public async Task Put_IntoAMissingDirectory_IsNotFound()
    {
        await OriginClient.Problem(await _origin.Client.PutRawAsync("nowhere/x.bin", [1]), HttpStatusCode.NotFound, ErrorCode.NotFound);
    }

    [Fact]
    public async Task Put_Empty_MakesAnEmptyFile()
    {
        var node = await _origin.Client.PutAsync("empty", []);
        node.Size.Should().Be(0);
        (await _origin.Client.ReadAsync("empty")).Should().BeEmpty();
    }
}
