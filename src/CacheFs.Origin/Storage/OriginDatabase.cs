using System.Globalization;
using Microsoft.Data.Sqlite;

namespace CacheFs.Origin.Storage;

/// <summary>
/// The SQLite database in the state directory (WAL, synchronous=FULL: an acknowledged change survives a crash). One
/// writer connection, used only under the <see cref="OriginGate"/>; readers open pooled read-only connections and see a
/// consistent snapshot inside a transaction.
/// </summary>
internal sealed class OriginDatabase : IDisposable
{
    private readonly string _readOnly;

    private OriginDatabase(string file)
    {
        File = file;
        _readOnly = new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = true }.ToString();
        Writer = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
        Writer.Open();
        Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;");
        Execute(Schema.Create);
        Head = new Catalog(Writer, null).Head();
    }

    private const long EpochBlock = 1024;

    private SqliteCommand? _find;

    // The last epoch handed out, and the end of the block the database has reserved (both under the gate).
    private long _epoch;
    private long _epochLimit;

    public string File { get; }

    public SqliteConnection Writer { get; }

    private long _head;

    /// <summary>
    /// The cursor of the newest change; moved only by a committed <see cref="Mutation"/> (under the gate), read without
    /// it by a lock grant, which must see every change committed before it.
    /// </summary>
    public long Head
    {
        get => Volatile.Read(ref _head);
        set => Volatile.Write(ref _head, value);
    }

    public static OriginDatabase Open(string stateDirectory) => new(Path.Join(stateDirectory, "origin.db"));

    /// <summary>A read-only connection; dispose it after use (it returns to the pool).</summary>
    public SqliteConnection OpenReader()
    {
        var connection = new SqliteConnection(_readOnly);
        connection.Open();
        return connection;
    }

    /// <summary>
    /// The node at a path, through one prepared statement on the writer connection: the hot path of content reads,
    /// about ten times cheaper than a pooled read connection and transaction. The gate must be held, outside a mutation.
    /// </summary>
    public NodeRow? FindLocked(string path)
    {
        if (_find is null)
        {
            _find = Writer.CreateCommand();
            _find.CommandText = $"SELECT {Schema.NodeColumns} FROM entries e JOIN nodes n ON n.id = e.node_id WHERE e.path = $path";
            _find.Parameters.Add("$path", SqliteType.Text);
            _find.Prepare();
        }

        _find.Parameters[0].Value = path;
        using var reader = _find.ExecuteReader();
        return reader.Read() ? NodeRow.Read(reader) : null;
    }

    /// <summary>
    /// The next lease epoch; epochs never repeat, not even across a restart. They are reserved a block at a time: the
    /// database stores the block's end (one fsynced commit per block, not per grant), and a restart continues after it.
    /// Call under the gate.
    /// </summary>
    public long NextEpoch()
    {
        if (_epoch >= _epochLimit)
        {
            using var command = Writer.CreateCommand();
            command.CommandText = $"UPDATE meta SET value = value + {EpochBlock} WHERE key = 'epoch' RETURNING value";
            _epochLimit = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
            _epoch = _epochLimit - EpochBlock;
        }

        return ++_epoch;
    }

    public void Dispose()
    {
        _find?.Dispose();
        Writer.Dispose();
        SqliteConnection.ClearPool(new SqliteConnection(_readOnly));
    }

    private void Execute(string sql)
    {
        using var command = Writer.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
