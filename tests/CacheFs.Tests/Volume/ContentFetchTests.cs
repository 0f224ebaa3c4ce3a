using CacheFs.Nodes;
using CacheFs.Remote;
using CacheFs.Volume;

namespace CacheFs.Tests.Volume;

/// <summary>Files whose content is not (or not all) in the cache: reads go to the fetcher, writes never get overwritten.</summary>
public sealed class ContentFetchTests
{
    private sealed class FakeOrigin(byte[] content) : IContentFetcher
    {
        public List<ContentRequest> Requests { get; } = [];

        public FsStatus Failure { get; set; } = FsStatus.Ok;

        public ValueTask<FsStatus> FetchAsync(ContentRequest request, IContentSink sink, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            if (Failure != FsStatus.Ok)
                return ValueTask.FromResult(Failure);
            var end = (int)Math.Min(content.Length, request.Offset + request.Length);
            var start = (int)Math.Min(request.Offset, end);
            return ValueTask.FromResult(sink.Write(start, content.AsSpan(start, end - start)));
        }
    }

    /// <summary>A file of <paramref name="content"/> whose object was lost: the journal knows it, the cache does not.</summary>
    private static long Placeholder(TestVolume t, byte[] content)
    {
        var id = t.MakeFile("f", content);
        t.Volume.Dispose();
        File.Delete(t.ObjectPath(id));
        t.Reopen();
        t.Volume.Attr(id).Content.Should().Be(ContentState.Placeholder);
        return id;
    }

    [Fact]
    public async Task Read_PlaceholderWithoutFetcher_ContentUnavailable()
    {
        using var t = new TestVolume();
        var id = Placeholder(t, [1, 2, 3]);
        var h = t.Volume.OpenHandle(id, OpenFlags.Read);

        t.Volume.Read(h, 0, new byte[3]).Status.Should().Be(FsStatus.ContentUnavailable);
        (await t.Volume.ReadAsync(h, 0, new byte[3], CancellationToken.None)).Status.Should().Be(FsStatus.ContentUnavailable);
        t.Volume.Release(h).Ok();
    }

    [Fact]
    public void Read_PlaceholderPastEnd_ZeroWithoutFetch()
    {
        using var t = new TestVolume();
        var id = Placeholder(t, [1, 2, 3]);
        var origin = new FakeOrigin([1, 2, 3]);
        t.Volume.Fetcher = origin;
        var h = t.Volume.OpenHandle(id, OpenFlags.Read);

        t.Volume.ReadAt(h, 3, 10).Should().BeEmpty();

        origin.Requests.Should().BeEmpty();
        t.Volume.Release(h).Ok();
    }

    [Fact]
    public void Read_Placeholder_FetchesThenServesFromCache()
    {
        using var t = new TestVolume();
        var content = VolumeTestExtensions.Bytes(10_000);
        var id = Placeholder(t, content);
        var origin = new FakeOrigin(content);
        t.Volume.Fetcher = origin;
        var h = t.Volume.OpenHandle(id, OpenFlags.Read);

        t.Volume.ReadAt(h, 1000, 500).Should().Equal(content[1000..1500]);
        t.Volume.ReadAt(h, 1100, 100).Should().Equal(content[1100..1200]);

        origin.Requests.Should().ContainSingle().Which.Should().Be(new ContentRequest(id, "", 1000, 500, 10_000));
        t.Volume.Attr(id).Content.Should().Be(ContentState.Partial);
        t.Volume.Attr(id).CachedBytes.Should().Be(500);
        t.Volume.Release(h).Ok();
    }

    [Fact]
    public void Read_PlaceholderWholeFile_BecomesComplete()
    {
        using var t = new TestVolume();
        var content = VolumeTestExtensions.Bytes(5000);
        var id = Placeholder(t, content);
        t.Volume.Fetcher = new FakeOrigin(content);

        t.ReadAll(id).Should().Equal(content);

        t.Volume.Attr(id).Content.Should().Be(ContentState.Complete);
        t.Volume.Fetcher = null;
        t.Reopen();
        t.ReadAll(id).Should().Equal(content, "fetched content stays cached");
    }

