using CacheFs.Nodes;
using CacheFs.Volume;

namespace CacheFs.Tests.Volume;

public sealed class SyncTests
{
    private const string SizeSql = "SELECT size FROM nodes WHERE id = $id";
    private const string BarriersSql = "SELECT coalesce((SELECT value FROM volume_meta WHERE key = 'durable_barriers'), 0) + 0 * $id";

    /// <summary>A file whose journal row lags its live size: the first write records "dirty" before its bytes land, so the
    /// journal still says 0 while the live size is 4.</summary>
    private static (long Id, ulong Handle) FileWithUnflushedSize(TestVolume t)
    {
        var (id, h) = t.CreateOpen("f");
        t.Volume.WriteAt(h, 0, [1]);
        t.Volume.WriteAt(h, 1, [2, 3, 4]);
        t.JournalLong(SizeSql, id).Should().Be(0, "the setup needs a size only the live state knows");
        return (id, h);
    }

    [Fact]
    public void Flush_UnflushedSize_WritesSizeToJournal()
    {
        using var t = new TestVolume();
        var (id, h) = FileWithUnflushedSize(t);

        t.Volume.Flush(h).Ok();

        t.JournalLong(SizeSql, id).Should().Be(4);
        t.Volume.Release(h).Ok();
    }

    [Fact]
    public void Flush_DirectoryHandle_Ok()
    {
        using var t = new TestVolume();
        var d = t.MakeDir("d");
        var h = t.Volume.OpenHandle(d, OpenFlags.Read);

        t.Volume.Flush(h).Ok();
        t.Volume.Release(h).Ok();
    }

    [Fact]
    public void Flush_CleanFile_NoChange()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", [1, 2]);
        var h = t.Volume.OpenHandle(id, OpenFlags.Read);

        t.Volume.Flush(h).Ok();

        t.JournalLong(SizeSql, id).Should().Be(2);
        t.Volume.Release(h).Ok();
    }

    [Fact]
    public void Sync_UnflushedSize_WritesSizeAndAddsDurabilityBarrier()
    {
        using var t = new TestVolume();
        var (id, h) = FileWithUnflushedSize(t);
        var barriers = t.JournalLong(BarriersSql, 0);

        t.Volume.Sync(h).Ok();

        t.JournalLong(SizeSql, id).Should().Be(4);
        t.JournalLong(BarriersSql, 0).Should().Be(barriers + 1);
        t.Volume.Release(h).Ok();
    }

    [Fact]
    public void Sync_DataOnly_StillRecordsSize()
    {
        using var t = new TestVolume();
        var (id, h) = FileWithUnflushedSize(t);

        t.Volume.Sync(h, dataOnly: true).Ok();

        t.JournalLong(SizeSql, id).Should().Be(4, "fdatasync must keep what is needed to read the data back");
        t.Volume.Release(h).Ok();
    }

    [Fact]
    public void Sync_DirectoryHandle_SyncsVolume()
    {
        using var t = new TestVolume();
        var (id, fh) = FileWithUnflushedSize(t);
        var d = t.MakeDir("d");
        var dh = t.Volume.OpenHandle(d, OpenFlags.Read);
        var barriers = t.JournalLong(BarriersSql, 0);

        t.Volume.Sync(dh).Ok();

        t.JournalLong(BarriersSql, 0).Should().Be(barriers + 1);
        t.JournalLong(SizeSql, id).Should().Be(4, "a volume sync flushes every live file");
        t.Volume.Release(dh).Ok();
        t.Volume.Release(fh).Ok();
    }

    [Fact]
    public void Sync_FileNeverWritten_Ok()
    {
        using var t = new TestVolume();
        var (id, h) = t.CreateOpen("f");

        t.Volume.Sync(h).Ok();

        t.Volume.Release(h).Ok();
        t.Volume.Attr(id).Size.Should().Be(0);
    }

    [Fact]
    public void Sync_ReadOnlyHandle_Ok()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", [1]);
        var h = t.Volume.OpenHandle(id, OpenFlags.Read);

        t.Volume.Sync(h).Ok();
        t.Volume.Release(h).Ok();
    }

    [Fact]
    public void Sync_UnknownHandle_BadHandle()
    {
        using var t = new TestVolume();

        t.Volume.Sync(99).Should().Be(FsStatus.BadHandle);
        t.Volume.Flush(99).Should().Be(FsStatus.BadHandle);
    }

    [Fact]
    public void SyncVolume_LiveFiles_FlushesThemAndAddsBarrier()
    {
        using var t = new TestVolume();
        var (id, h) = FileWithUnflushedSize(t);
        var barriers = t.JournalLong(BarriersSql, 0);

        t.Volume.SyncVolume().Ok();

        t.JournalLong(SizeSql, id).Should().Be(4);
        t.JournalLong(BarriersSql, 0).Should().Be(barriers + 1);
        t.Volume.Release(h).Ok();
    }

    [Fact]
    public void Release_UnflushedSize_WritesSizeToJournal()
    {
        using var t = new TestVolume();
        var (id, h) = FileWithUnflushedSize(t);

        t.Volume.Release(h).Ok();

        t.JournalLong(SizeSql, id).Should().Be(4);
    }

    [Fact]
    public void Sync_ThenReopen_DataAndSizeBack()
    {
        using var t = new TestVolume();
        var (id, h) = FileWithUnflushedSize(t);
        t.Volume.Sync(h).Ok();
        t.Volume.Release(h).Ok();

        t.Reopen();

        t.ReadAll(id).Should().Equal(1, 2, 3, 4);
        t.Volume.LastRecovery.ObjectsResized.Should().Be(0);
    }

    [Fact]
    public void CheckJournalIntegrity_AfterWork_Ok()
    {
        using var t = new TestVolume();
        var d = t.MakeDir("d");
        t.MakeFile("f", [1, 2, 3], d);
        t.Volume.Rename(d, "f", NodeIds.Root, "g").Ok();

        t.Volume.CheckJournalIntegrity().Should().Be("ok");
    }
}
