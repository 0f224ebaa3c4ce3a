using System.Globalization;
using System.Text;

namespace CacheFs.CrashWorker;

/// <summary>
/// Appends records to the ledger and forces each to disk before the worker goes on, so the ledger never promises more
/// than the volume already made durable. Keeps the replayed <see cref="State"/> in step. Thread-safe.
/// </summary>
internal sealed class LedgerWriter : IDisposable
{
    private readonly Lock _lock = new();
    private readonly FileStream _stream;

    private LedgerWriter(FileStream stream, LedgerState state)
    {
        _stream = stream;
        State = state;
    }

    /// <summary>The state the ledger promises; guarded by this writer's lock while workers run.</summary>
    public LedgerState State { get; }

    /// <summary>Replays the ledger and opens it for appending, dropping a record torn by the previous kill.</summary>
    public static LedgerWriter Open(string path)
    {
        var (state, valid) = LedgerState.Load(path);
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read);
        stream.SetLength(valid);
        stream.Seek(valid, SeekOrigin.Begin);
        return new LedgerWriter(stream, state);
    }

    public void Record(FormattableString record)
    {
        var line = record.ToString(CultureInfo.InvariantCulture);
        var bytes = Encoding.UTF8.GetBytes(line + "\n");
        lock (_lock)
        {
            State.Apply(line);
            _stream.Write(bytes);
            _stream.Flush(flushToDisk: true);
        }
    }

    /// <summary>Runs <paramref name="read"/> on the state under the writer's lock.</summary>
    public T Read<T>(Func<LedgerState, T> read)
    {
        lock (_lock)
            return read(State);
    }

    public void Dispose() => _stream.Dispose();
}
