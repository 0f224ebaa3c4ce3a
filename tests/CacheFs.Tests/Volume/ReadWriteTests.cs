using CacheFs.Nodes;
using CacheFs.Volume;

namespace CacheFs.Tests.Volume;

public sealed class ReadWriteTests
{
    [Fact]
    public void Write_ThenRead_SameBytes()
    {
        using var t = new TestVolume();
        var (_, h) = t.CreateOpen("f");
        var data = VolumeTestExtensions.Bytes(10_000);

        var written = t.Volume.WriteAt(h, 0, data);

        written.Should().Be(new WriteResult(10_000, 0, 10_000));
        t.Volume.ReadAt(h, 0, 20_000).Should().Equal(data);
        t.Volume.Release(h).Ok();
    }

    [Fact]
    public void Write_AtOffset_OverwritesOnlyThatRange()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", "hello world"u8.ToArray());
        var h = t.Volume.OpenHandle(id);

        var written = t.Volume.WriteAt(h, 6, "WORLD"u8.ToArray());

        written.Size.Should().Be(11);
        written.Offset.Should().Be(6);
        t.Volume.ReadAt(h, 0, 100).Should().Equal("hello WORLD"u8.ToArray());
        t.Volume.Release(h).Ok();
    }

    [Fact]
    public void Write_PastEnd_ExtendsWithZerosInGap()
    {
        using var t = new TestVolume();
        var (id, h) = t.CreateOpen("f");
        t.Volume.WriteAt(h, 0, [1, 2]);

        var written = t.Volume.WriteAt(h, 1_000_000, [3]);

        written.Size.Should().Be(1_000_001);
        var all = t.Volume.ReadAt(h, 0, 2_000_000);
        all.Length.Should().Be(1_000_001);
        all[0].Should().Be(1);
        all[1].Should().Be(2);
        all[2..1_000_000].Should().OnlyContain(b => b == 0);
        all[1_000_000].Should().Be(3);
        t.Volume.Release(h).Ok();
        t.Volume.Attr(id).Size.Should().Be(1_000_001);
    }

    [Fact]
    public void Write_FarPastEndOfEmptyFile_SparseZerosAndSmallObject()
    {
        using var t = new TestVolume();
        var (id, h) = t.CreateOpen("f");

        t.Volume.WriteAt(h, 1L << 30, [7]);

        t.Volume.ReadAt(h, 12345, 4096).Should().OnlyContain(b => b == 0).And.HaveCount(4096);
        t.Volume.ReadAt(h, (1L << 30) - 1, 10).Should().Equal(0, 7);
        t.Volume.Release(h).Ok();
        new FileInfo(t.ObjectPath(id)).Length.Should().Be((1L << 30) + 1);
        t.Volume.Attr(id).CachedBytes.Should().Be((1L << 30) + 4096, "a complete file is counted in whole 4 KiB blocks");
    }

    [Fact]
    public void Read_AtEnd_ReturnsZeroBytes()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", [1, 2, 3]);
        var h = t.Volume.OpenHandle(id, OpenFlags.Read);

        t.Volume.ReadAt(h, 3, 10).Should().BeEmpty();
        t.Volume.ReadAt(h, 1000, 10).Should().BeEmpty();
        t.Volume.Release(h).Ok();
    }

    [Fact]
    public void Read_AcrossEnd_ShortRead()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", [1, 2, 3, 4, 5]);
        var h = t.Volume.OpenHandle(id, OpenFlags.Read);

        t.Volume.ReadAt(h, 3, 10).Should().Equal(4, 5);
        t.Volume.Release(h).Ok();
    }

    [Fact]
    public void Read_EmptyBuffer_Zero()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", [1, 2, 3]);
        var h = t.Volume.OpenHandle(id, OpenFlags.Read);

        t.Volume.Read(h, 0, Span<byte>.Empty).Value.Should().Be(0);
        t.Volume.Release(h).Ok();
    }

    [Fact]
    public void Read_EmptyFileNeverWritten_Zero()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f");
        var h = t.Volume.OpenHandle(id, OpenFlags.Read);

        t.Volume.ReadAt(h, 0, 10).Should().BeEmpty();
        t.Volume.Release(h).Ok();
        File.Exists(t.ObjectPath(id)).Should().BeFalse("an empty file needs no object");
    }

    [Fact]
    public void Read_NegativeOffset_InvalidArgument()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", [1]);
        var h = t.Volume.OpenHandle(id, OpenFlags.Read);

        t.Volume.Read(h, -1, new byte[1]).Status.Should().Be(FsStatus.InvalidArgument);
        t.Volume.Release(h).Ok();
    }

    [Fact]
    public void Write_NegativeOffset_InvalidArgument()
    {
        using var t = new TestVolume();
        var (id, h) = t.CreateOpen("f");

        t.Volume.Write(h, -1, [1]).Status.Should().Be(FsStatus.InvalidArgument);
        t.Volume.Release(h).Ok();
        t.Volume.Attr(id).Size.Should().Be(0);
    }

    [Fact]
    public void Write_Empty_NoChange()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", [1, 2]);
        t.Volume.Backdate(id);
        var h = t.Volume.OpenHandle(id);

        var written = t.Volume.Write(h, 10, ReadOnlySpan<byte>.Empty);

        written.Value.Should().Be(new WriteResult(0, 10, 2));
        t.Volume.Release(h).Ok();
        var a = t.Volume.Attr(id);
        a.Size.Should().Be(2);
        a.ModifyTime.Should().Be(VolumeTestExtensions.Past);
    }

    [Fact]
    public async Task ReadAsync_CachedRange_SameAsRead()
    {
        using var t = new TestVolume();
        var data = VolumeTestExtensions.Bytes(5000);
        var id = t.MakeFile("f", data);
        var h = t.Volume.OpenHandle(id, OpenFlags.Read);
        var buffer = new byte[3000];

        var read = await t.Volume.ReadAsync(h, 1000, buffer, CancellationToken.None);

        read.Value.Should().Be(3000);
        buffer.Should().Equal(data[1000..4000]);
        t.Volume.Release(h).Ok();
    }

    [Fact]
    public async Task ReadAsync_BadHandle_BadHandle()
    {
        using var t = new TestVolume();

        var read = await t.Volume.ReadAsync(77, 0, new byte[1], CancellationToken.None);

        read.Status.Should().Be(FsStatus.BadHandle);
    }

    [Fact]
    public void Write_AppendHandle_GoesToEndWhateverTheOffset()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", "abc"u8.ToArray());
        var h = t.Volume.OpenHandle(id, OpenFlags.ReadWrite | OpenFlags.Append);

        var first = t.Volume.WriteAt(h, 0, "de"u8.ToArray());
        var second = t.Volume.WriteAt(h, 1, "f"u8.ToArray());

        first.Should().Be(new WriteResult(2, 3, 5));
        second.Should().Be(new WriteResult(1, 5, 6));
        t.Volume.Release(h).Ok();
        t.ReadAll(id).Should().Equal("abcdef"u8.ToArray());
    }

    [Fact]
    public void Write_TwoAppendHandles_NeitherOverwritesTheOther()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("log");
        var a = t.Volume.OpenHandle(id, OpenFlags.Write | OpenFlags.Append);
        var b = t.Volume.OpenHandle(id, OpenFlags.Write | OpenFlags.Append);

        t.Volume.WriteAt(a, 0, "1"u8.ToArray());
        t.Volume.WriteAt(b, 0, "22"u8.ToArray());
        t.Volume.WriteAt(a, 0, "333"u8.ToArray());

        t.Volume.Release(a).Ok();
        t.Volume.Release(b).Ok();
        t.ReadAll(id).Should().Equal("122333"u8.ToArray());
    }

    [Fact]
    public void Write_ToEndOfFileOnPlainHandle_Appends()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", "abc"u8.ToArray());
        var h = t.Volume.OpenHandle(id);

        var appended = t.Volume.Write(h, 0, "XY"u8, toEndOfFile: true);
        var positioned = t.Volume.Write(h, 0, "Z"u8);

        appended.Value.Should().Be(new WriteResult(2, 3, 5));
        positioned.Value.Should().Be(new WriteResult(1, 0, 5));
        t.Volume.Release(h).Ok();
        t.ReadAll(id).Should().Equal("ZbcXY"u8.ToArray());
    }

    [Fact]
    public void Write_AppendAfterTruncateThroughOtherHandle_StartsAtNewEnd()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", "0123456789"u8.ToArray());
        var h = t.Volume.OpenHandle(id, OpenFlags.Write | OpenFlags.Append);

        t.Volume.SetAttributes(id, new AttributeChanges { Size = 4 }).Status.Should().Be(FsStatus.Ok);
        var written = t.Volume.WriteAt(h, 0, "ab"u8.ToArray());

        written.Offset.Should().Be(4);
        t.Volume.Release(h).Ok();
        t.ReadAll(id).Should().Equal("0123ab"u8.ToArray());
    }

    [Fact]
    public void Open_TruncateWithWrite_EmptiesFile()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", VolumeTestExtensions.Bytes(5000));

        var opened = t.Volume.Open(id, OpenFlags.Write | OpenFlags.Truncate);

        opened.Value.Attributes.Size.Should().Be(0);
        t.Volume.Attr(id).Size.Should().Be(0);
        t.Volume.WriteAt(opened.Value.Handle, 0, [5]);
        t.Volume.Release(opened.Value.Handle).Ok();
        t.ReadAll(id).Should().Equal(5);
        new FileInfo(t.ObjectPath(id)).Length.Should().Be(1);
    }

    [Fact]
    public void Open_TruncateNonEmpty_MovesModifyTime()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", [1, 2, 3]);
        t.Volume.Backdate(id);

        var opened = t.Volume.Open(id, OpenFlags.ReadWrite | OpenFlags.Truncate);

        opened.Value.Attributes.ModifyTime.Should().BeGreaterThan(VolumeTestExtensions.Past);
        opened.Value.Attributes.ChangeTime.Should().BeGreaterThan(VolumeTestExtensions.Past);
        t.Volume.Release(opened.Value.Handle).Ok();
    }

    [Fact]
    public void Open_TruncateReadOnly_LeavesContent()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", [1, 2, 3]);

        var opened = t.Volume.Open(id, OpenFlags.Read | OpenFlags.Truncate);

        opened.Value.Attributes.Size.Should().Be(3);
        t.Volume.Release(opened.Value.Handle).Ok();
        t.ReadAll(id).Should().Equal(1, 2, 3);
    }

    [Fact]
    public void Open_TruncateWhileOtherHandleOpen_OtherHandleSeesEmptyFile()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", [1, 2, 3]);
        var reader = t.Volume.OpenHandle(id, OpenFlags.Read);

        var truncating = t.Volume.OpenHandle(id, OpenFlags.Write | OpenFlags.Truncate);

        t.Volume.ReadAt(reader, 0, 10).Should().BeEmpty();
        t.Volume.Release(truncating).Ok();
        t.Volume.Release(reader).Ok();
    }

    [Fact]
    public void Write_EndingExactlyAtMaxFileSize_Ok()
    {
        using var t = new TestVolume();
        var (id, h) = t.CreateOpen("f");

        var written = t.Volume.Write(h, CacheVolume.MaxFileSize - 1, [42]);

        written.Status.Should().Be(FsStatus.Ok);
        written.Value.Size.Should().Be(CacheVolume.MaxFileSize);
        t.Volume.ReadAt(h, CacheVolume.MaxFileSize - 2, 10).Should().Equal(0, 42);
        t.Volume.Release(h).Ok();
        t.Volume.Unlink(NodeIds.Root, "f").Ok();
        File.Exists(t.ObjectPath(id)).Should().BeFalse();
    }

    [Fact]
    public void Write_CrossingMaxFileSize_FileTooLarge()
    {
        using var t = new TestVolume();
        var (id, h) = t.CreateOpen("f");

        t.Volume.Write(h, CacheVolume.MaxFileSize - 1, [1, 2]).Status.Should().Be(FsStatus.FileTooLarge);
        t.Volume.Write(h, CacheVolume.MaxFileSize, [1]).Status.Should().Be(FsStatus.FileTooLarge);
        t.Volume.Write(h, 1L << 50, [1]).Status.Should().Be(FsStatus.FileTooLarge);

        t.Volume.Release(h).Ok();
        t.Volume.Attr(id).Size.Should().Be(0);
    }

    [Fact]
    public void Write_OffsetNearLongMax_FileTooLargeNotOverflow()
    {
        using var t = new TestVolume();
        var (id, h) = t.CreateOpen("f");

        t.Volume.Write(h, long.MaxValue, [1, 2, 3]).Status.Should().Be(FsStatus.FileTooLarge);
        t.Volume.Write(h, long.MaxValue - 1, [1, 2, 3]).Status.Should().Be(FsStatus.FileTooLarge);

        t.Volume.Release(h).Ok();
        t.Volume.Attr(id).Size.Should().Be(0);
    }

    [Fact]
    public void Write_AppendPastMaxFileSize_FileTooLarge()
    {
        using var t = new TestVolume();
        var (id, h) = t.CreateOpen("f", flags: OpenFlags.Write | OpenFlags.Append);
        t.Volume.SetAttributes(id, new AttributeChanges { Size = CacheVolume.MaxFileSize }).Status.Should().Be(FsStatus.Ok);

        t.Volume.Write(h, 0, [1]).Status.Should().Be(FsStatus.FileTooLarge);

        t.Volume.Release(h).Ok();
        t.Volume.Attr(id).Size.Should().Be(CacheVolume.MaxFileSize);
        t.Volume.Unlink(NodeIds.Root, "f").Ok();
    }

    [Fact]
    public void Write_ReadOnlyHandle_BadHandle()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", [1]);
        var h = t.Volume.OpenHandle(id, OpenFlags.Read);

        t.Volume.Write(h, 0, [2]).Status.Should().Be(FsStatus.BadHandle);
        t.Volume.Write(h, 0, [2], toEndOfFile: true).Status.Should().Be(FsStatus.BadHandle);

        t.Volume.Release(h).Ok();
        t.ReadAll(id).Should().Equal(1);
    }

    [Fact]
    public void Read_WriteOnlyHandle_BadHandle()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", [1]);
        var h = t.Volume.OpenHandle(id, OpenFlags.Write);

        t.Volume.Read(h, 0, new byte[1]).Status.Should().Be(FsStatus.BadHandle);
        t.Volume.Release(h).Ok();
    }

    [Fact]
    public void ReadWrite_UnknownHandle_BadHandle()
    {
        using var t = new TestVolume();

        t.Volume.Read(12345, 0, new byte[1]).Status.Should().Be(FsStatus.BadHandle);
        t.Volume.Write(12345, 0, [1]).Status.Should().Be(FsStatus.BadHandle);
        t.Volume.Flush(12345).Should().Be(FsStatus.BadHandle);
        t.Volume.Sync(12345).Should().Be(FsStatus.BadHandle);
        t.Volume.Release(12345).Should().Be(FsStatus.BadHandle);
        t.Volume.Allocate(12345, 0, 1, AllocateMode.Extend).Should().Be(FsStatus.BadHandle);
        t.Volume.SetAllocationSize(12345, 10).Should().Be(FsStatus.BadHandle);
    }

    [Fact]
    public void ReadWrite_ReleasedHandle_BadHandle()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", [1]);
        var h = t.Volume.OpenHandle(id);
        t.Volume.Release(h).Ok();

        t.Volume.Read(h, 0, new byte[1]).Status.Should().Be(FsStatus.BadHandle);
        t.Volume.Write(h, 0, [1]).Status.Should().Be(FsStatus.BadHandle);
        t.Volume.Release(h).Should().Be(FsStatus.BadHandle);
    }

    [Fact]
    public void Read_DirectoryHandle_IsDirectory()
    {
        using var t = new TestVolume();
        var dir = t.MakeDir("d");
        var h = t.Volume.OpenHandle(dir, OpenFlags.Read);

        t.Volume.Read(h, 0, new byte[10]).Status.Should().Be(FsStatus.IsDirectory);
        t.Volume.Write(h, 0, [1]).Status.Should().Be(FsStatus.BadHandle, "a directory handle is never writable");
        t.Volume.Release(h).Ok();
    }

    [Theory]
    [InlineData(OpenFlags.Write)]
    [InlineData(OpenFlags.ReadWrite)]
    [InlineData(OpenFlags.Read | OpenFlags.Append)]
    [InlineData(OpenFlags.Read | OpenFlags.Truncate)]
    public void Open_DirectoryForChange_IsDirectory(OpenFlags flags)
    {
        using var t = new TestVolume();
        var dir = t.MakeDir("d");

        t.Volume.Open(dir, flags).Status.Should().Be(FsStatus.IsDirectory);
    }

    [Fact]
    public void Open_Directory_ReturnsItsAttributes()
    {
        using var t = new TestVolume();
        var dir = t.MakeDir("d");

        var opened = t.Volume.Open(dir, OpenFlags.Read);

        opened.Value.Attributes.Id.Should().Be(dir);
        opened.Value.Attributes.IsDirectory.Should().BeTrue();
        opened.Value.Created.Should().BeFalse();
        t.Volume.Release(opened.Value.Handle).Ok();
    }

    [Fact]
    public void Open_MissingNode_NotFound()
    {
        using var t = new TestVolume();

        t.Volume.Open(9999, OpenFlags.Read).Status.Should().Be(FsStatus.NotFound);
    }

    [Fact]
    public void Open_UnlinkedClosedFile_NotFound()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", [1]);
        t.Volume.Unlink(NodeIds.Root, "f").Ok();

        t.Volume.Open(id, OpenFlags.Read).Status.Should().Be(FsStatus.NotFound);
    }

    [Fact]
    public void Open_Symlink_InvalidArgument()
    {
        using var t = new TestVolume();
        var link = t.Volume.MakeSymlink(NodeIds.Root, "l", "target", TestVolume.Owner).Value;

        t.Volume.Open(link.Id, OpenFlags.Read).Status.Should().Be(FsStatus.InvalidArgument);
    }

    [Fact]
    public void Open_TwoHandles_ShareOneContent()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f");
        var a = t.Volume.OpenHandle(id);
        var b = t.Volume.OpenHandle(id);

        a.Should().NotBe(b);
        t.Volume.WriteAt(a, 0, "from a"u8.ToArray());
        t.Volume.ReadAt(b, 0, 100).Should().Equal("from a"u8.ToArray());
        t.Volume.WriteAt(b, 5, "b"u8.ToArray());
        t.Volume.ReadAt(a, 0, 100).Should().Equal("from b"u8.ToArray());

        t.Volume.Release(a).Ok();
        t.Volume.ReadAt(b, 0, 100).Should().Equal("from b"u8.ToArray());
        t.Volume.Release(b).Ok();
    }

    [Fact]
    public void Write_AnyData_MovesModifyAndChangeTime()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", [1]);
        t.Volume.Backdate(id);
        var h = t.Volume.OpenHandle(id);
        var before = t.Volume.Now();

        t.Volume.WriteAt(h, 0, [2]);

        var after = t.Volume.Now();
        var a = t.Volume.Attr(id);
        a.ModifyTime.Should().BeGreaterThanOrEqualTo(before).And.BeLessThanOrEqualTo(after);
        a.ChangeTime.Should().Be(a.ModifyTime);
        a.AccessTime.Should().Be(VolumeTestExtensions.Past);
        t.Volume.Release(h).Ok();
        t.Volume.Attr(id).ModifyTime.Should().Be(a.ModifyTime, "release writes the same times back");
    }

    [Fact]
    public void Read_WholeFile_DoesNotMoveModifyOrChangeTime()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", [1, 2, 3]);
        t.Volume.Backdate(id);

        t.ReadAll(id).Should().Equal(1, 2, 3);

        var a = t.Volume.Attr(id);
        a.ModifyTime.Should().Be(VolumeTestExtensions.Past);
        a.ChangeTime.Should().Be(VolumeTestExtensions.Past);
    }

    [Fact]
    public void Read_WholeFile_RecordsLastAccessForEviction()
    {
        using var t = new TestVolume();
        var id = t.MakeFile("f", [1, 2, 3]);
        var before = t.Volume.Attr(id).LastAccess;
        var readAt = t.Volume.Now();

        t.ReadAll(id);

        t.Volume.Attr(id).LastAccess.Should().BeGreaterThanOrEqualTo(readAt).And.BeGreaterThanOrEqualTo(before);
    }

    [Fact]
    public void Write_FirstChange_RecordedDirtyAtOnce()
    {
        using var t = new TestVolume();
        var (id, h) = t.CreateOpen("f");
        t.JournalLong("SELECT dirty FROM nodes WHERE id = $id", id).Should().Be(0);

        t.Volume.WriteAt(h, 0, [1]);

        t.JournalLong("SELECT dirty FROM nodes WHERE id = $id", id).Should().Be(1, "a crash must not forget the file needs uploading");
        t.Volume.Attr(id).Dirty.Should().BeTrue();
        t.Volume.Release(h).Ok();
    }

    [Fact]
    public void Write_ManyChunks_ReadBackInOtherChunking()
    {
        using var t = new TestVolume();
        var (id, h) = t.CreateOpen("f");
        var data = VolumeTestExtensions.Bytes(300_000, seed: 7);
        for (var at = 0; at < data.Length; at += 7919)
            t.Volume.WriteAt(h, at, data[at..Math.Min(data.Length, at + 7919)]);
        t.Volume.Release(h).Ok();

        var r = t.Volume.OpenHandle(id, OpenFlags.Read);
        var back = new List<byte>();
        for (var at = 0; at < data.Length; at += 65536)
            back.AddRange(t.Volume.ReadAt(r, at, 65536));
        t.Volume.Release(r).Ok();

        back.Should().Equal(data);
    }

    [Fact]
    public void Write_DataAndHole_SurviveReopen()
    {
        using var t = new TestVolume();
        var data = VolumeTestExtensions.Bytes(70_000, seed: 3);
        var (id, h) = t.CreateOpen("f");
        t.Volume.WriteAt(h, 0, data);
        t.Volume.WriteAt(h, 100_000, [9]);
        t.Volume.Release(h).Ok();

        t.Reopen();

        var all = t.ReadAll(id);
        all.Length.Should().Be(100_001);
        all[..70_000].Should().Equal(data);
        all[70_000..100_000].Should().OnlyContain(b => b == 0);
        all[100_000].Should().Be(9);
    }
}
