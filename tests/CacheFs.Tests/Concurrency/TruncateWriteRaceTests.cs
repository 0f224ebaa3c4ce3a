using System.Collections.Concurrent;
using CacheFs.Nodes;
using CacheFs.Volume;

namespace CacheFs.Tests.Concurrency;

/// <summary>
/// Seed 001's truncate racing writes: size changes and writes of one file are ordered by its size lock, so the final
/// EOF and bytes are consistent, nothing past EOF is ever visible, and a reopen shows the same file.
/// </summary>
public sealed class TruncateWriteRaceTests
{
    private const int Rounds = 6;
    private const int OpsPerThread = 250;
    private const int Span = 6000;

    [Fact]
    public void Truncate_RacingWritesAndAppends_LeavesConsistentSizeAndContent()
    {
        using var t = new TestVolume();
        var files = new List<(long Id, byte[] Content)>();
        for (var round = 0; round < Rounds; round++)
        {
            var id = t.MakeFile($"file{round}");
            var writes = new ConcurrentBag<(long Offset, int Length, byte Value)>();
            Race.Run(4, thread =>
            {
                var random = new Random((round * 10) + thread);
                var open = t.Volume.Open(id, OpenFlags.ReadWrite);
                for (var i = 0; i < OpsPerThread; i++)
                {
                    switch (thread)
                    {
                        case 0:
                            var size = random.Next(Span);
                            t.Volume.SetAttributes(id, new AttributeChanges { Size = size }).Status.Should().Be(FsStatus.Ok);
                            break;
                        case 1 or 2:
                            // Each writer's bytes carry its own value: a byte is explained by a write that covered it.
                            var value = (byte)thread;
                            var data = Enumerable.Repeat(value, random.Next(1, 700)).ToArray();
                            var offset = random.Next(Span);
                            t.Volume.Write(open.Value.Handle, offset, data).Status.Should().Be(FsStatus.Ok);
                            writes.Add((offset, data.Length, value));
                            break;
                        default:
                            var record = Enumerable.Repeat((byte)3, random.Next(1, 300)).ToArray();
                            var appended = t.Volume.Write(open.Value.Handle, 0, record, toEndOfFile: true);
                            appended.Status.Should().Be(FsStatus.Ok);
                            appended.Value.Size.Should().Be(appended.Value.Offset + record.Length, "EOF after an append is decided inside the size lock");
                            writes.Add((appended.Value.Offset, record.Length, 3));
                            ExpectOnlyWrittenBytes(t, open.Value.Handle);
                            break;
                    }
                }

                t.Volume.Release(open.Value.Handle).Should().Be(FsStatus.Ok);
            });

            var content = ExpectConsistent(t, id, writes.ToList());
            files.Add((id, content));
        }

        t.Reopen();
        t.Volume.LastRecovery.ObjectsResized.Should().Be(0, "a clean close leaves every object at its journal size");
        foreach (var (id, content) in files)
        {
            t.Volume.GetAttributes(id).Value.Size.Should().Be(content.Length, "the size survives a reopen");
            t.ReadAll(id).Should().Equal(content, "the bytes survive a reopen");

            // Growing the file again must show zeros, never bytes a truncate cut off.
            t.Volume.SetAttributes(id, new AttributeChanges { Size = content.Length + Span }).Status.Should().Be(FsStatus.Ok);
            t.ReadAll(id).Skip(content.Length).Should().OnlyContain(b => b == 0, "bytes a truncate removed never come back");
        }
    }

    /// <summary>A read racing the others returns only bytes some write or a zero fill produced, never stale buffer bytes.</summary>
    private static void ExpectOnlyWrittenBytes(TestVolume t, ulong handle)
    {
        var buffer = new byte[Span * 2];
        Array.Fill(buffer, (byte)0xEE);
        var read = t.Volume.Read(handle, 0, buffer);
        read.Status.Should().Be(FsStatus.Ok);
        buffer.AsSpan(0, read.Value).IndexOfAnyExceptInRange((byte)0, (byte)3).Should().Be(-1, "every byte read is a written byte or a zero");
    }

    private static byte[] ExpectConsistent(TestVolume t, long id, List<(long Offset, int Length, byte Value)> writes)
    {
        var size = t.Volume.GetAttributes(id).Value.Size;
        var open = t.Volume.Open(id, OpenFlags.Read);
        var buffer = new byte[size + 4096];
        Array.Fill(buffer, (byte)0xEE);
        var read = t.Volume.Read(open.Value.Handle, 0, buffer);
        t.Volume.Read(open.Value.Handle, size, new byte[16]).Value.Should().Be(0, "a read at EOF returns nothing");
        t.Volume.Release(open.Value.Handle);
        read.Value.Should().Be((int)size, "a read returns exactly the bytes below EOF");
        var content = buffer[..read.Value];
        var covered = new bool[4, content.Length];
        foreach (var (offset, length, value) in writes)
        {
            for (var at = offset; at < Math.Min(offset + length, content.Length); at++)
                covered[value, at] = true;
        }

        for (var at = 0; at < content.Length; at++)
        {
            var b = content[at];
            if (b != 0)
                (b < 4 && covered[b, at]).Should().BeTrue("byte {0} (value {1}) must come from a write that covered it", at, b);
        }

        return content;
    }
}
