using CacheFs.Content;
using CacheFs.Nodes;
using CacheFs.Remote;
using CacheFs.Volume;
using Microsoft.Data.Sqlite;

namespace CacheFs.Tests.Volume;

/// <summary>
/// Issue 6, item 4: a dirty file's changed ranges, recorded in the journal against the origin version it is based on,
/// so its upload can send only them. After a crash the record covers every changed byte; a clean file has none.
/// </summary>
public sealed class ChangedRangesTests
{
    private const int FileSize = 1 << 20;
    private static readonly byte[] Base = VolumeTestExtensions.Bytes(FileSize, seed: 3);

    [Fact]
    public void Write_ToAFileTheOriginHas_RecordsTheChangedPagesAgainstItsVersion()
    {
        using var t = new OutboxVolume();
        var f = CleanFile(t);

        Edit(t, f, (10, 100), (300_000, 5000), (300_000 + 5000, 10));

        var source = Upload(t, f);
        using (source)
        {
            source.BaseVersion.Should().Be("2");
            source.Changes!.ToString().Should().Be("[0,4096),[299008,307200)");
        }
    }

    [Fact]
    public void OutboxBytes_SmallEditOfAFileTheOriginHas_CountsTheChangedPagesNotTheFile()
    {
        using var t = new OutboxVolume();
        var f = CleanFile(t);

        Edit(t, f, (10, 100), (300_000, 5000));
        t.Volume.OutboxBytes.Should().Be(4096 + 8192, "only the changed pages go up");

        Edit(t, f, (0, FileSize / 2 + 1));
        t.Volume.OutboxBytes.Should().Be(FileSize, "past half the file the whole file goes up");
        t.MakeFile("new", new byte[1000]);
        t.Volume.OutboxBytes.Should().Be(FileSize + 1000, "a new file goes up whole");
    }

    [Fact]
    public void Truncate_RecordsTheCutBytes_SoTheBasesBytesDoNotComeBackWhenItGrowsAgain()
    {
        using var t = new OutboxVolume();
        var f = CleanFile(t);

        t.Volume.SetAttributes(f, new AttributeChanges { Size = 900_000 }).Status.Ok();
        t.Volume.SetAttributes(f, new AttributeChanges { Size = 950_000 }).Status.Ok();

        using var source = Upload(t, f);
        source.Size.Should().Be(950_000);
        source.Changes!.ToString().Should().Be("[897024,950000)", "these bytes are zeros here and the base's bytes on the origin");
    }

    [Fact]
    public void Record_SurvivesAReopen_AndAKill()
    {
        using var t = new OutboxVolume();
        var f = CleanFile(t);
        var h = t.Volume.OpenHandle(f);
        t.Volume.WriteAt(h, 500_000, new byte[100]);

        t.Crash(); // the handle was never closed: only the record written before the bytes tells what changed
        ChangesOf(t, f).Should().Be("[499712,503808)");

        t.Reopen();
        ChangesOf(t, f).Should().Be("[499712,503808)");
        t.Volume.OutboxLength.Should().Be(1, "recovery queued the upload the close never queued");
    }

    [Fact]
    public async Task Record_AfterAReboot_IsForgotten_SoTheWholeFileGoesUp()
    {
        using var t = new OutboxVolume();
        var f = CleanFile(t);
        Edit(t, f, (500_000, 100));
        t.Volume.Dispose();

        using var rebooted = CacheVolume.Open(t.Options with { BootId = () => "another boot" }, TestVolume.Logger);
        using var source = (await rebooted.OpenUploadAsync(f, CancellationToken.None)).Value;

        source.Changes.Should().BeNull();
        source.BaseVersion.Should().Be("2");
    }

    /// <summary>Random writes, truncates and punched holes, then a kill: every byte that differs from the base lies in the record.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Record_AfterAKill_CoversEveryChangedByte(int seed)
    {
        using var t = new OutboxVolume();
        var f = CleanFile(t);
        var random = new Random(seed);
        var h = t.Volume.OpenHandle(f);
        for (var i = 0; i < 12; i++)
        {
            var at = random.Next(FileSize - 5000);
            switch (random.Next(4))
            {
                case 0:
                    t.Volume.SetAttributes(f, new AttributeChanges { Size = FileSize - random.Next(1, 20_000) }).Status.Ok();
                    break;
                case 1:
                    t.Volume.Allocate(h, at, 3000, AllocateMode.PunchHole).Ok();
                    break;
                default:
                    t.Volume.WriteAt(h, at, VolumeTestExtensions.Bytes(random.Next(1, 5000), seed: i + 10));
                    break;
            }
        }

        t.Volume.SetAttributes(f, new AttributeChanges { Size = FileSize }).Status.Ok();
        t.Crash();

        using var source = Upload(t, f);
        var changes = source.Changes!;
        var now = t.ReadAll(f);
        now.Length.Should().Be(FileSize);
        for (var i = 0; i < FileSize; i++)
        {
            if (now[i] != Base[i])
                changes.Contains(i, i + 1).Should().BeTrue("byte {0} changed", i);
        }
    }

