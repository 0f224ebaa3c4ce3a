using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using CacheFs.Protocol;

namespace CacheFs.Origin.Tests.Content;

/// <summary>Issue 6, item 4: PATCH /v1/content builds a new version from the base and the changed ranges, or changes nothing.</summary>
public sealed class PatchTests : IAsyncLifetime
{
    private static readonly byte[] Data = [.. Enumerable.Range(0, 100_000).Select(i => (byte)(i * 7))];
    private TestOrigin _origin = null!;
    private NodeInfo _base = null!;

    public async Task InitializeAsync()
    {
        _origin = await TestOrigin.StartAsync(root => File.WriteAllBytes(Path.Join(root, "data.bin"), Data));
        _base = await _origin.Client.NodeAsync("data.bin");
    }

    public async Task DisposeAsync() => await _origin.DisposeAsync();

    [Fact]
    public async Task Patch_IfMatchCurrent_WritesTheRangesOverTheBase_AsANewVersion()
    {
        var expected = (byte[])Data.Clone();
        var ranges = new[] { (0L, Fill(3, 1)), (50_000L, Fill(4096, 2)), (99_990L, Fill(10, 3)) };
        foreach (var (offset, bytes) in ranges)
            bytes.CopyTo(expected, offset);

        using var response = await PatchAsync(_base.ContentVersion, Data.Length, ranges);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var after = await OriginClient.ReadOk(response, ProtocolJson.Default.NodeInfo);
        after.Id.Should().Be(_base.Id);
        after.ContentVersion.Should().BeGreaterThan(_base.ContentVersion);
        after.Size.Should().Be(Data.Length);
        response.Headers.ETag!.Tag.Should().Be($"\"{after.ContentVersion}\"");
        (await _origin.Client.ReadAsync("data.bin")).Should().Equal(expected);
        File.ReadAllBytes(_origin.Disk("data.bin")).Should().Equal(expected);
        (await _origin.Client.ChangesAsync(_base.Version)).Changes.Single().Kind.Should().Be(ChangeKind.ContentChanged);
        Directory.EnumerateFiles(Path.Join(_origin.StateDirectory, "uploads")).Should().BeEmpty();
    }

    [Theory]
    [InlineData(150_000, 120_000)]
    [InlineData(5_000, 1_000)]
    [InlineData(0, -1)]
    public async Task Patch_WithANewSize_CutsOrZeroExtendsTheBase_ThenWritesTheRanges(int size, int rangeAt)
    {
        var expected = new byte[size];
        Data.AsSpan(0, Math.Min(size, Data.Length)).CopyTo(expected);
        var ranges = rangeAt < 0 ? [] : new[] { ((long)rangeAt, Fill(100, 4)) };
        foreach (var (offset, bytes) in ranges)
            bytes.CopyTo(expected, offset);

        var after = await OriginClient.ReadOk(await PatchAsync(_base.ContentVersion, size, ranges), ProtocolJson.Default.NodeInfo);

        after.Size.Should().Be(size);
        File.ReadAllBytes(_origin.Disk("data.bin")).Should().Equal(expected);
    }

    [Fact]
    public async Task Patch_AgainstAStaleBase_Is412_WithTheCurrentVersion_AndChangesNothing()
    {
        var newer = await _origin.Client.PutAsync("data.bin", "version two", IfMatch(_base.ContentVersion));
        var before = Snapshot.Of(_origin);

        var report = await OriginClient.Problem(await PatchAsync(_base.ContentVersion, Data.Length, [(0, Fill(10, 5))]), HttpStatusCode.PreconditionFailed, ErrorCode.VersionMismatch);

        report.CurrentVersion.Should().Be(newer.ContentVersion);
        Snapshot.Of(_origin).Should().Be(before);
    }

    public static TheoryData<string, long, long[]> BadRanges => new()
    {
        { "overlapping", 100_000, [10, 100, 50, 100] },
        { "out of order", 100_000, [500, 10, 10, 10] },
        { "same offset twice", 100_000, [10, 10, 10, 10] },
        { "past the new size", 1_000, [995, 10] },
        { "empty", 100_000, [10, 0] },
        { "negative offset", 100_000, [-5, 10] },
        { "offset plus length overflows", 100_000, [10, long.MaxValue] },
    };

    [Theory]
    [MemberData(nameof(BadRanges))]
    public async Task Patch_WithBadRanges_Is400_AndChangesNothing(string why, long size, long[] pairs)
    {
        var before = Snapshot.Of(_origin);
        var body = new MemoryStream();
        for (var i = 0; i < pairs.Length; i += 2)
        {
            var header = new byte[ContentPatch.FrameHeaderSize];
            ContentPatch.WriteFrameHeader(header, pairs[i], pairs[i + 1]);
            body.Write(header);
            body.Write(new byte[Math.Clamp(pairs[i + 1], 0, 100)]);
        }

        await OriginClient.Problem(await SendAsync(body.ToArray(), size, IfMatch(_base.ContentVersion)), HttpStatusCode.BadRequest, ErrorCode.BadRequest);

        Snapshot.Of(_origin).Should().Be(before, why);
    }