    [Fact]
    public void Read_PartialRanges_SurviveReopen()
    {
        using var t = new TestVolume();
        var content = VolumeTestExtensions.Bytes(10_000);
        var id = Placeholder(t, content);
        t.Volume.Fetcher = new FakeOrigin(content);
        var h = t.Volume.OpenHandle(id, OpenFlags.Read);
        t.Volume.ReadAt(h, 2000, 1000);
        t.Volume.Release(h).Ok();

        t.Reopen();

        t.Volume.Attr(id).Content.Should().Be(ContentState.Partial);
        var again = t.Volume.OpenHandle(id, OpenFlags.Read);
        t.Volume.ReadAt(again, 2000, 1000).Should().Equal(content[2000..3000], "the present range needs no fetcher");
        t.Volume.Read(again, 0, new byte[10]).Status.Should().Be(FsStatus.ContentUnavailable);
        t.Volume.Release(again).Ok();
    }

    [Fact]
    public void Reopen_PartialFileClosedCleanly_NothingReportedRepaired()
    {
        using var t = new TestVolume();
        var content = VolumeTestExtensions.Bytes(10_000);
        var id = Placeholder(t, content);
        t.Volume.Fetcher = new FakeOrigin(content);
        var h = t.Volume.OpenHandle(id);
        t.Volume.ReadAt(h, 2000, 1000);
        t.Volume.WriteAt(h, 5000, [1, 2, 3]);
        t.Volume.Release(h).Ok();

        t.Reopen();

        t.Volume.LastRecovery.Should().BeEquivalentTo(new RecoveryReport(0, 0, 0, 0, []), "a partial file's object is sparse past its last present byte");
        t.Volume.Attr(id).Content.Should().Be(ContentState.Partial);
        var again = t.Volume.OpenHandle(id, OpenFlags.Read);
        t.Volume.ReadAt(again, 5000, 3).Should().Equal(1, 2, 3);
        t.Volume.ReadAt(again, 2000, 1000).Should().Equal(content[2000..3000]);
        t.Volume.Release(again).Ok();
    }

    [Fact]
    public async Task ReadAsync_FetcherCompletingLater_FillsAndReturns()
    {
        using var t = new TestVolume();
        var content = VolumeTestExtensions.Bytes(4096);
        var id = Placeholder(t, content);
        t.Volume.Fetcher = new SlowOrigin(content);
        var h = t.Volume.OpenHandle(id, OpenFlags.Read);
        var buffer = new byte[1000];

        var read = await t.Volume.ReadAsync(h, 100, buffer, CancellationToken.None);

        read.Value.Should().Be(1000);
        buffer.Should().Equal(content[100..1100]);
        t.Volume.ReadAt(h, 50, 100).Should().NotBeEmpty("the sync path waits for an asynchronous fetcher too");
        t.Volume.ReadAt(h, 50, 100).Should().Equal(content[50..150]);
        t.Volume.Release(h).Ok();
    }

    private sealed class SlowOrigin(byte[] content) : IContentFetcher
    {
        public async ValueTask<FsStatus> FetchAsync(ContentRequest request, IContentSink sink, CancellationToken cancellationToken)
        {
            await Task.Yield();
            var end = (int)Math.Min(content.Length, request.Offset + request.Length);
            return sink.Write(request.Offset, content.AsSpan((int)request.Offset, end - (int)request.Offset));
        }
    }

    [Fact]
    public void Read_FetcherFails_StatusPassedOn()
    {
        using var t = new TestVolume();
        var id = Placeholder(t, [1, 2, 3]);
        t.Volume.Fetcher = new FakeOrigin([1, 2, 3]) { Failure = FsStatus.IoError };
        var h = t.Volume.OpenHandle(id, OpenFlags.Read);

        t.Volume.Read(h, 0, new byte[3]).Status.Should().Be(FsStatus.IoError);

        t.Volume.Attr(id).Content.Should().Be(ContentState.Placeholder);
        t.Volume.Release(h).Ok();
    }

    [Fact]
    public void Read_FetcherDeliversTooLittle_ContentUnavailable()
    {
        using var t = new TestVolume();
        var id = Placeholder(t, [1, 2, 3, 4]);
        t.Volume.Fetcher = new FakeOrigin([1, 2]);
        var h = t.Volume.OpenHandle(id, OpenFlags.Read);

        t.Volume.Read(h, 0, new byte[4]).Status.Should().Be(FsStatus.ContentUnavailable);
        t.Volume.Release(h).Ok();
    }

