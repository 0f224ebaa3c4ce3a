using CacheFs.Volume;

namespace CacheFs.Tests.Volume;

/// <summary>The in-memory change record: whole pages, runs that grow ahead of a sequential rewrite, and giving up.</summary>
public sealed class ChangeRecordTests
{
    private const long Size = 1L << 30;

    [Fact]
    public void Note_CoversWholePages_AndCoalescesWhatTouches()
    {
        var record = Started("7");

        record.Note(10, 20, Size);
        record.Note(8192 + 5, 8192 + 6, Size);
        record.Note(4096, 4097, Size);

        record.For("7", Size)!.ToString().Should().Be("[0,12288)");
        record.Unwritten.Should().BeTrue();
    }

    [Fact]
    public void Note_InsideWhatIsRecorded_NeedsNoCommit()
    {
        var record = Started("7");
        record.Note(0, 100_000, Size);
        record.Written();

        record.Note(50_000, 60_000, Size);

        record.Unwritten.Should().BeFalse();
    }

    [Fact]
    public void Note_ASequentialRewrite_CommitsLogarithmicallyOften()
    {
        var record = Started("7");
        record.Written();
        const int Write = 128 * 1024;
        var commits = 0;
        for (long offset = 0; offset < 64L << 20; offset += Write)
        {
            record.Note(offset, offset + Write, Size);
            if (record.Unwritten)
                commits++;
            record.Written();
        }

        commits.Should().BeLessThanOrEqualTo(11, "512 writes, each run claiming as much again ahead");
        record.For("7", Size)!.Contains(0, 64L << 20).Should().BeTrue();
    }

    [Fact]
    public void Note_PastHalfTheFile_GivesUp_SoTheWholeFileGoesUp()
    {
        var record = Started("7");
        record.Note(0, 40_000, 100_000);
        record.For("7", 100_000).Should().NotBeNull();
        record.Written();

        record.Note(60_000, 80_000, 100_000);

        record.Base.Should().BeNull();
        record.Unwritten.Should().BeTrue("the journal must learn the record is no longer known");
        record.For("7", 100_000).Should().BeNull();
    }

    [Fact]
    public void Start_OfAFileTheOriginHasNot_IsNotKnown()
    {
        var record = Started("");

        record.Note(0, 10, Size);

        record.For("", Size).Should().BeNull();
    }

    [Fact]
    public void For_AnotherBase_OrPastTheSize_IsNullOrClipped()
    {
        var record = Started("7");
        record.Note(0, 10_000, Size);

        record.For("8", Size).Should().BeNull("ranges recorded against 7 say nothing about 8");
        record.For("7", 5_000)!.ToString().Should().Be("[0,5000)");
    }

    private static ChangeRecord Started(string version)
    {
        var record = new ChangeRecord();
        record.Start(version);
        return record;
    }
}