    [Fact]
    public async Task Patch_WithoutIfMatchOrSize_OrOfAMissingFile_IsRefused_AndChangesNothing()
    {
        var before = Snapshot.Of(_origin);
        var body = Body([(0, Fill(10, 6))]);

        await OriginClient.Problem(await SendAsync(body, Data.Length, _ => { }), HttpStatusCode.BadRequest, ErrorCode.BadRequest);
        await OriginClient.Problem(await SendAsync(body, Data.Length, r => r.Headers.IfMatch.Add(EntityTagHeaderValue.Any)), HttpStatusCode.BadRequest, ErrorCode.BadRequest);
        await OriginClient.Problem(await SendAsync(body, size: null, IfMatch(_base.ContentVersion)), HttpStatusCode.BadRequest, ErrorCode.BadRequest);
        await OriginClient.Problem(await SendAsync(body, Data.Length, IfMatch(_base.ContentVersion), "missing.bin"), HttpStatusCode.NotFound, ErrorCode.NotFound);

        Snapshot.Of(_origin).Should().Be(before);
    }

    [Fact]
    public async Task Patch_IsFencedByTheLeaseEpoch_AsPutIs()
    {
        var a = await _origin.Client.OpenSessionAsync("ws-a");
        var grant = await _origin.Client.LeaseAsync(a.SessionId, "data.bin", LeaseMode.Write);
        var before = Snapshot.Of(_origin);

        await OriginClient.Problem(await SendAsync(Body([(0, Fill(10, 7))]), Data.Length, Fenced(a.SessionId, grant.Epoch + 100)), HttpStatusCode.PreconditionFailed, ErrorCode.StaleLease);
        await OriginClient.Problem(await SendAsync(Body([(0, Fill(10, 7))]), Data.Length, IfMatch(_base.ContentVersion)), HttpStatusCode.Conflict, ErrorCode.LeaseConflict);
        Snapshot.Of(_origin).Should().Be(before);

        using var live = await SendAsync(Body([(0, Fill(10, 7))]), Data.Length, Fenced(a.SessionId, grant.Epoch));
        live.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    /// <summary>
    /// Crash safety by construction: while the body arrives the new version exists only as a temp file in the uploads
    /// folder (the served file, its bytes and the database are the base's); a body that never ends leaves exactly that.
    /// </summary>
    [Fact]
    public async Task Patch_DroppedMidBody_ServedTheBaseThroughout_AndLeavesNoTempFile()
    {
        var before = Snapshot.Of(_origin);
        var uploads = Path.Join(_origin.StateDirectory, "uploads");
        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync(_origin.Server.Uri.Host, _origin.Server.Uri.Port);
            var stream = tcp.GetStream();
            var head = $"PATCH {Routes.Content}?path=data.bin HTTP/1.1\r\nHost: origin\r\nAuthorization: Bearer {TestOrigin.Token}\r\n" +
                       $"If-Match: \"{_base.ContentVersion}\"\r\n{Headers.ContentSize}: {Data.Length}\r\nContent-Length: {ContentPatch.FrameHeaderSize + 50_000}\r\n\r\n";
            var frame = new byte[ContentPatch.FrameHeaderSize];
            ContentPatch.WriteFrameHeader(frame, 0, 50_000);
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            await stream.WriteAsync(frame);
            await stream.WriteAsync(Fill(20_000, 8));
            await stream.FlushAsync();
            (await Eventually(() => Directory.EnumerateFiles(uploads).Any())).Should().BeTrue("the origin builds the new version aside");
            Snapshot.Tree(_origin).Should().Be(before.Split("\n---\n")[0], "the served file is untouched until the finished version is renamed over it");
            Snapshot.Database(_origin.DatabaseFile).Should().Be(before.Split("\n---\n")[1]);
            tcp.Client.LingerState = new LingerOption(true, 0);
        }

        (await Eventually(() => !Directory.EnumerateFiles(uploads).Any())).Should().BeTrue("the temp file of the dropped upload is removed");
        Snapshot.Of(_origin).Should().Be(before);
        (await _origin.Client.ReadAsync("data.bin")).Should().Equal(Data);
    }

    private Task<HttpResponseMessage> PatchAsync(long baseVersion, long size, (long Offset, byte[] Bytes)[] ranges) =>
        SendAsync(Body(ranges), size, IfMatch(baseVersion));

    private Task<HttpResponseMessage> SendAsync(byte[] body, long? size, Action<HttpRequestMessage> headers, string path = "data.bin")
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, $"{Routes.Content}?path={OriginClient.Q(path)}") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(ContentPatch.MediaType);
        if (size is { } s)
            request.Headers.Add(Headers.ContentSize, s.ToString(CultureInfo.InvariantCulture));
        headers(request);
        return _origin.Client.Http.SendAsync(request);
    }

    private static byte[] Body((long Offset, byte[] Bytes)[] ranges)
    {
        var body = new MemoryStream();
        foreach (var (offset, bytes) in ranges)
        {
            var header = new byte[ContentPatch.FrameHeaderSize];
            ContentPatch.WriteFrameHeader(header, offset, bytes.Length);
            body.Write(header);
            body.Write(bytes);
        }

        return body.ToArray();
    }

    private static byte[] Fill(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static Action<HttpRequestMessage> IfMatch(long version) => r => r.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{version}\""));

    private Action<HttpRequestMessage> Fenced(string session, long epoch) => r =>
    {
        IfMatch(_base.ContentVersion)(r);
        r.Headers.Add(Headers.Session, session);
        r.Headers.Add(Headers.LeaseEpoch, epoch.ToString(CultureInfo.InvariantCulture));
    };

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