    [Fact]
    public void FinishUpload_Clean_ClearsTheRecordInTheSameCommit_AndTheNextEditStartsAgainstTheNewVersion()
    {
        using var t = new OutboxVolume();
        var f = CleanFile(t);
        Edit(t, f, (0, 10));
        Acknowledge(t, "3");
        JournalRows(t, f).Should().Be((null, 0));

        Edit(t, f, (700_000, 10));

        using var source = Upload(t, f);
        source.BaseVersion.Should().Be("3");
        source.Changes!.ToString().Should().Be("[696320,700416)");
    }

    [Fact]
    public void FinishUpload_WrittenMeanwhile_KeepsTheRecordAgainstTheVersionJustMade()
    {
        using var t = new OutboxVolume();
        var f = CleanFile(t);
        Edit(t, f, (0, 10));
        var entry = t.Outbox.Single();
        using (var source = Upload(t, f))
        {
            Edit(t, f, (800_000, 10));
            t.Volume.FinishUpload(source, entry, originId: 9, contentVersion: "3").Ok();
        }

        t.Volume.Attr(f).Dirty.Should().BeTrue();
        using var next = Upload(t, f);
        next.BaseVersion.Should().Be("3");
        next.Changes!.ToString().Should().Be("[0,4096),[798720,802816)", "a superset of what differs from version 3");
    }

    /// <summary>A file already dirty when migration 4 runs has no record of what changed: it must go up whole.</summary>
    [Fact]
    public async Task Migration_OfAJournalWithADirtyFile_LeavesItsRecordUnknown()
    {
        using var t = new OutboxVolume();
        var f = CleanFile(t);
        Edit(t, f, (500_000, 100));
        t.Volume.Dispose();
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(t.Directory, "journal.db")};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "DROP TABLE changes; ALTER TABLE nodes DROP COLUMN changes_base; ALTER TABLE outbox DROP COLUMN target; PRAGMA user_version = 3;";
            command.ExecuteNonQuery();
        }

        using var upgraded = CacheVolume.Open(t.Options, TestVolume.Logger);
        using var source = (await upgraded.OpenUploadAsync(f, CancellationToken.None)).Value;

        upgraded.Attr(f).Dirty.Should().BeTrue();
        source.Changes.Should().BeNull();
    }

    [Fact]
    public void AFileTheOriginHasNot_HasNoRecord_AndGoesUpWhole()
    {
        using var t = new OutboxVolume();
        var f = t.MakeFile("new", Base);

        using var source = Upload(t, f);

        source.BaseVersion.Should().BeEmpty();
        source.Changes.Should().BeNull();
    }

    /// <summary>A clean file with version "2" of <see cref="Base"/>: made, then acknowledged as the origin would.</summary>
    private static long CleanFile(OutboxVolume t)
    {
        var f = t.MakeFile("f", Base);
        t.Volume.CompleteOutbox(t.Outbox[0], 9, "1").Ok();
        Acknowledge(t, "2");
        t.Volume.Attr(f).Dirty.Should().BeFalse();
        return f;
    }

    private static void Acknowledge(OutboxVolume t, string version)
    {
        var entry = t.Outbox.Single(e => e.Kind == OutboxKind.Upload);
        using (var source = Upload(t, entry.NodeId))
            t.Volume.FinishUpload(source, entry, originId: 9, contentVersion: version).Ok();
        t.Volume.OutboxLength.Should().Be(0);
    }

    private static void Edit(OutboxVolume t, long f, params (long Offset, int Length)[] writes)
    {
        var h = t.Volume.OpenHandle(f);
        foreach (var (offset, length) in writes)
            t.Volume.WriteAt(h, offset, VolumeTestExtensions.Bytes(length, seed: (int)offset + 1));
        t.Volume.Release(h).Ok();
    }

    private static string ChangesOf(OutboxVolume t, long f)
    {
        using var source = Upload(t, f);
        return source.Changes!.ToString();
    }

    private static UploadSource Upload(OutboxVolume t, long id)
    {
        var opened = t.Volume.OpenUploadAsync(id, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        opened.Status.Should().Be(FsStatus.Ok);
        return opened.Value;
    }

    /// <summary>The journal's own record of the file, read from a copy of the journal taken now (as a crash would leave it).</summary>
    private static (string? Base, long Rows) JournalRows(OutboxVolume t, long f)
    {
        var copy = Path.Combine(Path.GetTempPath(), "cachefs-journal-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(copy);
        try
        {
            foreach (var file in new[] { "journal.db", "journal.db-wal" })
            {
                if (File.Exists(Path.Combine(t.Directory, file)))
                    File.Copy(Path.Combine(t.Directory, file), Path.Combine(copy, file));
            }

            using var connection = new SqliteConnection($"Data Source={Path.Combine(copy, "journal.db")};Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT changes_base, (SELECT count(*) FROM changes WHERE node = $n) FROM nodes WHERE id = $n";
            command.Parameters.AddWithValue("$n", f);
            using var reader = command.ExecuteReader();
            reader.Read().Should().BeTrue();
            return (reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetInt64(1));
        }
        finally
        {
            System.IO.Directory.Delete(copy, recursive: true);
        }
    }
}
