namespace CacheFs.Tests.Conformance;

/// <summary>Reading, writing, appending and changing the size.</summary>
public abstract partial class ConformanceCases
{
    [Fact]
    public void Write_ThenRead_RoundTrips()
    {
        var data = Bytes(10_000);
        var handle = OpenOk("f", OpenMode.ReadWrite | OpenMode.Create | OpenMode.Exclusive);

        WriteAt(handle, 0, data);

        ReadAt(handle, 0, data.Length).Should().Equal(data);
        StatOk(handle).Size.Should().Be(data.Length);
        Fs.Close(handle).Should().Be(FsStatus.Ok);
        ReadAll("f").Should().Equal(data);
    }

    [Fact]
    public void Write_SeveralMebibytesAtOnce_RoundTrips()
    {
        var data = Bytes((3 << 20) + 17, seed: 3);

        MakeFile("big", data);

        StatOk("big").Size.Should().Be(data.Length);
        ReadAll("big").Should().Equal(data);
    }

    [Fact]
    public void Write_PastEndOfFile_LeavesAHoleThatReadsAsZeros()
    {
        var handle = OpenOk("sparse", OpenMode.ReadWrite | OpenMode.Create);
        WriteAt(handle, 0, "abc"u8.ToArray());
        WriteAt(handle, 1 << 20, "xyz"u8.ToArray());
        Fs.Close(handle).Should().Be(FsStatus.Ok);

        var all = ReadAll("sparse");
        all.Should().HaveCount((1 << 20) + 3);
        all[..3].Should().Equal("abc"u8.ToArray());
        all[3..(1 << 20)].Should().OnlyContain(b => b == 0);
        all[(1 << 20)..].Should().Equal("xyz"u8.ToArray());
    }

    [Fact]
    public void Read_AtOrAcrossEndOfFile_ReturnsOnlyWhatIsThere()
    {
        MakeFile("f", [1, 2, 3, 4, 5]);
        var handle = OpenOk("f", OpenMode.Read);

        ReadAt(handle, 3, 100).Should().Equal(4, 5);
        ReadAt(handle, 5, 100).Should().BeEmpty();
        ReadAt(handle, 1 << 30, 100).Should().BeEmpty();

        Fs.Close(handle).Should().Be(FsStatus.Ok);
    }

    [Fact]
    public void Write_InTheMiddle_OverwritesAndKeepsTheSize()
    {
        MakeFile("f", "hello world"u8.ToArray());
        var handle = OpenOk("f", OpenMode.Write);

        WriteAt(handle, 6, "WORLD"u8.ToArray());
        WriteAt(handle, 0, "J"u8.ToArray());
        Fs.Close(handle).Should().Be(FsStatus.Ok);

        ReadAll("f").Should().Equal("Jello WORLD"u8.ToArray());
    }

    [Fact]
    public void Write_AppendHandle_GoesToTheEndWhateverTheOffset()
    {
        MakeFile("log", "one\n"u8.ToArray());
        var handle = OpenOk("log", OpenMode.Write | OpenMode.Append);

        WriteAt(handle, 0, "two\n"u8.ToArray());
        WriteAt(handle, 2, "three\n"u8.ToArray());
        Fs.Close(handle).Should().Be(FsStatus.Ok);

        ReadAll("log").Should().Equal("one\ntwo\nthree\n"u8.ToArray());
    }

    [Fact]
    public void Write_TwoAppendHandlesTakingTurns_LosesNothing()
    {
        MakeFile("log");
        var a = OpenOk("log", OpenMode.Write | OpenMode.Append);
        var b = OpenOk("log", OpenMode.Write | OpenMode.Append);

        for (var i = 0; i < 10; i++)
        {
            WriteAt(a, 0, [(byte)('a' + i)]);
            WriteAt(b, 0, [(byte)('A' + i)]);
        }

        Fs.Close(a).Should().Be(FsStatus.Ok);
        Fs.Close(b).Should().Be(FsStatus.Ok);
        ReadAll("log").Should().Equal("aAbBcCdDeEfFgGhHiIjJ"u8.ToArray());
    }

    [Fact]
    public void WriteAndRead_HandleWithoutThatAccess_BadHandle()
    {
        MakeFile("f", [1]);
        var reader = OpenOk("f", OpenMode.Read);
        var writer = OpenOk("f", OpenMode.Write);

        Fs.Write(reader, 0, [9]).Status.Should().Be(FsStatus.BadHandle);
        Fs.Read(writer, 0, new byte[1]).Status.Should().Be(FsStatus.BadHandle);

        Fs.Close(reader).Should().Be(FsStatus.Ok);
        Fs.Close(writer).Should().Be(FsStatus.Ok);
        ReadAll("f").Should().Equal(1);
    }