    [Fact]
    public void Read_AfterLocalWrite_FetchDoesNotOverwriteWrittenBytes()
    {
        using var t = new TestVolume();
        var content = Enumerable.Repeat((byte)'A', 10).ToArray();
        var id = Placeholder(t, content);
        var h = t.Volume.OpenHandle(id);
        t.Volume.WriteAt(h, 2, "xx"u8.ToArray());
        t.Volume.Attr(id).Content.Should().Be(ContentState.Partial);
        t.Volume.Fetcher = new FakeOrigin(content);

        t.Volume.ReadAt(h, 0, 10).Should().Equal("AAxxAAAAAA"u8.ToArray());

        t.Volume.Attr(id).Content.Should().Be(ContentState.Complete);
        t.Volume.Release(h).Ok();
    }

    [Fact]
    public void Read_WrittenRangeOfPlaceholder_NoFetchNeeded()
    {
        using var t = new TestVolume();
        var id = Placeholder(t, new byte[100]);
        var h = t.Volume.OpenHandle(id);

        t.Volume.WriteAt(h, 10, [1, 2, 3]);

        t.Volume.ReadAt(h, 10, 3).Should().Equal(1, 2, 3);
        t.Volume.Read(h, 0, new byte[20]).Status.Should().Be(FsStatus.ContentUnavailable);
        t.Volume.Release(h).Ok();
    }

    [Fact]
    public void Truncate_PlaceholderDown_StillNeedsFetchForKeptBytes()
    {
        using var t = new TestVolume();
        var content = VolumeTestExtensions.Bytes(100);
        var id = Placeholder(t, content);

        t.Volume.SetAttributes(id, new AttributeChanges { Size = 50 }).Status.Should().Be(FsStatus.Ok);

        var h = t.Volume.OpenHandle(id, OpenFlags.Read);
        t.Volume.Read(h, 0, new byte[50]).Status.Should().Be(FsStatus.ContentUnavailable);
        t.Volume.Fetcher = new FakeOrigin(content);
        t.Volume.ReadAt(h, 0, 100).Should().Equal(content[..50]);
        t.Volume.Release(h).Ok();
    }

    [Fact]
    public void Truncate_PlaceholderToZero_CompleteAndEmpty()
    {
        using var t = new TestVolume();
        var id = Placeholder(t, [1, 2, 3]);

        t.Volume.SetAttributes(id, new AttributeChanges { Size = 0 }).Status.Should().Be(FsStatus.Ok);

        t.Volume.Attr(id).Content.Should().Be(ContentState.Complete);
        t.ReadAll(id).Should().BeEmpty();
    }

    [Fact]
    public void Truncate_PlaceholderUp_ExtensionReadsZerosWithoutFetch()
    {
        using var t = new TestVolume();
        var id = Placeholder(t, [1, 2, 3, 4]);

        t.Volume.SetAttributes(id, new AttributeChanges { Size = 4000 }).Status.Should().Be(FsStatus.Ok);

        t.Volume.Attr(id).Content.Should().Be(ContentState.Partial, "the extension is present (zeros), the origin bytes are not");
        var h = t.Volume.OpenHandle(id, OpenFlags.Read);
        t.Volume.ReadAt(h, 4, 3996).Should().HaveCount(3996).And.OnlyContain(b => b == 0);
        t.Volume.Read(h, 0, new byte[4]).Status.Should().Be(FsStatus.ContentUnavailable);
        t.Volume.Release(h).Ok();

        t.Reopen();
        var again = t.Volume.OpenHandle(id, OpenFlags.Read);
        t.Volume.ReadAt(again, 4, 3996).Should().HaveCount(3996).And.OnlyContain(b => b == 0);
        t.Volume.Release(again).Ok();
    }

    [Fact]
    public void Write_PlaceholderPastEnd_GapIsPresentZeros()
    {
        using var t = new TestVolume();
        var id = Placeholder(t, [1, 2, 3, 4]);
        var h = t.Volume.OpenHandle(id);

        t.Volume.WriteAt(h, 100, [9]);

        t.Volume.ReadAt(h, 4, 97).Should().Equal(Enumerable.Repeat((byte)0, 96).Append((byte)9));
        t.Volume.Read(h, 0, new byte[4]).Status.Should().Be(FsStatus.ContentUnavailable);
        t.Volume.Release(h).Ok();
    }
}
