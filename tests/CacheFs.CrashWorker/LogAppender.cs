using CacheFs.Volume;

namespace CacheFs.CrashWorker;

/// <summary>
/// Appends to a few logs and fsyncs them; after each successful Sync the ledger records the log's length and the hash of
/// that prefix. Logs only grow, so every recorded prefix must survive any later crash exactly.
/// </summary>
internal sealed class LogAppender(CacheVolume volume, LedgerWriter ledger, Random random, string tag, long logsDirectory, List<AppendLog> logs)
{
    public const string Folder = "logs";
    private const long RetireAt = 384 << 10;
    private const int LogCount = 2;

    private int _next;

    /// <summary>Chance that a batch of appends ends with an fsync (1: every append is synced).</summary>
    public double SyncChance { get; init; } = 0.6;

    public int MaxBatch { get; init; } = 4;

    public void Run()
    {
        while (true)
        {
            while (logs.Count < LogCount)
                logs.Add(Create());
            var log = logs[random.Next(logs.Count)];
            var batch = random.Next(1, MaxBatch + 1);
            for (var i = 0; i < batch; i++)
                Append(log);
            if (random.NextDouble() < 0.1)
                Expect.Ok(volume.Flush(log.Handle), $"flush log {log.Name}");
            if (random.NextDouble() < SyncChance)
            {
                Expect.Ok(volume.Sync(log.Handle, dataOnly: random.Next(2) == 0), $"fsync log {log.Name}");
                ledger.Record($"log {Folder}/{log.Name} {log.Length} {log.CurrentHash()}");
            }

            if (log.Length > RetireAt)
                Retire(log);
        }
    }

    private void Append(AppendLog log)
    {
        var data = new byte[random.Next(1, 8193)];
        random.NextBytes(data);
        WriteResult written;
        if (random.Next(10) == 0)
        {
            // Another handle on the same file, appending through WriteToEndOfFile: the size lock decides EOF for both.
            var other = Expect.Ok(volume.Open(log.Id, OpenFlags.ReadWrite), $"open log {log.Name} again");
            written = Expect.Ok(volume.Write(other.Handle, 0, data, toEndOfFile: true), $"append to log {log.Name} at EOF");
            Expect.Ok(volume.Release(other.Handle), $"release second handle of {log.Name}");
        }
        else
        {
            written = Expect.Ok(volume.Write(log.Handle, 0, data), $"append to log {log.Name}");
        }

        if (written.Written != data.Length || written.Offset != log.Length)
            throw new WorkerFailureException($"append to log {log.Name} wrote {written.Written} bytes at {written.Offset}; expected {data.Length} at {log.Length}");
        log.Length += data.Length;
        log.Hash.AppendData(data);
    }

    private AppendLog Create()
    {
        var name = $"l{tag}_{_next++}";
        var created = Expect.Ok(
            volume.Create(logsDirectory, name, new Nodes.NewNode(Convert.ToUInt32("644", 8), 1000, 1000), OpenFlags.ReadWrite | OpenFlags.Append, exclusive: true),
            $"create log {name}");
        return new AppendLog(name, created.Attributes.Id, created.Handle);
    }

    private void Retire(AppendLog log)
    {
        ledger.Record($"retirelog {Folder}/{log.Name}");
        Expect.Ok(volume.Release(log.Handle), $"release log {log.Name}");
        Expect.Ok(volume.Unlink(logsDirectory, log.Name), $"unlink log {log.Name}");
        logs.Remove(log);
        log.Dispose();
    }

    /// <summary>Takes over the logs a killed worker left: each is read back and its hash rebuilt, then appending goes on.</summary>
    public static List<AppendLog> Adopt(CacheVolume volume, long logsDirectory)
    {
        var adopted = new List<AppendLog>();
        foreach (var entry in Expect.List(volume, logsDirectory).ToList())
        {
            var open = Expect.Ok(volume.Open(entry.Attributes.Id, OpenFlags.ReadWrite | OpenFlags.Append), $"open log {entry.Name}");
            var log = new AppendLog(entry.Name, entry.Attributes.Id, open.Handle);
            var content = Expect.ReadAll(volume, log.Id);
            log.Hash.AppendData(content);
            log.Length = content.Length;
            adopted.Add(log);
        }

        return adopted;
    }
}
