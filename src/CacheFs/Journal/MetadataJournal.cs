using System.Collections.Concurrent;
using CacheFs.Nodes;
using Microsoft.Data.Sqlite;

namespace CacheFs.Journal;

/// <summary>
/// The metadata journal: a SQLite database in WAL mode. One writer connection (serialized by <see cref="_writeLock"/>)
/// and a pool of reader connections, so lookups and reads never wait for a namespace change.
/// </summary>
/// <remarks>
/// Lock order: the volume's namespace gate, then a file's size lock, then <see cref="_writeLock"/>; this lock is innermost.
/// Commits run with synchronous=NORMAL: a committed transaction survives a killed process at once, and survives a power
/// loss after <see cref="MakeDurable"/>, which fsync and FlushFileBuffers call.
/// </remarks>
internal sealed class MetadataJournal : IDisposable
{
    private readonly Lock _writeLock = new();
    private readonly string _connectionString;
    private readonly JournalWriter _writer;
    private readonly NodeCache _cache = new();
    private readonly Checkpointer _checkpointer;
    private readonly ConcurrentBag<JournalSession> _readers = [];
    private bool _disposed;

    private MetadataJournal(string path)
    {
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString();

        var connection = OpenConnection();
        Execute(connection, "PRAGMA journal_mode = WAL");
        Execute(connection, "PRAGMA synchronous = NORMAL");

        // Checkpoints run on the checkpointer's thread, not inside whichever commit crosses the threshold.
        Execute(connection, "PRAGMA wal_autocheckpoint = 0");
        _checkpointer = new Checkpointer(OpenConnection(), _writeLock);
        _writer = new JournalWriter(connection, _cache, Committed, () => _writeLock.Exit());
    }

    public string Path => new SqliteConnectionStringBuilder(_connectionString).DataSource;

    /// <summary>Opens (creating if needed) and migrates the journal, then runs SQLite's quick integrity check.</summary>
    public static MetadataJournal Open(string path)
    {
        MetadataJournal? journal = null;
        try
        {
            journal = new MetadataJournal(path);
            Schema.Migrate(journal._writer.Connection);
            journal._writer.StartAllocators();
            var check = journal.CheckIntegrity(quick: true);
            if (check != "ok")
                throw new JournalException($"the journal {path} is damaged ({check}); move the cache directory aside and mount again");
            return journal;
        }
        catch (SqliteException e)
        {
            journal?.Dispose();
            throw new JournalException($"the journal {path} cannot be opened: {e.Message}", e);
        }
        catch
        {
            journal?.Dispose();
            throw;
        }
    }

    /// <summary>Enters the single write path and opens an immediate transaction; the caller must call <see cref="JournalWriter.End"/>.</summary>
    /// <summary>Called after a commit that queued outbox entries, still inside the write lock: it must only signal.</summary>
    public Action? OutboxAppended { get; set; }

    private void Committed(bool outboxAppended)
    {
        _checkpointer.Committed();
        if (outboxAppended)
            OutboxAppended?.Invoke();
    }

    public JournalWriter BeginWrite()
    {
        _writeLock.Enter();
        try
        {
            _writer.Begin();
            return _writer;
        }
        catch
        {
            _writeLock.Exit();
            throw;
        }
    }

    /// <summary>A node as last committed: from memory, or from SQLite (then remembered).</summary>
    public NodeAttributes? GetNode(long id)
    {
        if (_cache.TryGetNode(id, out var cached))
            return cached;
        var generation = _cache.Generation;
        var node = Read(s => s.GetNode(id));
        if (node is not null)
            _cache.FillNode(generation, node);
        return node;
    }

    /// <summary>A name and the node it names as last committed; null when there is no such name (remembered too).</summary>
    public (EntryRow Entry, NodeAttributes Node)? LookupNode(long parent, string fold)
    {
        if (_cache.TryGetEntry(parent, fold, out var entry))
        {
            if (entry is not { } e)
                return null;
            if (GetNode(e.Child) is { } node)
                return (e, node);

            // The name was read before a commit that removed its node (a rename over it, an unlink): SQLite has the
            // whole committed answer, which may be the name's new node.
            return Read(s => s.LookupNode(parent, fold));
        }

        var generation = _cache.Generation;
        var hit = Read(s => s.LookupNode(parent, fold));
        _cache.FillEntry(generation, parent, fold, hit?.Entry);
        if (hit is { } found)
            _cache.FillNode(generation, found.Node);
        return hit;
    }

    /// <summary>A page of a listing; the nodes it returns are remembered for the getattr calls that usually follow.</summary>
    public List<DirectoryEntry> ListEntries(long parent, long afterCookie, int limit)
    {
        var generation = _cache.Generation;
        var entries = Read(s => s.ListEntries(parent, afterCookie, limit));
        foreach (var entry in entries)
            _cache.FillNode(generation, entry.Attributes);
        return entries;
    }

    /// <summary>Runs <paramref name="work"/> with a pooled read session.</summary>
    public T Read<T>(Func<JournalSession, T> work)
    {
        if (!_readers.TryTake(out var session))
            session = NewReader();
        try
        {
            return work(session);
        }
        finally
        {
            if (Volatile.Read(ref _disposed))
                session.Dispose();
            else
                _readers.Add(session);
        }
    }

    /// <summary>
    /// Makes every committed transaction durable against power loss: one tiny commit with synchronous=FULL syncs the
    /// whole write-ahead log, and with it every earlier commit.
    /// </summary>
    /// <remarks>SQLite refuses to change the safety level inside a transaction, so it is switched before the barrier's own
    /// transaction opens and switched back after it ends, all under the write lock so no other commit runs with FULL.</remarks>
    public void MakeDurable()
    {
        lock (_writeLock)
        {
            Execute(_writer.Connection, "PRAGMA synchronous = FULL");
            try
            {
                _writer.Begin();
                try
                {
                    _writer.BumpCounter("durable_barriers");
                    _writer.Commit();
                }
                finally
                {
                    _writer.RollbackUncommitted();
                }
            }
            finally
            {
                Execute(_writer.Connection, "PRAGMA synchronous = NORMAL");
            }
        }
    }

    /// <summary>SQLite's integrity check: "ok", or the first problems it found.</summary>
    public string CheckIntegrity(bool quick) =>
        Read(session =>
        {
            using var cmd = session.Connection.CreateCommand();
            cmd.CommandText = quick ? "PRAGMA quick_check(5)" : "PRAGMA integrity_check(5)";
            using var reader = cmd.ExecuteReader();
            var lines = new List<string>();
            while (reader.Read())
                lines.Add(reader.GetString(0));
            return string.Join("; ", lines);
        });

    public void Dispose()
    {
        if (_disposed)
            return;
        Volatile.Write(ref _disposed, true);
        _checkpointer.Dispose();
        while (_readers.TryTake(out var reader))
            reader.Dispose();
        lock (_writeLock)
        {
            try
            {
                Execute(_writer.Connection, "PRAGMA wal_checkpoint(TRUNCATE)");
            }
            catch (SqliteException)
            {
                // A failed checkpoint at close loses nothing: the WAL is replayed on the next open.
            }

            _writer.Dispose();
        }
    }

    private JournalSession NewReader()
    {
        var connection = OpenConnection();
        Execute(connection, "PRAGMA query_only = 1");
        return new JournalSession(connection);
    }

    private SqliteConnection OpenConnection()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, "PRAGMA busy_timeout = 10000");
        Execute(connection, "PRAGMA temp_store = MEMORY");
        Execute(connection, "PRAGMA cache_size = -16384");
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
