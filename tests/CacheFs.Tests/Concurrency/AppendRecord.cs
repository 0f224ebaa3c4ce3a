namespace CacheFs.Tests.Concurrency;

/// <summary>
/// A self-checking record: marker, writer, sequence number, length, a payload derived from all three, end marker. A
/// torn, shifted or interleaved record fails to parse.
/// </summary>
internal readonly record struct AppendRecord(int Thread, int Sequence, int Length)
{
    private const byte Start = 0xA5;
    private const byte End = 0x5A;
    private const int Overhead = 7;

    public static byte[] Make(int thread, int sequence, int payload)
    {
        var bytes = new byte[payload + Overhead];
        bytes[0] = Start;
        bytes[1] = (byte)thread;
        bytes[2] = (byte)sequence;
        bytes[3] = (byte)(sequence >> 8);
        bytes[4] = (byte)payload;
        bytes[5] = (byte)(payload >> 8);
        for (var i = 0; i < payload; i++)
            bytes[6 + i] = PayloadByte(thread, sequence, i);
        bytes[^1] = End;
        return bytes;
    }

    /// <summary>The length of the record at the start of <paramref name="data"/>, or -1 if there is no whole record there.</summary>
    public static int Parse(ReadOnlySpan<byte> data, out AppendRecord record)
    {
        record = default;
        if (data.Length < Overhead || data[0] != Start)
            return -1;
        var thread = data[1];
        var sequence = data[2] | (data[3] << 8);
        var payload = data[4] | (data[5] << 8);
        if (data.Length < payload + Overhead || data[6 + payload] != End)
            return -1;
        for (var i = 0; i < payload; i++)
        {
            if (data[6 + i] != PayloadByte(thread, sequence, i))
                return -1;
        }

        record = new AppendRecord(thread, sequence, payload + Overhead);
        return payload + Overhead;
    }

    /// <summary>The file is exactly the records of every thread, each whole, each thread's in the order it appended them.</summary>
    public static void ExpectAll(byte[] content, int threads, int perThread)
    {
        var next = new int[threads];
        var at = 0;
        while (at < content.Length)
        {
            var length = Parse(content.AsSpan(at), out var record);
            length.Should().BePositive("a whole record starts at offset {0}", at);
            record.Sequence.Should().Be(next[record.Thread], "thread {0}'s records keep their order (offset {1})", record.Thread, at);
            next[record.Thread]++;
            at += length;
        }

        next.Should().AllSatisfy(n => n.Should().Be(perThread), "every record of every thread is there");
    }

    private static byte PayloadByte(int thread, int sequence, int index) => (byte)((thread * 37) + (sequence * 11) + index + 1);
}