    [Fact]
    public void Write_ThroughOneHandle_IsSeenThroughAnotherAtOnce()
    {
        MakeFile("f", [0, 0, 0, 0]);
        var first = OpenOk("f", OpenMode.ReadWrite);
        var second = OpenOk("f", OpenMode.ReadWrite);

        WriteAt(first, 1, [7, 7]);
        WriteAt(second, 4, [8]);

        ReadAt(second, 0, 10).Should().Equal(0, 7, 7, 0, 8);
        ReadAt(first, 0, 10).Should().Equal(0, 7, 7, 0, 8);
        Fs.Close(first).Should().Be(FsStatus.Ok);
        Fs.Close(second).Should().Be(FsStatus.Ok);
    }

    [Fact]
    public void Write_NoBytes_ChangesNeitherSizeNorTimes()
    {
        MakeFile("f", [1, 2]);
        var before = Backdate("f");
        var handle = OpenOk("f", OpenMode.Write);

        Fs.Write(handle, 10, []).Value.Should().Be(0);
        Fs.Close(handle).Should().Be(FsStatus.Ok);

        var after = StatOk("f");
        after.Size.Should().Be(2);
        after.ModifyTime.Should().Be(before.ModifyTime);
        after.ChangeTime.Should().Be(before.ChangeTime);
    }

    [Fact]
    public void Truncate_ShrinkThenGrow_ReadsZerosPastTheCut()
    {
        MakeFile("f", Enumerable.Repeat((byte)0xAB, 10_000).ToArray());
        var handle = OpenOk("f", OpenMode.ReadWrite);

        Fs.Truncate(handle, 100).Should().Be(FsStatus.Ok);
        Fs.Truncate(handle, 5_000).Should().Be(FsStatus.Ok);

        StatOk(handle).Size.Should().Be(5_000);
        var all = ReadAt(handle, 0, 10_000);
        all.Should().HaveCount(5_000);
        all[..100].Should().OnlyContain(b => b == 0xAB);
        all[100..].Should().OnlyContain(b => b == 0);
        Fs.Close(handle).Should().Be(FsStatus.Ok);
    }

    [Fact]
    public void SetLength_ByPath_GrowsWithZerosAndShrinks()
    {
        MakeFile("f", [1, 2, 3]);

        Fs.SetLength("f", 4096).Should().Be(FsStatus.Ok);
        ReadAll("f").Should().Equal([1, 2, 3, .. new byte[4093]]);

        Fs.SetLength("f", 2).Should().Be(FsStatus.Ok);
        ReadAll("f").Should().Equal(1, 2);
    }

    [Fact]
    public void SetLength_DirectoryOrNegative_Refused()
    {
        Fs.MakeDirectory("d").Should().Be(FsStatus.Ok);
        MakeFile("f", [1]);

        Fs.SetLength("d", 0).Should().Be(FsStatus.IsDirectory);
        Fs.SetLength("f", -1).Should().Be(FsStatus.InvalidArgument);
        Fs.SetLength("missing", 0).Should().Be(FsStatus.NotFound);
        StatOk("f").Size.Should().Be(1);
    }

    [Fact]
    public void Truncate_HandleOpenForReadingOnly_InvalidArgument()
    {
        MakeFile("f", [1, 2, 3]);
        var handle = OpenOk("f", OpenMode.Read);

        Fs.Truncate(handle, 0).Should().Be(FsStatus.InvalidArgument);

        Fs.Close(handle).Should().Be(FsStatus.Ok);
        StatOk("f").Size.Should().Be(3);
    }

    [Fact]
    public void Write_BeyondFourGibibytes_LeavesASparseFileOfZeros()
    {
        const long offset = (5L << 30) + 7;
        var handle = OpenOk("huge", OpenMode.ReadWrite | OpenMode.Create);

        WriteAt(handle, offset, "end"u8.ToArray());

        StatOk(handle).Size.Should().Be(offset + 3);
        ReadAt(handle, offset - 4, 100).Should().Equal([0, 0, 0, 0, .. "end"u8.ToArray()]);
        ReadAt(handle, 4L << 30, 4096).Should().OnlyContain(b => b == 0).And.HaveCount(4096);
        Fs.Truncate(handle, 1).Should().Be(FsStatus.Ok);
        StatOk(handle).Size.Should().Be(1);
        Fs.Close(handle).Should().Be(FsStatus.Ok);
    }

    [Fact]
    public void Write_PastTheLargestFileSize_FileTooLarge()
    {
        // As on ext4 with 4 KiB blocks: 16 TiB less one block.
        var handle = OpenOk("f", OpenMode.ReadWrite | OpenMode.Create);

        Fs.Write(handle, 16L << 40, [1]).Status.Should().Be(FsStatus.FileTooLarge);

        StatOk(handle).Size.Should().Be(0);
        Fs.Close(handle).Should().Be(FsStatus.Ok);
    }

    [Fact]
    public void ReadAndWrite_NegativeOffset_InvalidArgument()
    {
        MakeFile("f", [1]);
        var handle = OpenOk("f", OpenMode.ReadWrite);

        Fs.Read(handle, -1, new byte[1]).Status.Should().Be(FsStatus.InvalidArgument);
        Fs.Write(handle, -1, [2]).Status.Should().Be(FsStatus.InvalidArgument);

        Fs.Close(handle).Should().Be(FsStatus.Ok);
    }
}
