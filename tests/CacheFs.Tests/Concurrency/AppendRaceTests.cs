using System.Collections.Concurrent;
using CacheFs.Volume;

namespace CacheFs.Tests.Concurrency;

/// <summary>
/// Seed 001's appends: many threads append records to one file at once, half through O_APPEND handles and half through
/// WriteToEndOfFile. EOF is decided under the file's size lock, so nothing is lost and no record is torn.
/// </summary>
public sealed class AppendRaceTests
{
    private const int Threads = 4;
    private const int RecordsPerThread = 400;
    private const int Rounds = 4;

    [Fact]
    public void Append_ManyThreadsBothWays_LoseNothingAndNeverInterleave()
    {
        using var t = new TestVolume();
        var files = new List<(long Id, byte[] Content)>();
        for (var round = 0; round < Rounds; round++)
        {
            var id = t.MakeFile($"log{round}");
            var writes = new ConcurrentBag<WriteResult>();
            Race.Run(Threads, thread =>
            {
                var appendHandle = thread % 2 == 0;
                var open = t.Volume.Open(id, appendHandle ? OpenFlags.Write | OpenFlags.Append : OpenFlags.ReadWrite);
                open.Status.Should().Be(FsStatus.Ok);
                var random = new Random((round * Threads) + thread);
                for (var seq = 0; seq < RecordsPerThread; seq++)
                {
                    var record = AppendRecord.Make(thread, seq, random.Next(1, 200));

                    // The offset passed is wrong on purpose: an append ignores it.
                    var written = t.Volume.Write(open.Value.Handle, random.Next(0, 100), record, toEndOfFile: !appendHandle);
                    written.Status.Should().Be(FsStatus.Ok);
                    written.Value.Written.Should().Be(record.Length);
                    writes.Add(written.Value);
                }

                t.Volume.Release(open.Value.Handle).Should().Be(FsStatus.Ok);
            });

            var content = t.ReadAll(id);
            ExpectTiled(writes, content.Length);
            AppendRecord.ExpectAll(content, Threads, RecordsPerThread);
            files.Add((id, content));
        }

        t.Reopen();
        t.Volume.LastRecovery.ObjectsResized.Should().Be(0, "a clean close leaves each object at the journal's size");
        foreach (var (id, content) in files)
            t.ReadAll(id).Should().Equal(content, "the appended bytes and the size survive a reopen");
    }

    /// <summary>The appends' [offset, offset+length) ranges cover [0, size) exactly once, in EOF order.</summary>
    private static void ExpectTiled(IEnumerable<WriteResult> writes, long size)
    {
        long expected = 0;
        foreach (var write in writes.OrderBy(w => w.Offset))
        {
            write.Offset.Should().Be(expected, "each append starts where the previous one ended");
            write.Size.Should().Be(write.Offset + write.Written, "EOF right after an append is its end");
            expected += write.Written;
        }

        expected.Should().Be(size, "no byte is lost and none is added");
    }
}
