using CacheFs.Nodes;
using CacheFs.Volume;

namespace CacheFs.Tests.Volume;

/// <summary>
/// The disk failing under the core: every operation answers with a status, none throws (a host would crash in native
/// code). The fault is an object path taken by a folder, which the OS refuses to open as a file (EISDIR).
/// </summary>
public sealed class DiskFaultTests
{
    /// <summary>A closed file whose content object path is now a (non-empty) folder.</summary>
    private static long FileWithBrokenObject(TestVolume t, byte[]? content)
    {
        var id = t.MakeFile("f", content);
        var path = t.ObjectPath(id);
        if (File.Exists(path))
            File.Delete(path);
        Directory.CreateDirectory(Path.Combine(path, "blocker"));
        return id;
    }

    [Fact]
    public void Read_ObjectUnreadable_IoErrorNotException()
    {
        using var t = new TestVolume();
        var id = FileWithBrokenObject(t, [1, 2, 3]);
        var h = t.Volume.OpenHandle(id, OpenFlags.Read);

        t.Volume.Read(h, 0, new byte[3]).Status.Should().Be(FsStatus.IoError);

        t.Volume.Release(h).Ok();
    }

    [Fact]
    public void Write_ObjectUncreatable_IoErrorNotException()
    {
        using var t = new TestVolume();
        var id = FileWithBrokenObject(t, null);
        var h = t.Volume.OpenHandle(id);

        t.Volume.Write(h, 0, [1]).Status.Should().Be(FsStatus.IoError);

        t.Volume.Release(h).Ok();
        t.Volume.Attr(id).Size.Should().Be(0);
    }

    [Fact]
    public void Open_TruncateWithObjectUnopenable_IoErrorAndNoHandleLeft()
    {
        using var t = new TestVolume();
        var id = FileWithBrokenObject(t, [1, 2, 3]);

        t.Volume.Open(id, OpenFlags.Write | OpenFlags.Truncate).Status.Should().Be(FsStatus.IoError);

        t.Volume.Attr(id).Size.Should().Be(3, "a failed O_TRUNC leaves the file as it was");
        t.Volume.Open(id, OpenFlags.Read).Status.Should().Be(FsStatus.Ok, "the failed open left no live state behind");
    }

    [Fact]
    public void SetAttributes_SizeWithObjectUnopenable_IoError()
    {
        using var t = new TestVolume();
        var id = FileWithBrokenObject(t, [1, 2, 3]);

        t.Volume.SetAttributes(id, new AttributeChanges { Size = 1 }).Status.Should().Be(FsStatus.IoError);
        t.Volume.Attr(id).Size.Should().Be(3);
    }

    [Fact]
    public void Allocate_ObjectUnopenable_IoError()
    {
        using var t = new TestVolume();
        var id = FileWithBrokenObject(t, [1, 2, 3]);
        var h = t.Volume.OpenHandle(id);

        t.Volume.Allocate(h, 0, 100, AllocateMode.Extend).Should().Be(FsStatus.IoError);

        t.Volume.Release(h).Ok();
    }

    [Fact]
    public void Sync_ObjectUnopenable_IoError()
    {
        using var t = new TestVolume();
        var id = FileWithBrokenObject(t, [1, 2, 3]);
        var h = t.Volume.OpenHandle(id);

        t.Volume.Sync(h).Should().Be(FsStatus.IoError);

        t.Volume.Release(h).Ok();
    }

    [Fact]
    public void Unlink_ObjectUndeletable_NameStillGoes()
    {
        using var t = new TestVolume();
        var id = FileWithBrokenObject(t, [1, 2, 3]);

        t.Volume.Unlink(NodeIds.Root, "f").Ok();

        t.Volume.GetAttributes(id).Status.Should().Be(FsStatus.NotFound);
        t.List().Should().BeEmpty();
    }

    [Fact]
    public void Read_FetchIntoUnwritableObject_IoError()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", [1, 2, 3]);
        t.Volume.Dispose();
        File.Delete(t.ObjectPath(id));
        t.Reopen();
        Directory.CreateDirectory(Path.Combine(t.ObjectPath(id), "blocker"));
        t.Volume.Fetcher = new OneShotOrigin([1, 2, 3]);
        var h = t.Volume.OpenHandle(id, OpenFlags.Read);

        t.Volume.Read(h, 0, new byte[3]).Status.Should().Be(FsStatus.IoError);

        t.Volume.Release(h).Ok();
    }

    private sealed class OneShotOrigin(byte[] content) : Remote.IContentFetcher
    {
        public ValueTask<FsStatus> FetchAsync(Remote.ContentRequest request, Remote.IContentSink sink, CancellationToken cancellationToken) =>
            ValueTask.FromResult(sink.Write(0, content));
    }
}
